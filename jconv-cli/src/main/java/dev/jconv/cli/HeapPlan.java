package dev.jconv.cli;

import dev.jconv.examples.TrainingRecipes;
import dev.jconv.models.Models;
import dev.jconv.nn.CrossEntropyLoss;
import dev.jconv.nn.Module;
import dev.jconv.tensor.Tensor;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * A heap cap for {@code jconv train} sized from the run itself. Without a cap the parallel collector grows the
 * heap to several times a training step's live data (2.6–2.8 GB for ResNet-18 at batch 32, whose step keeps
 * about 310 MB live; PyTorch's process takes 0.6 GB), and a fixed cap would fail larger models. So the
 * launcher, unless {@code JCONV_JAVA_OPTS} sets a heap size, first runs the command with {@code --heap-plan}:
 * one training step of the model on random inputs of the run's batch and image size, the live heap measured
 * after it (a full collection, then the heap in use), and the cap printed, twice that plus 64 MB; then it
 * starts the training with that {@code -Xmx}, and when the step's data set the cap (above the 256 MB floor) two
 * thirds of it as the young generation ({@code -Xmn}, {@link #youngMegabytes}). The probe costs a JVM start and
 * one step.
 */
final class HeapPlan {
    private HeapPlan() {
    }

    /**
     * Bytes live after one training step (forward, cross-entropy, backward) of {@code model} on a random batch
     * of {@code batch} single-channel images of side {@code side}: the parameters, their gradients and the
     * kernels' kept workspaces, measured after a full collection.
     */
    static long liveAfterStep(String model, int batch, int side) {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        Tensor x = Tensor.randn(batch, 1, side, side);
        Tensor y = Tensor.randint(0, 10, batch);
        Module net = TrainingRecipes.model(model);
        Models.applyInit(net, x);
        Tensor loss = new CrossEntropyLoss().forward(net.forward(x), y);
        System.gc();
        long afterForward = memory.getHeapMemoryUsage().getUsed();
        loss.backward();
        System.gc();
        return Math.max(afterForward, memory.getHeapMemoryUsage().getUsed());
    }

    /** The cap for a step that keeps {@code live} bytes: twice that plus 64 MB, in whole MB, at least 256 MB. */
    static long capMegabytes(long live) {
        return Math.max(256, (2 * live >> 20) + 64);
    }

    /**
     * The young generation for a cap, 0 to leave it to the collector. Above the floor, two thirds: a step's
     * activations then die young instead of being promoted and collected in full (ResNet-18, batch 32: a
     * 100-batch epoch 38.8 → 35.2 s). At the floor the heap holds mostly what stays (the data set's 55 MB, the
     * model), which belongs in the old generation: two thirds young made LeNet's epochs 10% slower.
     */
    static long youngMegabytes(long cap) {
        return cap > 256 ? cap * 2 / 3 : 0;
    }
}
