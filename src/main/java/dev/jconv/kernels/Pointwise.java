package dev.jconv.kernels;

import dev.jconv.storage.DType;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

/** Elementwise loops over contiguous arrays; results are rounded to the output dtype. */
public final class Pointwise {
    private static final int GRAIN = 1 << 15;

    private Pointwise() {
    }

    /** {@code out[i] = f(a[i])}. */
    public static double[] map(double[] a, DoubleUnaryOperator f, DType out) {
        double[] r = new double[a.length];
        Parallel.forRange(chunks(a.length), 1, c -> {
            int end = Math.min(a.length, (c + 1) * GRAIN);
            for (int i = c * GRAIN; i < end; i++) {
                r[i] = out.round(f.applyAsDouble(a[i]));
            }
        });
        return r;
    }

    /** {@code out[i] = f(a[i], b[i])}; both arrays have the same length. */
    public static double[] zip(double[] a, double[] b, DoubleBinaryOperator f, DType out) {
        double[] r = new double[a.length];
        Parallel.forRange(chunks(a.length), 1, c -> {
            int end = Math.min(a.length, (c + 1) * GRAIN);
            for (int i = c * GRAIN; i < end; i++) {
                r[i] = out.round(f.applyAsDouble(a[i], b[i]));
            }
        });
        return r;
    }

    /** {@code a[i] = f(a[i], b[i])} in place (b may have length 1: a scalar). */
    public static void zipInPlace(double[] a, int offset, double[] b, DoubleBinaryOperator f, DType out) {
        int n = b.length;
        for (int i = 0; i < n; i++) {
            a[offset + i] = out.round(f.applyAsDouble(a[offset + i], b[i]));
        }
    }

    private static int chunks(int n) {
        return (n + GRAIN - 1) / GRAIN;
    }
}
