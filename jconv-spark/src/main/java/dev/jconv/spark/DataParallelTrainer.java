package dev.jconv.spark;

import dev.jconv.data.Batch;
import dev.jconv.data.DataLoader;
import dev.jconv.data.Dataset;
import dev.jconv.data.Example;
import dev.jconv.nn.CrossEntropyLoss;
import dev.jconv.nn.Module;
import dev.jconv.nn.Parameter;
import dev.jconv.nn.Reduction;
import dev.jconv.optim.Adam;
import dev.jconv.optim.AdamW;
import dev.jconv.optim.Optimizer;
import dev.jconv.optim.SGD;
import dev.jconv.random.Generator;
import dev.jconv.storage.DType;
import dev.jconv.tensor.Tensor;
import java.io.PrintStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;

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
 * fixed cost of a job per step (broadcast, scheduling, task start: about 80 ms in local mode) and the driver being the only place gradients
 * meet, which is fine for small models; see {@code docs/spark.md} for where it stops scaling.
 *
 * <p><b>Same numbers as one process.</b> The global batches are drawn by a jconv {@link DataLoader} shuffling
 * with a {@link Generator} seeded with {@link Config#shuffleSeed()}, so they are exactly the batches the
 * single-process loop {@code DataLoader.builder(data).batchSize(b).shuffle(true).generator(new
 * Generator(shuffleSeed))} gives, epoch after epoch. Each task scales its shard's summed loss by 1/B (B the
 * global batch size), so the shards' gradients add up to the gradient of the global batch's mean loss; only
 * the order of float additions differs from one process. The sum is taken in partition order, so a run is
 * repeatable bit for bit, retries included.
 *
 * <p>Limits: modules with buffers updated in training (batch-norm running statistics) or random layers
 * (dropout) are not supported faithfully: the tasks' buffer updates are dropped, and their random draws
 * differ from one process's.
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
     * @param stepNanos    wall time of the whole step, broadcast to optimizer update
     * @param gatherNanos  time from the job's end to the summed gradient (decoding and adding the N results):
     *                     the driver's share of the reduction
     * @param taskNanos    the slowest task's time from receiving to returning (replica, forward, backward)
     */
    public record Step(int epoch, double loss, int examples, long stepNanos, long gatherNanos, long taskNanos) {
    }

    /** The trained network, its optimizer and every step's figures. */
    public record Result(Module model, Optimizer optimizer, List<Step> steps) {
        /** The loss of every step, in order. */
        public double[] losses() {
            return steps.stream().mapToDouble(Step::loss).toArray();
        }
    }

    /** What one task sends back: its shard's share of the loss and of the gradient. */
    record ShardResult(int partition, int examples, double loss, float[] gradients, long nanos)
            implements Serializable {
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

    /** The optimizer named by {@code name} over {@code parameters}. */
    public static Optimizer optimizer(String name, List<Parameter> parameters, double lr) {
        return switch (name) {
            case "sgd" -> new SGD(parameters, lr);
            case "adam" -> new Adam(parameters, lr);
            case "adamw" -> new AdamW(parameters, lr);
            default -> throw new IllegalArgumentException("unknown optimizer '" + name + "'; known: sgd, adam, adamw");
        };
    }

    /**
     * The global batches' example indices for a data set of {@code size} examples, epoch after epoch, in the
     * order a shuffling {@link DataLoader} with a generator seeded {@code shuffleSeed} yields them: the
     * loader itself draws them, over a data set whose examples are their own indices.
     */
    public static DataLoader batchIndices(int size, int batchSize, long shuffleSeed) {
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
        return DataLoader.builder(indices).batchSize(batchSize).shuffle(true).generator(new Generator(shuffleSeed))
                .prefetch(0).build();
    }

    /** Trains on {@code data}; one line per epoch goes to {@code log} (null: none). */
    public Result train(TrainingSet data, PrintStream log) {
        Module model = replica(factory, config.seed());
        model.train();
        List<Parameter> parameters = model.parameters();
        Optimizer optimizer = optimizer(config.optimizer(), parameters, config.lr());
        DataLoader loader = batchIndices(data.size(), config.batchSize(), config.shuffleSeed());
        List<Step> steps = new ArrayList<>();
        String failHook = System.getProperty(FAIL_FIRST_ATTEMPT_PROPERTY);
        training:
        for (int epoch = 1; epoch <= config.epochs(); epoch++) {
            long epochStart = System.nanoTime();
            double lossSum = 0;
            int seen = 0;
            for (Batch b : loader) {
                if (config.maxSteps() > 0 && steps.size() >= config.maxSteps()) {
                    break training;
                }
                long[] idx = b.labels().toLongArray();
                int[] indices = new int[idx.length];
                for (int i = 0; i < idx.length; i++) {
                    indices[i] = (int) idx[i];
                }
                Step s = step(data, model, parameters, optimizer, epoch, steps.size(), indices, failHook);
                steps.add(s);
                lossSum += s.loss() * s.examples();
                seen += s.examples();
            }
            if (log != null && seen > 0) {
                log.printf("epoch %d/%d: train loss %.4f, %d steps, %.1f s%n", epoch, config.epochs(),
                        lossSum / seen, steps.size(), (System.nanoTime() - epochStart) / 1e9);
            }
        }
        return new Result(model, optimizer, steps);
    }

    private Step step(TrainingSet data, Module model, List<Parameter> parameters, Optimizer optimizer, int epoch,
                      int stepIndex, int[] indices, String failHook) {
        long start = System.nanoTime();
        Broadcast<byte[]> weights = sc.broadcast(ParameterCodec.encode(model));
        Broadcast<int[]> batch = sc.broadcast(indices);
        List<ShardResult> results;
        try {
            results = data.blocks().map(new ShardGradient(factory, config.seed(), weights, batch, stepIndex,
                    failHook)).collect();
        } finally {
            // Each step's weights are new: drop them everywhere rather than leave them to the context cleaner.
            weights.destroy();
            batch.destroy();
        }
        long gatherStart = System.nanoTime();
        // collect() returns the results in partition order; adding them in that order, in float32 as one
        // process would hold them, makes the sum (hence the run) repeatable bit for bit.
        float[] sum = null;
        double loss = 0;
        long slowest = 0;
        for (ShardResult r : results) {
            loss += r.loss();
            slowest = Math.max(slowest, r.nanos());
            if (r.gradients() == null) {
                continue;
            }
            if (sum == null) {
                sum = r.gradients().clone();
            } else {
                float[] g = r.gradients();
                for (int i = 0; i < sum.length; i++) {
                    sum[i] += g[i];
                }
            }
        }
        if (sum == null) {
            throw new IllegalStateException("no partition held any example of step " + stepIndex + "'s batch");
        }
        ParameterCodec.setGradients(parameters, sum);
        long gatherNanos = System.nanoTime() - gatherStart;
        optimizer.step();
        optimizer.zeroGrad();
        return new Step(epoch, loss, indices.length, System.nanoTime() - start, gatherNanos, slowest);
    }

    /** A network from {@code factory} built right after seeding the global generator with {@code seed}. */
    static Module replica(ModelFactory factory, long seed) {
        // In local mode the tasks share the driver's JVM, hence its global generator: seeding and drawing
        // must not interleave between threads.
        synchronized (DataParallelTrainer.class) {
            Tensor.manualSeed(seed);
            return factory.create();
        }
    }

    /** The task of one step: the gradient of one partition's share of the global batch. */
    private static final class ShardGradient implements Function<ExampleBlock, ShardResult> {
        private final ModelFactory factory;
        private final long seed;
        private final Broadcast<byte[]> weights;
        private final Broadcast<int[]> batch;
        private final int stepIndex;
        private final String failHook;

        ShardGradient(ModelFactory factory, long seed, Broadcast<byte[]> weights, Broadcast<int[]> batch,
                      int stepIndex, String failHook) {
            this.factory = factory;
            this.seed = seed;
            this.weights = weights;
            this.batch = batch;
            this.stepIndex = stepIndex;
            this.failHook = failHook;
        }

        @Override
        public ShardResult call(ExampleBlock block) {
            long start = System.nanoTime();
            TaskContext task = TaskContext.get();
            int partition = task == null ? -1 : task.partitionId();
            if (failHook != null && task != null && task.attemptNumber() == 0
                    && failHook.equals(stepIndex + ":" + partition)) {
                INJECTED_FAILURES.incrementAndGet();
                throw new IllegalStateException("injected failure of step " + stepIndex + ", partition "
                        + partition + ", attempt 0 (" + FAIL_FIRST_ATTEMPT_PROPERTY + ")");
            }
            int[] all = batch.value();
            int mine = 0;
            for (int i : all) {
                if (block.holds(i)) {
                    mine++;
                }
            }
            if (mine == 0) {
                return new ShardResult(partition, 0, 0, null, System.nanoTime() - start);
            }
            int[] shard = new int[mine];
            int k = 0;
            for (int i : all) {
                if (block.holds(i)) {
                    shard[k++] = i;
                }
            }
            Module model = replica(factory, seed);
            ParameterCodec.load(model, weights.value());
            model.train();
            Batch b = block.batch(shard);
            // Summed over the shard and divided by the global batch size: each example's loss gets the weight
            // 1/B it has in the global mean, so the shards' gradients add up to the global batch's.
            Tensor loss = new CrossEntropyLoss(Reduction.SUM).forward(model.forward(b.images()), b.labels())
                    .div(all.length);
            loss.backward();
            float[] gradients = ParameterCodec.flatGradients(model.parameters());
            return new ShardResult(partition, mine, loss.item(), gradients, System.nanoTime() - start);
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
