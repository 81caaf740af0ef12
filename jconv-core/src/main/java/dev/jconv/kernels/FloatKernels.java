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
     * mean, then the squared deviations). Each pass keeps eight running sums (element i of a plane goes to sum
     * i mod 8, the sums added in a fixed tree at the end): one chain of dependent double additions ran at a
     * quarter of the adder's throughput. Returns {mean, variance}.
     */
    public static double[][] channelMoments(float[] x, int n, int channels, int plane) {
        double[] mean = new double[channels];
        double[] var = new double[channels];
        double count = (double) n * plane;
        Parallel.forRange(channels, 1, ch -> {
            double m = channelSum(x, n, channels, ch, plane) / count;
            double q0 = 0, q1 = 0, q2 = 0, q3 = 0, q4 = 0, q5 = 0, q6 = 0, q7 = 0;
            for (int b = 0; b < n; b++) {
                int i = (b * channels + ch) * plane;
                int end = i + plane;
                for (; i <= end - 8; i += 8) {
                    double d0 = x[i] - m;
                    double d1 = x[i + 1] - m;
                    double d2 = x[i + 2] - m;
                    double d3 = x[i + 3] - m;
                    double d4 = x[i + 4] - m;
                    double d5 = x[i + 5] - m;
                    double d6 = x[i + 6] - m;
                    double d7 = x[i + 7] - m;
                    q0 += d0 * d0;
                    q1 += d1 * d1;
                    q2 += d2 * d2;
                    q3 += d3 * d3;
                    q4 += d4 * d4;
                    q5 += d5 * d5;
                    q6 += d6 * d6;
                    q7 += d7 * d7;
                }
                for (; i < end; i++) {
                    double d = x[i] - m;
                    q0 += d * d;
                }
            }
            mean[ch] = m;
            var[ch] = (((q0 + q1) + (q2 + q3)) + ((q4 + q5) + (q6 + q7))) / count;
        });
        return new double[][] {mean, var};
    }

    /**
     * The sum of channel ch of x laid out as (n, channels, plane), in double, in eight running sums (element i of
     * a plane goes to sum i mod 8) added in a fixed tree: one chain of dependent additions would run at a quarter
     * of the adder's throughput. Fixed order, so fixed bits.
     */
    static double channelSum(float[] x, int n, int channels, int ch, int plane) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        for (int b = 0; b < n; b++) {
            int i = (b * channels + ch) * plane;
            int end = i + plane;
            for (; i <= end - 8; i += 8) {
                s0 += x[i];
                s1 += x[i + 1];
                s2 += x[i + 2];
                s3 += x[i + 3];
                s4 += x[i + 4];
                s5 += x[i + 5];
                s6 += x[i + 6];
                s7 += x[i + 7];
            }
            for (; i < end; i++) {
                s0 += x[i];
            }
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
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
     * Per-channel sums of g and of g·(x − mean[ch]), in double, each in four running sums (element i of a plane
     * to sum i mod 4, added in a fixed tree at the end): the batch-norm backward's reductions. Returns
     * {Σg, Σg·(x − mean)}.
     */
    public static double[][] channelGradSums(float[] g, float[] x, int n, int channels, int plane, double[] mean) {
        double[] sumG = new double[channels];
        double[] sumGx = new double[channels];
        Parallel.forRange(channels, 1, ch -> {
            double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
            double t0 = 0, t1 = 0, t2 = 0, t3 = 0;
            float m = (float) mean[ch];
            for (int b = 0; b < n; b++) {
                int i = (b * channels + ch) * plane;
                int end = i + plane;
                for (; i <= end - 4; i += 4) {
                    float g0 = g[i];
                    float g1 = g[i + 1];
                    float g2 = g[i + 2];
                    float g3 = g[i + 3];
                    s0 += g0;
                    s1 += g1;
                    s2 += g2;
                    s3 += g3;
                    t0 += g0 * (double) (x[i] - m);
                    t1 += g1 * (double) (x[i + 1] - m);
                    t2 += g2 * (double) (x[i + 2] - m);
                    t3 += g3 * (double) (x[i + 3] - m);
                }
                for (; i < end; i++) {
                    s0 += g[i];
                    t0 += g[i] * (double) (x[i] - m);
                }
            }
            sumG[ch] = (s0 + s1) + (s2 + s3);
            sumGx[ch] = (t0 + t1) + (t2 + t3);
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
