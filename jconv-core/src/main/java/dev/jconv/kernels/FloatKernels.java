package dev.jconv.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Elementwise and per-channel float32 kernels: plain loops over {@code float[]}, computed in float as PyTorch's
 * CPU kernels compute them (sums of many terms accumulate in double, as PyTorch's batch-norm statistics do).
 * Work is split into ranges fixed by the length, so the bits do not depend on the thread count.
 */
public final class FloatKernels {
    /** Elements per task of the elementwise loops. */
    private static final int GRAIN = 1 << 15;

    private FloatKernels() {
    }

    /** Planes per task of the per-plane loops: small planes are grouped so that a task is not all overhead. */
    private static int planesPerTask(int plane) {
        return Math.max(1, (GRAIN / 4) / Math.max(1, plane));
    }

    private static int chunks(int n) {
        return (n + GRAIN - 1) / GRAIN;
    }

    /**
     * max(x, 0), NaN kept (PyTorch's {@code relu}); Math.max keeps NaN and compiles to vector max. Written into
     * {@code into} (x itself for {@code relu_}) or, when null, a new array.
     */
    public static float[] relu(float[] x, float[] into) {
        float[] r = into != null ? into : new float[x.length];
        Parallel.forRange(chunks(x.length), 1, c -> {
            for (int i = c * GRAIN, end = Math.min(x.length, i + GRAIN); i < end; i++) {
                r[i] = Math.max(x[i], 0f);
            }
        });
        return r;
    }

    /**
     * The gradient of relu from its output y: g where y > 0, else 0 (PyTorch's {@code threshold_backward}), as
     * a vector blend: the JIT does not vectorise the conditional on its own. Written into {@code into} (which
     * may be g itself) or, when null, a new array.
     */
    public static float[] reluBackward(float[] g, float[] y, float[] into) {
        float[] r = into != null ? into : new float[g.length];
        boolean vec = Sgemm.vectorized();
        Parallel.forRange(chunks(g.length), 1, c -> {
            int i = c * GRAIN;
            int end = Math.min(g.length, i + GRAIN);
            if (vec) {
                VectorSpecies<Float> s = Species.FLOAT;
                for (; i <= end - s.length(); i += s.length()) {
                    VectorOps.wherePositive(FloatVector.fromArray(s, y, i), FloatVector.fromArray(s, g, i))
                            .intoArray(r, i);
                }
            }
            for (; i < end; i++) {
                r[i] = y[i] > 0 ? g[i] : 0f;
            }
        });
        return r;
    }

    /** √x elementwise, correctly rounded (the double square root of a float, rounded once, is float's). */
    public static float[] sqrt(float[] x) {
        float[] r = new float[x.length];
        Parallel.forRange(chunks(x.length), 1, c -> {
            for (int i = c * GRAIN, end = Math.min(x.length, i + GRAIN); i < end; i++) {
                r[i] = (float) Math.sqrt(x[i]);
            }
        });
        return r;
    }

    /** a + b, elementwise (same lengths). */
    public static float[] add(float[] a, float[] b) {
        float[] r = new float[a.length];
        Parallel.forRange(chunks(a.length), 1, c -> {
            for (int i = c * GRAIN, end = Math.min(a.length, i + GRAIN); i < end; i++) {
                r[i] = a[i] + b[i];
            }
        });
        return r;
    }

    /** x[i] = fma(alpha, y[i], x[i]): {@code x.add_(y, alpha)} rounded once, as PyTorch's CPU kernel does. */
    public static void addScaledInPlace(float[] x, float alpha, float[] y) {
        Parallel.forRange(chunks(x.length), 1, c -> {
            for (int i = c * GRAIN, end = Math.min(x.length, i + GRAIN); i < end; i++) {
                x[i] = Math.fma(alpha, y[i], x[i]);
            }
        });
    }

    /** The elementwise in-place updates of a float32 tensor ({@code copy_}, {@code add_}, {@code sub_}, {@code mul_}). */
    public enum Update { ASSIGN, ADD, SUB, MUL }

    /**
     * x[i] = x[i] op y[i], each result rounded once to float (the same bits as computing in double and rounding);
     * y holds x.length values or one, used for all.
     */
    public static void update(Update op, float[] x, float[] y) {
        boolean one = y.length == 1 && x.length != 1;
        Parallel.forRange(chunks(x.length), 1, c -> {
            int from = c * GRAIN;
            int end = Math.min(x.length, from + GRAIN);
            if (one) {
                float v = y[0];
                switch (op) {
                    case ASSIGN -> java.util.Arrays.fill(x, from, end, v);
                    case ADD -> { for (int i = from; i < end; i++) x[i] += v; }
                    case SUB -> { for (int i = from; i < end; i++) x[i] -= v; }
                    case MUL -> { for (int i = from; i < end; i++) x[i] *= v; }
                }
                return;
            }
            switch (op) {
                case ASSIGN -> System.arraycopy(y, from, x, from, end - from);
                case ADD -> { for (int i = from; i < end; i++) x[i] += y[i]; }
                case SUB -> { for (int i = from; i < end; i++) x[i] -= y[i]; }
                case MUL -> { for (int i = from; i < end; i++) x[i] *= y[i]; }
            }
        });
    }

    /** x[i] = fma(a[i], b[i], x[i]), rounded once; a and b hold x.length values or one. */
    public static void fmaInPlace(float[] x, float[] a, float[] b) {
        boolean oneA = a.length == 1 && x.length != 1;
        boolean oneB = b.length == 1 && x.length != 1;
        Parallel.forRange(chunks(x.length), 1, c -> {
            for (int i = c * GRAIN, end = Math.min(x.length, i + GRAIN); i < end; i++) {
                x[i] = Math.fma(a[oneA ? 0 : i], b[oneB ? 0 : i], x[i]);
            }
        });
    }

    /** x[i] += y[i]. */
    public static void addInPlace(float[] x, float[] y) {
        Parallel.forRange(chunks(x.length), 1, c -> {
            for (int i = c * GRAIN, end = Math.min(x.length, i + GRAIN); i < end; i++) {
                x[i] += y[i];
            }
        });
    }

    /**
     * Per-channel mean and biased variance of x laid out as (n, channels, plane), in double: two passes (the
     * mean, then the squared deviations; {@link ChannelStats}). Returns {mean, variance}.
     */
    public static double[][] channelMoments(float[] x, int n, int channels, int plane) {
        double[] mean = new double[channels];
        double[] var = new double[channels];
        double count = (double) n * plane;
        Parallel.forRange(channels, 1, ch -> {
            double m = ChannelStats.sum(x, n, channels, ch, plane, true) / count;
            mean[ch] = m;
            var[ch] = ChannelStats.squaredDeviations(x, n, channels, ch, plane, m) / count;
        });
        return new double[][] {mean, var};
    }

    /** The sum of channel ch of x laid out as (n, channels, plane), in double, in a fixed order ({@link ChannelStats}). */
    static double channelSum(float[] x, int n, int channels, int ch, int plane) {
        return ChannelStats.sum(x, n, channels, ch, plane, false);
    }

    /** y = x·scale[ch] + shift[ch] per channel, in float (x laid out as (n, channels, plane)). */
    public static float[] channelAffine(float[] x, int n, int channels, int plane, float[] scale, float[] shift) {
        float[] y = new float[x.length];
        Parallel.forRange(n * channels, planesPerTask(plane), t -> {
            int ch = t % channels;
            float a = scale[ch];
            float b = shift[ch];
            for (int i = t * plane, end = i + plane; i < end; i++) {
                y[i] = x[i] * a + b;
            }
        });
        return y;
    }

    /**
     * Per-channel sums of g and of g·(x − mean[ch]), in double ({@link ChannelStats}): the batch-norm backward's
     * reductions. Returns {Σg, Σg·(x − mean)}.
     */
    public static double[][] channelGradSums(float[] g, float[] x, int n, int channels, int plane, double[] mean) {
        double[] sumG = new double[channels];
        double[] sumGx = new double[channels];
        Parallel.forRange(channels, 1, ch -> {
            double[] sums = ChannelStats.gradSums(g, x, n, channels, ch, plane, (float) mean[ch]);
            sumG[ch] = sums[0];
            sumGx[ch] = sums[1];
        });
        return new double[][] {sumG, sumGx};
    }

    /**
     * The batch-norm input gradient per channel, {@code (g − gMean − (x − mean)·k)·scale}, in float; with a zero
     * k and gMean it is the evaluation-mode gradient {@code g·scale}. Written into {@code into} (which may be g
     * itself: each element is read before it is written) or, when null, a new array.
     */
    public static float[] batchNormInputGrad(float[] g, float[] x, int n, int channels, int plane, float[] mean,
                                             float[] gMean, float[] k, float[] scale, float[] into) {
        float[] r = into != null ? into : new float[g.length];
        Parallel.forRange(n * channels, planesPerTask(plane), t -> {
            int ch = t % channels;
            float m = mean[ch];
            float gm = gMean[ch];
            float kk = k[ch];
            float s = scale[ch];
            for (int i = t * plane, end = i + plane; i < end; i++) {
                r[i] = (g[i] - gm - (x[i] - m) * kk) * s;
            }
        });
        return r;
    }
}
