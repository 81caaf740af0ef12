package dev.jconv.bench;

import dev.jconv.examples.LeNet;
import dev.jconv.models.Models;
import dev.jconv.nn.CrossEntropyLoss;
import dev.jconv.nn.Module;
import dev.jconv.optim.SGD;
import dev.jconv.tensor.Tensor;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import jdk.jfr.Recording;

/**
 * Times training steps of a whole network (forward, cross-entropy, zero_grad, backward, SGD step) on random
 * inputs, as {@code scripts/pytorch_step.py} does in PyTorch: D2L's networks with D2L's initialisation (one
 * forward to size the lazy layers, then Xavier-uniform), so both print the same first loss. Two medians are
 * reported, of the same windows in both: the warm-up (steps 3 to {@link #WARM_UP}, while the JVM is still
 * compiling the code a step runs) and the steady state (the steps after it). The timed steps run without a
 * profiler, as PyTorch's do; a few more steps follow under a JFR recording, whose samples {@link StepBreakdown}
 * sorts by kind of work. Prints one line per step, the breakdown, and a summary line: both medians, peak resident
 * set (VmHWM), peak heap. A kernel left on the Vector API's Java fallback (allocation samples inside
 * {@code jdk.incubator.vector}) is named, and more than a tenth of the allocation samples there makes the exit
 * status 3.
 * Usage: {@code StepBench NET BATCH SIZE STEPS} (NET: lenet, or a name of {@link Models#names()}).
 */
public final class StepBench {
    /** Share of the allocation samples inside the Vector API above which the run fails (exit status 3). */
    private static final double FALLBACK_SHARE = 0.1;
    /** The last step of the warm-up window; the steady window starts after it (as in pytorch_step.py). */
    static final int WARM_UP = 10;
    /** The fewest steps run after the timed ones under the JFR recording that gives the breakdown. */
    private static final int MIN_PROFILED = 5;

    private StepBench() {
    }

    public static void main(String[] args) throws Exception {
        String name = args.length > 0 ? args[0] : "resnet18";
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        int size = args.length > 2 ? Integer.parseInt(args[2]) : 96;
        int steps = args.length > 3 ? Integer.parseInt(args[3]) : 30;
        if (steps <= WARM_UP) {
            throw new IllegalArgumentException("steps must be more than " + WARM_UP + ", got " + steps
                    + ": steps 3-" + WARM_UP + " are the warm-up window");
        }
        Tensor.manualSeed(0);
        Tensor x = Tensor.randn(batch, 1, size, size);
        Tensor y = Tensor.randint(0, 10, batch);
        Module net = name.equals("lenet") ? LeNet.classic() : Models.applyInit(Models.named(name), x);
        var loss = new CrossEntropyLoss();
        var opt = new SGD(net.parameters(), 0.05);
        double[] ms = new double[steps];
        for (int s = 0; s < steps; s++) {
            ms[s] = step(net, loss, opt, x, y, s + 1, "");
        }
        // About two seconds of profiled steps: enough samples for the breakdown of a short LeNet step as well.
        int profiledSteps = Math.max(MIN_PROFILED, (int) Math.ceil(2000 / median(ms, WARM_UP, steps)));
        double gcBefore = StepBreakdown.gcMillis();
        long allocatedBefore = allocatedBytes();
        Recording recording = new Recording(StepBreakdown.settings());
        recording.start();
        double total = 0;
        for (int s = 0; s < profiledSteps; s++) {
            total += step(net, loss, opt, x, y, steps + s + 1, " (profiled)");
        }
        recording.stop();
        Path jfr = Files.createTempFile("jconv-steps", ".jfr");
        recording.dump(jfr);
        recording.close();
        double gc = StepBreakdown.gcMillis() - gcBefore;
        double allocated = (allocatedBytes() - allocatedBefore) / (double) profiledSteps;
        System.out.printf("breakdown of steps %d-%d, under JFR:%n", steps + 1, steps + profiledSteps);
        System.out.print(StepBreakdown.of(jfr, total - gc, gc, profiledSteps));
        System.out.printf("allocated per step: %.0f MB%n", allocated / 1e6);
        var fallback = StepBreakdown.vectorFallback(jfr);
        int samples = fallback.remove("");
        fallback.forEach((kernel, n) -> System.out.printf(
                "VECTOR API FALLBACK: %s made %d of %d allocation samples inside jdk.incubator.vector%n", kernel, n,
                samples));
        int inVectorApi = fallback.values().stream().mapToInt(Integer::intValue).sum();
        String keep = System.getProperty("jfr"); // -Djfr=FILE keeps the recording for `jfr print`
        if (keep != null) {
            Files.move(jfr, Path.of(keep), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        Files.deleteIfExists(jfr);
        long heapPeak = 0;
        for (var pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                heapPeak += pool.getPeakUsage().getUsed();
            }
        }
        System.out.printf("%s batch %d %dx%d: steady median %.1f ms per step (steps %d-%d), warm-up median %.1f ms "
                        + "(steps 3-%d), peak RSS %.2f GB, peak heap %.2f GB%n", name, batch, size, size,
                median(ms, WARM_UP, steps), WARM_UP + 1, steps, median(ms, 2, WARM_UP), WARM_UP, vmHwm() / 1e9,
                heapPeak / 1e9);
        // Cold code (a softmax over 32 × 10 logits, run a few times a step) may not be compiled by C2 within the
        // run and shows in a sample or two; a hot kernel off its intrinsics took half the samples.
        if (inVectorApi > FALLBACK_SHARE * samples) {
            System.exit(3); // a kernel left its intrinsics: the figures above are not the kernels' own
        }
    }

    /** Runs one training step and prints its line; returns its time in ms. */
    private static double step(Module net, CrossEntropyLoss loss, SGD opt, Tensor x, Tensor y, int number,
                               String note) {
        long t0 = System.nanoTime();
        long cpu0 = processCpuNanos();
        Tensor l = loss.forward(net.forward(x), y);
        opt.zeroGrad();
        l.backward();
        opt.step();
        double ms = (System.nanoTime() - t0) / 1e6;
        double busy = (processCpuNanos() - cpu0) / 1e6 / ms; // cores kept busy, JIT and GC threads included
        System.out.printf("step %d%s: %.1f ms, loss %.4f, %.2f cores busy%n", number, note, ms, l.item(), busy);
        return ms;
    }

    /** The median of {@code ms[from..to)}: the upper one of an even count, as pytorch_step.py takes it. */
    static double median(double[] ms, int from, int to) {
        double[] window = Arrays.copyOfRange(ms, from, to);
        Arrays.sort(window);
        return window[window.length / 2];
    }

    /** Bytes allocated so far by all threads (the kernels run on the pool's), from the JDK's thread bean. */
    static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getTotalThreadAllocatedBytes();
    }

    /** CPU time of all the process's threads so far, in ns. */
    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** The process's peak resident set in bytes (Linux), or -1. */
    static long vmHwm() throws Exception {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return -1;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return -1;
    }
}
