package dev.jconv.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Batch norm's per-channel sums, in double, of one channel of an (n, channels, plane) float array: Σx, Σ(x − m)²
 * and the backward's Σg, Σg·(x − m). Each keeps eight running sums, element i of a plane going to sum i mod 8,
 * added in a fixed tree at the end: one chain of dependent additions would run at a quarter of the adder's
 * throughput. With eight double lanes (AVX-512) the eight sums are the lanes of one vector, which gives the same
 * bits as the scalar loops (each sum sees the same additions in the same order).
 */
final class ChannelStats {
    private static final int SUMS = 8;

    private ChannelStats() {
    }

    /** Whether the sums run as vectors: the Vector API is on and a double vector holds exactly the eight sums. */
    private static boolean vector() {
        return Sgemm.vectorized() && Species.DOUBLE.length() == SUMS;
    }

    /**
     * Σx over channel ch; with {@code lanes} false always by the scalar loop (the same bits), for callers too
     * rare to have the vector loop compiled before they need it: a convolution's bias gradient, a few calls a
     * step, ran on the Vector API's fallback through LeNet's first steps.
     */
    static double sum(float[] x, int n, int channels, int ch, int plane, boolean lanes) {
        double[] s = new double[SUMS];
        boolean vector = lanes && vector();
        for (int b = 0; b < n; b++) {
            int i = (b * channels + ch) * plane;
            int end = i + plane;
            if (vector) {
                i = Lanes.sum(x, i, end, s);
            }
            for (; i <= end - SUMS; i += SUMS) {
                for (int k = 0; k < SUMS; k++) {
                    s[k] += x[i + k];
                }
            }
            for (; i < end; i++) {
                s[0] += x[i];
            }
        }
        return tree(s);
    }

    /** Σ(x − m)² over channel ch, the deviations and squares in double. */
    static double squaredDeviations(float[] x, int n, int channels, int ch, int plane, double m) {
        double[] q = new double[SUMS];
        for (int b = 0; b < n; b++) {
            int i = (b * channels + ch) * plane;
            int end = i + plane;
            if (vector()) {
                i = Lanes.squaredDeviations(x, i, end, m, q);
            }
            for (; i <= end - SUMS; i += SUMS) {
                for (int k = 0; k < SUMS; k++) {
                    double d = x[i + k] - m;
                    q[k] += d * d;
                }
            }
            for (; i < end; i++) {
                double d = x[i] - m;
                q[0] += d * d;
            }
        }
        return tree(q);
    }

    /** {Σg, Σg·(x − m)} over channel ch, x − m in float (as the forward normalised), the products in double. */
    static double[] gradSums(float[] g, float[] x, int n, int channels, int ch, int plane, float m) {
        double[] s = new double[SUMS];
        double[] t = new double[SUMS];
        for (int b = 0; b < n; b++) {
            int i = (b * channels + ch) * plane;
            int end = i + plane;
            if (vector()) {
                i = Lanes.gradSums(g, x, i, end, m, s, t);
            }
            for (; i <= end - SUMS; i += SUMS) {
                for (int k = 0; k < SUMS; k++) {
                    s[k] += g[i + k];
                    t[k] += g[i + k] * (double) (x[i + k] - m);
                }
            }
            for (; i < end; i++) {
                s[0] += g[i];
                t[0] += g[i] * (double) (x[i] - m);
            }
        }
        return new double[] {tree(s), tree(t)};
    }

    private static double tree(double[] s) {
        return ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
    }

    /**
     * The vector loops, in a class of their own so that the scalar path never loads the Vector API; their one
     * helper, the float-to-double conversion, is in {@link VectorOps}, whose methods the JIT is told to inline
     * (a helper of their own, compiled apart, kept LeNet's bias gradients on the Vector API's fallback for
     * several steps). Each runs
     * from i while a whole float vector fits in the run and in the array (the eight lanes past a half are read
     * but not used), adds into the sums in place and returns where the scalar loop goes on.
     */
    private static final class Lanes {
        private static final VectorSpecies<Float> F = Species.FLOAT;
        private static final VectorSpecies<Double> D = Species.DOUBLE;

        private static int limit(float[] x, int end) {
            return Math.min(end, x.length - F.length() + SUMS) - SUMS;
        }

        static int sum(float[] x, int i, int end, double[] s) {
            DoubleVector acc = DoubleVector.fromArray(D, s, 0);
            for (int last = limit(x, end); i <= last; i += SUMS) {
                acc = VectorOps.add(acc, VectorOps.widen(FloatVector.fromArray(F, x, i)));
            }
            acc.intoArray(s, 0);
            return i;
        }

        static int squaredDeviations(float[] x, int i, int end, double m, double[] q) {
            DoubleVector acc = DoubleVector.fromArray(D, q, 0);
            DoubleVector mv = DoubleVector.broadcast(D, m);
            for (int last = limit(x, end); i <= last; i += SUMS) {
                DoubleVector d = VectorOps.sub(VectorOps.widen(FloatVector.fromArray(F, x, i)), mv);
                acc = VectorOps.add(acc, VectorOps.mul(d, d));
            }
            acc.intoArray(q, 0);
            return i;
        }

        static int gradSums(float[] g, float[] x, int i, int end, float m, double[] s, double[] t) {
            DoubleVector sAcc = DoubleVector.fromArray(D, s, 0);
            DoubleVector tAcc = DoubleVector.fromArray(D, t, 0);
            FloatVector mv = FloatVector.broadcast(F, m);
            for (int last = limit(x, end); i <= last; i += SUMS) {
                DoubleVector gv = VectorOps.widen(FloatVector.fromArray(F, g, i));
                DoubleVector dx = VectorOps.widen(VectorOps.sub(FloatVector.fromArray(F, x, i), mv));
                sAcc = VectorOps.add(sAcc, gv);
                tAcc = VectorOps.add(tAcc, VectorOps.mul(gv, dx));
            }
            sAcc.intoArray(s, 0);
            tAcc.intoArray(t, 0);
            return i;
        }
    }
}
