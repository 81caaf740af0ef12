package dev.jconv.spark;

import dev.jconv.data.Batch;
import dev.jconv.data.DataLoader;
import dev.jconv.data.Dataset;
import dev.jconv.data.Example;
import dev.jconv.examples.LeNetTraining;
import dev.jconv.nn.Module;
import dev.jconv.nn.Parameter;
import dev.jconv.optim.Optimizer;
import dev.jconv.random.Generator;
import dev.jconv.storage.DType;
import dev.jconv.tensor.Tensor;
import java.io.PrintStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Synchronous data-parallel training on Spark: one Spark job per optimizer step.
 *
 * <p>Each step the driver broadcasts the current weights and the indices of the step's global batch; each of
 * the {@link TrainingSet}'s N partitions runs one task, which builds a replica of the network, loads the
 * weights, takes the examples of the batch that its block holds, and returns their gradient; the driver adds
 * the N gradients up in partition order and applies the optimizer step to its own copy of the network.
 *
 * <p><b>Why one job per step</b> (the scheme of Intel's BigDL): it needs nothing but Spark — no parameter
 * server, no connections between executors — and it inherits Spark's fault tolerance for free: a task that
 * fails or whose executor is lost is simply run again, from the same broadcast weights and batch, and returns
 * the same gradient, so a retried step is indistinguishable from an undisturbed one. The price is the
 * fixed cost of a job per step (broadcast, scheduling, task start: about 50 ms in local mode) and the driver
 * being the only place gradients meet, which is fine for small models; see {@code docs/spark.md} for where it
 * stops scaling.
 *
 * <p><b>Same numbers as one process.</b> The global batches are drawn by a jconv {@link DataLoader} shuffling
 * with a {@link Generator} seeded with {@link Config#shuffleSeed()}, so they are exactly the batches the
 * single-process loop {@code DataLoader.builder(data).batchSize(b).shuffle(true).generator(new
 * Generator(shuffleSeed))} gives, epoch after epoch. Each task scales its shard's summed loss by 1/B (B the
 * global batch size), so the shards' gradients add up to the gradient of the global batch's mean loss; only
 * the order of float additions differs from one process. The sum is taken in partition order, so a run is
 * repeatable bit for bit, retries included.
 *
 * <p>This is the library's trainer, for any {@link ModelFactory} and data set; {@code jconv train --spark} runs
 * the command line's own training loop instead, with {@link SparkSteps} computing its steps by the same job
 * ({@link GradientJob}).
 *
 * <p>Limits: modules with buffers updated in training (batch-norm running statistics) or random layers
 * (dropout) are not supported faithfully: the tasks' buffer updates are dropped, and their random draws
 * differ from one process's ({@link Networks#unsupported} says which; {@code jconv train --spark} refuses them).
 */
public final class DataParallelTrainer {
    /**
     * Test-only fault injection: the system property {@value} set to {@code STEP:PARTITION} makes the first
     * attempt of partition PARTITION's task in step STEP (counted from 0) throw, so that tests can watch Spark
     * retry it. Read in the task, hence only effective where tasks run in the driver's JVM (local mode).
     */
    public static final String FAIL_FIRST_ATTEMPT_PROPERTY = "dev.jconv.spark.failFirstAttempt";

    /** How many failures {@link #FAIL_FIRST_ATTEMPT_PROPERTY} has caused in this JVM, for tests to check. */
    static final java.util.concurrent.atomic.AtomicInteger INJECTED_FAILURES =
            new java.util.concurrent.atomic.AtomicInteger();

    /**
     * What to train.
     *
     * @param batchSize   examples per global batch (split over the partitions)
     * @param epochs      passes over the training set
     * @param maxSteps    stop after this many steps in all (0: run every epoch to its end)
     * @param optimizer   {@code sgd}, {@code adam} or {@code adamw}
     * @param lr          the learning rate
     * @param seed        seeds the global generator before the network is built (driver and replicas)
     * @param shuffleSeed seeds the generator that shuffles the examples each epoch
     */
    public record Config(int batchSize, int epochs, int maxSteps, String optimizer, double lr, long seed,
                         long shuffleSeed) implements Serializable {
        public Config {
            if (batchSize < 1 || epochs < 1 || maxSteps < 0 || !(lr > 0) || Double.isInfinite(lr)) {
                throw new IllegalArgumentException("need batch size >= 1, epochs >= 1, max steps >= 0 and a finite "
                        + "lr > 0, got " + batchSize + ", " + epochs + ", " + maxSteps + ", " + lr);
            }
            Objects.requireNonNull(optimizer, "optimizer");
        }
    }

    /**
     * One optimizer step as it went.
     *
     * @param epoch        the epoch, from 1
     * @param loss         the global batch's mean loss, before the step
     * @param examples     the global batch's size
     * @param correct      how many of the batch's examples the network classified correctly, before the step
     * @param stepNanos    wall time of the whole step, broadcast to optimizer update
     * @param gatherNanos  time from the job's end to the summed gradient (decoding and adding the N results):
     *                     the driver's share of the reduction
     * @param taskNanos    the slowest task's time from receiving to returning (replica, forward, backward)
     */
    public record Step(int epoch, double loss, int examples, long correct, long stepNanos, long gatherNanos,
                       long taskNanos) {
    }

    /** The trained network, its optimizer and every step's figures. */
    public record Result(Module model, Optimizer optimizer, List<Step> steps) {
        /** The loss of every step, in order. */
        public double[] losses() {
            return steps.stream().mapToDouble(Step::loss).toArray();
        }
    }

    private final JavaSparkContext sc;
    private final ModelFactory factory;
    private final Config config;

    /** A trainer of the networks {@code factory} builds, with {@code config}'s settings. */
    public DataParallelTrainer(JavaSparkContext sc, ModelFactory factory, Config config) {
        this.sc = Objects.requireNonNull(sc, "sc");
        this.factory = Objects.requireNonNull(factory, "factory");
        this.config = Objects.requireNonNull(config, "config");
    }

    /**
     * The global batches' example indices for a data set of {@code size} examples, epoch after epoch, in the
     * order a shuffling {@link DataLoader} with a generator seeded {@code shuffleSeed} yields them.
     */
    public static DataLoader batchIndices(int size, int batchSize, long shuffleSeed) {
        return batchIndices(size, batchSize, new Generator(shuffleSeed));
    }

    /**
     * The global batches' example indices for a data set of {@code size} examples, in the order a shuffling
     * {@link DataLoader} with {@code generator} (null: the global one) yields them, drawing what it draws: the
     * loader itself draws them, over a data set whose examples are their own indices (images and labels).
     */
    public static DataLoader batchIndices(int size, int batchSize, Generator generator) {
        Dataset indices = new Dataset() {
            @Override
            public int size() {
                return size;
            }

            @Override
            public Example get(int index) {
                Objects.checkIndex(index, size);
                Tensor i = Tensor.scalar(index, DType.INT64);
                return new Example(i, i);
            }
        };
        return DataLoader.builder(indices).batchSize(batchSize).shuffle(true).generator(generator).prefetch(0)
                .build();
    }

    /** The example indices of a {@link #batchIndices} batch. */
    static int[] indices(Batch batch) {
        long[] idx = batch.labels().toLongArray();
        int[] indices = new int[idx.length];
        for (int i = 0; i < idx.length; i++) {
            indices[i] = (int) idx[i];
        }
        return indices;
    }

    /** Trains on {@code data}; one line per epoch goes to {@code log} (null: none). */
    public Result train(TrainingSet data, PrintStream log) {
        Module model = replica(factory, config.seed());
        model.train();
        Optimizer optimizer = LeNetTraining.optimizer(config.optimizer(), model.parameters(), config.lr());
        DataLoader loader = batchIndices(data.size(), config.batchSize(), config.shuffleSeed());
        GradientJob job = new GradientJob(sc, factory, config.seed(), data, 0);
        List<Step> steps = new ArrayList<>();
        training:
        for (int epoch = 1; epoch <= config.epochs(); epoch++) {
            long epochStart = System.nanoTime();
            double lossSum = 0;
            int seen = 0;
            for (Batch b : loader) {
                if (config.maxSteps() > 0 && steps.size() >= config.maxSteps()) {
                    break training;
                }
                long start = System.nanoTime();
                GradientJob.Outcome o = job.run(model, indices(b));
                optimizer.step();
                optimizer.zeroGrad();
                steps.add(new Step(epoch, o.loss(), o.examples(), o.correct(), System.nanoTime() - start,
                        o.gatherNanos(), o.taskNanos()));
                lossSum += o.loss() * o.examples();
                seen += o.examples();
            }
            if (log != null && seen > 0) {
                log.printf("epoch %d/%d: train loss %.4f, %d steps, %.1f s%n", epoch, config.epochs(),
                        lossSum / seen, steps.size(), (System.nanoTime() - epochStart) / 1e9);
            }
        }
        return new Result(model, optimizer, steps);
    }

    /**
     * A network from {@code factory} built right after seeding the global generator with {@code seed}. The
     * global generator is left as it was: in local mode the tasks share the driver's JVM, whose shuffling
     * draws from it.
     */
    static Module replica(ModelFactory factory, long seed) {
        // Tasks on several threads of one JVM must not interleave seeding and drawing.
        synchronized (DataParallelTrainer.class) {
            Generator global = Generator.defaultGenerator();
            byte[] saved = global.getState();
            try {
                Tensor.manualSeed(seed);
                return factory.create();
            } finally {
                global.setState(saved);
            }
        }
    }

    /** The number of scalar parameters of the networks {@code factory} builds. */
    public static long parameterCount(ModelFactory factory) {
        long n = 0;
        for (Parameter p : replica(factory, 0).parameters()) {
            n += p.numel();
        }
        return n;
    }
}
