package dev.jconv.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.Configuration;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a training step's time goes: JFR's execution samples of the timed steps, each put in the kind of work
 * of its innermost jconv frame that names one (convolution, batch norm, elementwise, pooling, optimizer,
 * autograd bookkeeping), shared out over the step time less garbage collection, which the collector's
 * own pause time gives. The samples of both kernel threads count, so the figures are shares of the two cores'
 * time put in ms of the step; a helper polling between regions is shown apart.
 */
final class StepBreakdown {
    /** Kinds of work, tried in order on each frame from the innermost out: the first match names the sample. */
    private static final Map<String, List<String>> KINDS = new LinkedHashMap<>();

    static {
        KINDS.put("convolution", List.of("Sgemm", "Conv2dFloat", "Conv2dKernels", "Conv2dSliding", "Unfold",
                "Winograd", "StridedPointwise", "TapGemm", "Convolution"));
        // Batch norm's kernels are lambdas in FloatKernels: their frames read FloatKernels.lambda$channel…$0.
        KINDS.put("batch norm", List.of("Normalization", "FloatKernels.channel", "FloatKernels.batchNorm",
                "FloatKernels.lambda$channel", "FloatKernels.lambda$batchNorm", "batchNorm"));
        KINDS.put("pooling", List.of("Pool2dKernels", "Pool2dFloat", "MaxPoolLanes", "Pooling"));
        KINDS.put("elementwise", List.of("FloatKernels", "Pointwise", "VectorMath", "Arithmetic", "InPlace", "Reductions",
                "Reduce", "Softmax", "NllLoss", "LinearAlgebra", "Layout"));
        KINDS.put("optimizer", List.of("dev.jconv.optim"));
        KINDS.put("autograd bookkeeping", List.of("dev.jconv.autograd", "AccumulateGrad", "Op."));
    }

    /**
     * A kernel helper thread's loop: a sample whose innermost jconv frame is this one is the helper polling for
     * the next parallel region while the caller runs serial code (a core kept, not work done), or yielding its
     * core between polls: the latter are native samples ({@code jdk.NativeMethodSample}, in
     * {@code Thread.yield}), which the recording takes at the rate of the Java ones (see {@link #settings}).
     */
    private static final String IDLE_HELPER = "dev.jconv.kernels.Parallel$Helper.run";
    private static final String IDLE = "idle helper";

    private StepBreakdown() {
    }

    /**
     * The JFR settings for a recording to give to {@link #of}: the "profile" configuration with native
     * methods sampled at the period of Java code, so that the two kinds of sample weigh the same.
     */
    static Map<String, String> settings() throws Exception {
        Map<String, String> settings = new HashMap<>(Configuration.getConfiguration("profile").getSettings());
        settings.put("jdk.NativeMethodSample#period", settings.get("jdk.ExecutionSample#period"));
        return settings;
    }

    /** Total collection time so far, all collectors, in ms. */
    static double gcMillis() {
        long t = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            t += Math.max(0, gc.getCollectionTime());
        }
        return t;
    }

    /** The table: ms per step for each kind of work, from the samples in {@code jfr}. */
    static String of(Path jfr, double computeMs, double gcMs, int steps) throws Exception {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String k : KINDS.keySet()) {
            counts.put(k, 0);
        }
        counts.put("other", 0);
        counts.put(IDLE, 0);
        int total = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
            String type = e.getEventType().getName();
            boolean java = type.equals("jdk.ExecutionSample");
            if (!java && !type.equals("jdk.NativeMethodSample") || e.getStackTrace() == null) {
                continue;
            }
            String kind = kind(e.getStackTrace().getFrames());
            if (java || kind.equals(IDLE)) { // other native samples are threads blocked or in the JVM, not work
                counts.merge(kind, 1, Integer::sum);
                total++;
            }
        }
        StringBuilder sb = new StringBuilder(String.format("breakdown per step (%d samples):%n", total));
        for (var c : counts.entrySet()) {
            double share = total == 0 ? 0 : (double) c.getValue() / total;
            sb.append(String.format("  %-22s %8.1f ms  %5.1f%%%n", c.getKey(), share * computeMs / steps,
                    100 * share * computeMs / (computeMs + gcMs)));
        }
        sb.append(String.format("  %-22s %8.1f ms  %5.1f%%%n", "garbage collection", gcMs / steps,
                100 * gcMs / (computeMs + gcMs)));
        return sb.toString();
    }

    /**
     * The recording's allocation samples whose innermost frame is inside the Vector API
     * ({@code jdk.incubator.vector}), counted per jconv kernel that made them, and (key {@code ""}) all
     * allocation samples: a kernel the JIT compiled to vector instructions allocates nothing there, one left on
     * the Java fallback allocates per vector operation and takes a large share of the samples. (The samples'
     * weights, bytes since the thread's previous sample, say little about the sampled allocation itself.)
     */
    static Map<String, Integer> vectorFallback(Path jfr) throws Exception {
        Map<String, Integer> counts = new LinkedHashMap<>();
        counts.put("", 0);
        for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
            if (!e.getEventType().getName().equals("jdk.ObjectAllocationSample") || e.getStackTrace() == null) {
                continue;
            }
            counts.merge("", 1, Integer::sum);
            List<RecordedFrame> frames = e.getStackTrace().getFrames();
            if (frames.isEmpty() || !frames.getFirst().getMethod().getType().getName().startsWith("jdk.incubator.vector")) {
                continue;
            }
            String kernel = "?";
            for (RecordedFrame f : frames) {
                String type = f.getMethod().getType().getName();
                if (type.startsWith("dev.jconv.") && !type.endsWith("VectorOps")) {
                    kernel = type.substring(type.lastIndexOf('.') + 1) + "." + f.getMethod().getName() + ":"
                            + f.getLineNumber();
                    break;
                }
            }
            counts.merge(kernel, 1, Integer::sum);
        }
        return counts;
    }

    private static String kind(List<RecordedFrame> frames) {
        boolean innermost = true;
        for (RecordedFrame f : frames) {
            String where = f.getMethod().getType().getName() + "." + f.getMethod().getName();
            if (!where.startsWith("dev.jconv.")) {
                continue;
            }
            if (innermost && where.equals(IDLE_HELPER)) {
                return IDLE;
            }
            innermost = false;
            for (var k : KINDS.entrySet()) {
                for (String pattern : k.getValue()) {
                    if (where.contains(pattern)) {
                        return k.getKey();
                    }
                }
            }
        }
        return "other";
    }
}
