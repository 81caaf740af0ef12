package dev.jconv.kernels;

import dev.jconv.storage.DType;

/**
 * Softmax and log-softmax along one axis of a row-major {@code [outer, size, inner]} array. The largest
 * value of each run is subtracted before exponentiating, so large logits cannot overflow; everything is
 * computed in double and rounded to the output dtype once.
 */
public final class SoftmaxKernels {
    private SoftmaxKernels() {
    }

    /** {@code x - max - log(sum(exp(x - max)))} along the middle axis. */
    public static double[] logSoftmax(double[] x, int outer, int size, int inner, DType out) {
        return run(x, outer, size, inner, out, true);
    }

    /** {@code exp(x - max) / sum(exp(x - max))} along the middle axis. */
    public static double[] softmax(double[] x, int outer, int size, int inner, DType out) {
        return run(x, outer, size, inner, out, false);
    }

    private static double[] run(double[] x, int outer, int size, int inner, DType out, boolean log) {
        double[] r = new double[x.length];
        Parallel.forRange(outer * inner, 64, k -> {
            int base = (k / inner) * size * inner + k % inner;
            double max = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < size; i++) {
                max = Math.max(max, x[base + i * inner]); // Math.max keeps a NaN, which then spreads as in PyTorch
            }
            double sum = 0;
            for (int i = 0; i < size; i++) {
                sum += Math.exp(x[base + i * inner] - max);
            }
            double logSum = Math.log(sum);
            for (int i = 0; i < size; i++) {
                double shifted = x[base + i * inner] - max;
                r[base + i * inner] = out.round(log ? shifted - logSum : Math.exp(shifted) / sum);
            }
        });
        return r;
    }
}
