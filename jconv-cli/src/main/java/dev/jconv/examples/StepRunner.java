package dev.jconv.examples;

import dev.jconv.data.Batch;
import dev.jconv.data.DataLoader;
import dev.jconv.data.Dataset;
import dev.jconv.data.Transform;
import dev.jconv.nn.Module;
import dev.jconv.tensor.Tensor;

/**
 * Where {@link LeNetTraining} computes the gradient of each step: in this process, or spread over a cluster
 * (jconv-spark's, found through {@link ClusterTraining}). The rest of a run — the recipe, the seeds, the
 * optimizer step, evaluation, checkpoints, outputs — is the training loop's, the same for every runner, so a
 * run gives the same figures wherever its gradients are computed, up to the order of float additions.
 */
public interface StepRunner extends AutoCloseable {
    /**
     * The loader whose batches the loop steps through, one batch a step. It must draw from the global generator
     * exactly what a shuffling {@link DataLoader} over {@code train} with batch size {@code batchSize} draws,
     * so that a run with a given seed sees the same examples in the same batches whatever its runner.
     *
     * @param transform applied to each image before it is batched (the modern CNNs' resizing)
     */
    DataLoader batches(Dataset train, int batchSize, Transform transform);

    /** The images of one of {@link #batches}'s batches as the network sees them (for sizing lazy layers). */
    Tensor images(Batch batch);

    /**
     * Called once before the first step, with the network built and initialised (and restored, when resuming):
     * a cluster runner checks that it can train it and ships the training set.
     *
     * @throws IllegalArgumentException when this runner cannot train {@code network} as the loop would
     */
    default void start(LeNetTraining.Config config, Module network) {
    }

    /**
     * Sets the gradient of every parameter of {@code network} (zero or absent before) to that of the batch's
     * mean cross-entropy loss, without changing the parameters.
     */
    StepResult gradient(Module network, Batch batch);

    /** Releases what the runner holds (a cluster's cached data, its connection). */
    @Override
    default void close() {
    }

    /**
     * What one step's batch gave.
     *
     * @param loss     the batch's mean loss, before the step
     * @param examples the number of examples in the batch
     * @param correct  how many of them the network classified correctly, before the step
     */
    record StepResult(double loss, int examples, long correct) {
    }
}
