package dev.jconv.spark;

import dev.jconv.data.Batch;
import dev.jconv.data.Transforms;
import dev.jconv.examples.LeNetTraining;
import dev.jconv.nn.CrossEntropyLoss;
import dev.jconv.nn.Module;
import dev.jconv.nn.Reduction;
import dev.jconv.tensor.Tensor;
import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;

/**
 * The Spark job of one training step: broadcasts the weights and the global batch's indices, runs one task per
 * partition of the {@link TrainingSet} (the gradient of the batch's examples that its block holds), and adds
 * the tasks' gradients up on the driver in partition order, into the network's parameters' gradients.
 */
final class GradientJob {
    /** What one task sends back: its shard's share of the loss and of the gradient. */
    record ShardResult(int partition, int examples, long correct, double loss, float[] gradients, long nanos)
            implements Serializable {
    }

    /**
     * What a step's job gave.
     *
     * @param loss        the global batch's mean loss
     * @param examples    the global batch's size
     * @param correct     how many of its examples the network classified correctly
     * @param jobNanos    wall time from encoding the weights to the summed gradient set on the network
     * @param gatherNanos time from the job's end to the summed gradient (decoding and adding the N results)
     * @param taskNanos   the slowest task's time from receiving to returning (replica, forward, backward)
     */
    record Outcome(double loss, int examples, long correct, long jobNanos, long gatherNanos, long taskNanos) {
    }

    private final JavaSparkContext sc;
    private final ModelFactory factory;
    private final long seed;
    private final TrainingSet data;
    private final int resize;
    private final String failHook = System.getProperty(DataParallelTrainer.FAIL_FIRST_ATTEMPT_PROPERTY);
    private int steps;

    /**
     * Jobs over {@code data} whose tasks build their replicas with {@code factory} after seeding with
     * {@code seed}, and resize every image to {@code resize}×{@code resize} first (0: as they are).
     */
    GradientJob(JavaSparkContext sc, ModelFactory factory, long seed, TrainingSet data, int resize) {
        this.sc = Objects.requireNonNull(sc, "sc");
        this.factory = Objects.requireNonNull(factory, "factory");
        this.seed = seed;
        this.data = Objects.requireNonNull(data, "data");
        this.resize = resize;
    }

    /** Sets the gradient of {@code model}'s parameters to that of the examples {@code indices}' mean loss. */
    Outcome run(Module model, int[] indices) {
        long start = System.nanoTime();
        int stepIndex = steps++;
        Broadcast<byte[]> weights = sc.broadcast(ParameterCodec.encode(model));
        Broadcast<int[]> batch = sc.broadcast(indices);
        List<ShardResult> results;
        try {
            results = data.blocks().map(new ShardGradient(factory, seed, weights, batch, resize, stepIndex,
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
        long correct = 0;
        long slowest = 0;
        for (ShardResult r : results) {
            loss += r.loss();
            correct += r.correct();
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
        ParameterCodec.setGradients(model.parameters(), sum);
        long end = System.nanoTime();
        return new Outcome(loss, indices.length, correct, end - start, end - gatherStart, slowest);
    }

    /** The task of one step: the gradient of one partition's share of the global batch. */
    private static final class ShardGradient implements Function<ExampleBlock, ShardResult> {
        private final ModelFactory factory;
        private final long seed;
        private final Broadcast<byte[]> weights;
        private final Broadcast<int[]> batch;
        private final int resize;
        private final int stepIndex;
        private final String failHook;

        ShardGradient(ModelFactory factory, long seed, Broadcast<byte[]> weights, Broadcast<int[]> batch,
                      int resize, int stepIndex, String failHook) {
            this.factory = factory;
            this.seed = seed;
            this.weights = weights;
            this.batch = batch;
            this.resize = resize;
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
                DataParallelTrainer.INJECTED_FAILURES.incrementAndGet();
                throw new IllegalStateException("injected failure of step " + stepIndex + ", partition "
                        + partition + ", attempt 0 (" + DataParallelTrainer.FAIL_FIRST_ATTEMPT_PROPERTY + ")");
            }
            int[] all = batch.value();
            int[] shard = Arrays.stream(all).filter(block::holds).toArray();
            if (shard.length == 0) {
                return new ShardResult(partition, 0, 0, 0, null, System.nanoTime() - start);
            }
            Module model = DataParallelTrainer.replica(factory, seed);
            ParameterCodec.load(model, weights.value());
            model.train();
            Batch b = resize > 0 ? block.batch(shard, Transforms.resize(resize, resize)) : block.batch(shard);
            Tensor logits = model.forward(b.images());
            // Summed over the shard and divided by the global batch size: each example's loss gets the weight
            // 1/B it has in the global mean, so the shards' gradients add up to the global batch's.
            Tensor loss = new CrossEntropyLoss(Reduction.SUM).forward(logits, b.labels()).div(all.length);
            loss.backward();
            float[] gradients = ParameterCodec.flatGradients(model.parameters());
            return new ShardResult(partition, shard.length, LeNetTraining.correctCount(logits, b.labels()),
                    loss.item(), gradients, System.nanoTime() - start);
        }
    }
}
