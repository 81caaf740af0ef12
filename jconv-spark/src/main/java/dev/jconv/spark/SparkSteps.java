package dev.jconv.spark;

import dev.jconv.data.Batch;
import dev.jconv.data.DataLoader;
import dev.jconv.data.Dataset;
import dev.jconv.data.Transform;
import dev.jconv.examples.LeNetTraining;
import dev.jconv.examples.StepRunner;
import dev.jconv.nn.Module;
import dev.jconv.tensor.Tensor;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * {@link LeNetTraining}'s steps computed on Spark, one job per step ({@link GradientJob}): what
 * {@code jconv train --spark} runs. The training loop stays on the driver — recipe, seeds, optimizer,
 * evaluation on the test set, checkpoints and outputs are single-process training's own code — and only each
 * step's gradient is computed by the tasks.
 *
 * <p>The batches are drawn on the driver from the global generator by a loader of example indices that draws
 * exactly what the single-process loop's shuffling loader draws, so a run sees the same batches as one
 * process with the same seed, its checkpoints hold the same generator state, and it resumes from either kind
 * of checkpoint.
 */
public final class SparkSteps implements StepRunner {
    private final JavaSparkContext sc;
    private final int workers;
    private final PrintStream log;
    private final List<GradientJob.Outcome> outcomes = new ArrayList<>();
    private Runnable onClose = () -> { };
    private Dataset train;
    private Transform transform;
    private TrainingSet data;
    private GradientJob job;

    /**
     * Steps computed in {@code workers} tasks each, one per part of the training set.
     *
     * @param log where the timings go when the runner is closed (null: nowhere)
     */
    public SparkSteps(JavaSparkContext sc, int workers, PrintStream log) {
        if (workers < 1) {
            throw new IllegalArgumentException("need at least 1 worker, got " + workers);
        }
        this.sc = Objects.requireNonNull(sc, "sc");
        this.workers = workers;
        this.log = log;
    }

    /** Runs {@code action} once this runner has been closed (e.g. stopping the Spark session it ran in). */
    SparkSteps onClose(Runnable action) {
        this.onClose = Objects.requireNonNull(action, "action");
        return this;
    }

    @Override
    public DataLoader batches(Dataset train, int batchSize, Transform transform) {
        this.train = Objects.requireNonNull(train, "train");
        this.transform = Objects.requireNonNull(transform, "transform");
        // Null: shuffled with the global generator, as the single-process loader is.
        return DataParallelTrainer.batchIndices(train.size(), batchSize, null);
    }

    @Override
    public Tensor images(Batch batch) {
        int[] indices = DataParallelTrainer.indices(batch);
        Tensor[] images = new Tensor[indices.length];
        for (int i = 0; i < indices.length; i++) {
            images[i] = transform.apply(train.get(indices[i]).image());
        }
        return Tensor.stack(images, 0);
    }

    /** Refuses a network that would not train as in one process, then caches the training set on the executors. */
    @Override
    public void start(LeNetTraining.Config config, Module network) {
        if (train == null) {
            throw new IllegalStateException("batches() must be called before start()");
        }
        String why = Networks.unsupported(network);
        if (why != null) {
            throw new IllegalArgumentException(config.model() + " cannot be trained on Spark: it has " + why
                    + "; train it without --spark");
        }
        int[] imageShape = transform.apply(train.get(0).image()).shape().toArray();
        data = TrainingSet.parallelize(sc, train, workers);
        job = new GradientJob(sc, Networks.recipe(config.model(), imageShape), config.seed(), data,
                config.resize());
    }

    @Override
    public StepResult gradient(Module network, Batch batch) {
        if (job == null) {
            throw new IllegalStateException("start() must be called before the first step");
        }
        GradientJob.Outcome o = job.run(network, DataParallelTrainer.indices(batch));
        outcomes.add(o);
        return new StepResult(o.loss(), o.examples(), o.correct());
    }

    /** Drops the cached training set, reports the timings, then runs what {@link #onClose} was given. */
    @Override
    public void close() {
        try {
            if (data != null) {
                data.unpersist();
            }
            if (log != null && !outcomes.isEmpty()) {
                log.println(timings(outcomes));
            }
        } finally {
            onClose.run();
        }
    }

    /**
     * Steps per second and the mean time per step spent gathering gradients on the driver and in the slowest
     * task, leaving out the first step (JIT compilation, first broadcast). A step's time is its job's, from
     * encoding the weights to the summed gradient; the optimizer's update (about a millisecond for LeNet) and
     * the evaluation are not in it.
     */
    static String timings(List<GradientJob.Outcome> steps) {
        List<GradientJob.Outcome> measured = steps.size() > 1 ? steps.subList(1, steps.size()) : steps;
        double seconds = measured.stream().mapToLong(GradientJob.Outcome::jobNanos).sum() / 1e9;
        double gatherMs = measured.stream().mapToLong(GradientJob.Outcome::gatherNanos).average().orElse(0) / 1e6;
        double taskMs = measured.stream().mapToLong(GradientJob.Outcome::taskNanos).average().orElse(0) / 1e6;
        return String.format(Locale.ROOT, "Spark: %d steps after the first: %.2f steps/s, %.1f ms per step, "
                + "of which gathering and summing gradients %.2f ms, slowest task %.1f ms", measured.size(),
                measured.size() / seconds, 1000 * seconds / measured.size(), gatherMs, taskMs);
    }
}
