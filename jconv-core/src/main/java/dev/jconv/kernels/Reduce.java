package dev.jconv.kernels;

/**
 * Reductions over the last axis of a row-major {@code [outer, inner]} array: each output element reduces
 * one contiguous run of {@code inner} values, left to right, so the order (and the result) is fixed.
 */
public final class Reduce {
    private Reduce() {
    }

    /** Sums of each run. */
    public static double[] sum(double[] x, int outer, int inner) {
        double[] out = new double[outer];
        Parallel.forRange(outer, 64, o -> {
            double s = 0;
            int base = o * inner;
            for (int i = 0; i < inner; i++) {
                s += x[base + i];
            }
            out[o] = s;
        });
        return out;
    }

    /** {@link #sum(double[], int, int)} of float values, each widened exactly: the same sums, without a double copy. */
    public static double[] sum(float[] x, int outer, int inner) {
        double[] out = new double[outer];
        Parallel.forRange(outer, 64, o -> {
            double s = 0;
            int base = o * inner;
            for (int i = 0; i < inner; i++) {
                s += x[base + i];
            }
            out[o] = s;
        });
        return out;
    }

    /** {@link #argmax}/{@link #argmin} of float values (the same picks as of their exact doubles). */
    public static int[] argBest(float[] x, int outer, int inner, boolean max) {
        int[] out = new int[outer];
        Parallel.forRange(outer, 64, o -> {
            int base = o * inner;
            int best = 0;
            float bv = x[base];
            for (int i = 1; i < inner && !Float.isNaN(bv); i++) {
                float v = x[base + i];
                if (Float.isNaN(v) || (max ? v > bv : v < bv)) {
                    best = i;
                    bv = v;
                }
            }
            out[o] = best;
        });
        return out;
    }

    /** Index within each run of its largest value (first one on ties; NaN counts as largest, as PyTorch). */
    public static int[] argmax(double[] x, int outer, int inner) {
        return argBest(x, outer, inner, true);
    }

    /** Index within each run of its smallest value (first one on ties; NaN counts as smallest). */
    public static int[] argmin(double[] x, int outer, int inner) {
        return argBest(x, outer, inner, false);
    }

    private static int[] argBest(double[] x, int outer, int inner, boolean max) {
        int[] out = new int[outer];
        Parallel.forRange(outer, 64, o -> {
            int base = o * inner;
            int best = 0;
            double bv = x[base];
            for (int i = 1; i < inner && !Double.isNaN(bv); i++) {
                double v = x[base + i];
                if (Double.isNaN(v) || (max ? v > bv : v < bv)) {
                    best = i;
                    bv = v;
                }
            }
            out[o] = best;
        });
        return out;
    }

    /** A {@code [outer, inner]} array with 1 at {@code (o, index[o])} and 0 elsewhere. */
    public static double[] oneHot(int[] index, int inner) {
        double[] out = new double[index.length * inner];
        for (int o = 0; o < index.length; o++) {
            out[o * inner + index[o]] = 1;
        }
        return out;
    }
}
