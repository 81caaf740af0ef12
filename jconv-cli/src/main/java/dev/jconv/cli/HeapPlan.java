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
 * about 200 MB live at its peak; PyTorch's process takes 0.6 GB), and a fixed cap would fail larger models. So the
 * launcher, unless {@code JCONV_JAVA_OPTS} sets a heap size, first runs the command with {@code --heap-plan}:
 * one training step of the model on random inputs of the run's batch and image size, the live heap measured
 * after its forward pass and after its backward pass (a full collection, then the heap in use), and the JVM
 * options printed ({@link #options}): a cap of three times that, and when the step's data set the cap (above the
 * 256 MB floor) three quarters of it as the young generation ({@code -Xmn}, {@link #youngMegabytes}); then it
 * starts the training with them. The probe costs a JVM start and one step.
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

    /**
     * The cap for a step that keeps {@code live} bytes: three times that, in whole MB, at least 256 MB. For
     * ResNet-18 at batch 32 (96×96: 200 MB live after the forward pass, 305 MB allocated a step) that is 600 MB,
     * whose young three quarters hold a step's allocation (0.73 GB resident against PyTorch's 0.63).
     */
    static long capMegabytes(long live) {
        return Math.max(256, 3 * live >> 20);
    }

    /**
     * The young generation for a cap, 0 to leave it to the collector. Above the floor, three quarters: a step's
     * activations then die young rather than being promoted and collected in full. ResNet-18 at batch 32 with a
     * 594 MB cap: 18–21 ms of collection a step against 27–32 with two thirds young, and a 100-batch epoch of
     * {@code ./jconv train} 39.0 s against 43.2. At the floor the heap holds mostly what stays (the data set's
     * 55 MB, the model), which belongs in the old generation: two thirds young made LeNet's epochs 10% slower.
     */
    static long youngMegabytes(long cap) {
        return cap > 256 ? cap * 3 / 4 : 0;
    }

    /** The JVM options of a cap, as the launcher passes them: {@code -Xmx}, and {@code -Xmn} above the floor. */
    static String options(long cap) {
        long young = youngMegabytes(cap);
        return "-Xmx" + cap + "m" + (young > 0 ? " -Xmn" + young + "m" : "");
    }
}
