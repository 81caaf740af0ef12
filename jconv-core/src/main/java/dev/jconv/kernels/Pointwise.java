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
            int from = c * GRAIN;
            int end = Math.min(a.length, from + GRAIN);
            for (int i = from; i < end; i++) {
                r[i] = f.applyAsDouble(a[i]);
            }
            roundRange(r, from, end, out);
        });
        return r;
    }

    /** max(a[i], 0) with NaN kept (any dtype: the values are copies or zero). A loop of its own, not {@link #map}. */
    public static double[] relu(double[] a) {
        double[] r = new double[a.length];
        Parallel.forRange(chunks(a.length), 1, c -> {
            int end = Math.min(a.length, (c + 1) * GRAIN);
            for (int i = c * GRAIN; i < end; i++) {
                double v = a[i];
                r[i] = v > 0 || v != v ? v : 0;
            }
        });
        return r;
    }

    /** 1 where a[i] > 0, else 0: the derivative of {@link #relu} taken at its output. */
    public static double[] positive(double[] a) {
        double[] r = new double[a.length];
        Parallel.forRange(chunks(a.length), 1, c -> {
            int end = Math.min(a.length, (c + 1) * GRAIN);
            for (int i = c * GRAIN; i < end; i++) {
                r[i] = a[i] > 0 ? 1 : 0;
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

    /** The arithmetic operators with loops of their own (a lambda call per element costs several times more). */
    public enum Binary { ADD, SUB, MUL, DIV }

    /**
     * {@code a op b} elementwise where each operand is either an array of {@code n} values or, when its
     * length is 1, a scalar broadcast to all of them.
     */
    public static double[] binary(Binary op, double[] a, double[] b, int n, DType out) {
        double[] r = new double[n];
        Parallel.forRange(chunks(n), 1, c -> {
            int from = c * GRAIN;
            int to = Math.min(n, from + GRAIN);
            binaryRange(op, a, b, r, from, to);
            roundRange(r, from, to, out);
        });
        return r;
    }

    private static void binaryRange(Binary op, double[] a, double[] b, double[] r, int from, int to) {
        boolean as = a.length == 1 && r.length != 1;
        boolean bs = b.length == 1 && r.length != 1;
        if (as) {
            double x = a[0];
            switch (op) {
                case ADD -> { for (int i = from; i < to; i++) r[i] = x + b[i]; }
                case SUB -> { for (int i = from; i < to; i++) r[i] = x - b[i]; }
                case MUL -> { for (int i = from; i < to; i++) r[i] = x * b[i]; }
                case DIV -> { for (int i = from; i < to; i++) r[i] = x / b[i]; }
            }
        } else if (bs) {
            double y = b[0];
            switch (op) {
                case ADD -> { for (int i = from; i < to; i++) r[i] = a[i] + y; }
                case SUB -> { for (int i = from; i < to; i++) r[i] = a[i] - y; }
                case MUL -> { for (int i = from; i < to; i++) r[i] = a[i] * y; }
                case DIV -> { for (int i = from; i < to; i++) r[i] = a[i] / y; }
            }
        } else {
            switch (op) {
                case ADD -> { for (int i = from; i < to; i++) r[i] = a[i] + b[i]; }
                case SUB -> { for (int i = from; i < to; i++) r[i] = a[i] - b[i]; }
                case MUL -> { for (int i = from; i < to; i++) r[i] = a[i] * b[i]; }
                case DIV -> { for (int i = from; i < to; i++) r[i] = a[i] / b[i]; }
            }
        }
    }

    /** Rounds {@code r[from, to)} to the dtype, with a loop per dtype so the JIT can vectorise it. */
    private static void roundRange(double[] r, int from, int to, DType out) {
        switch (out) {
            case FLOAT64 -> { }
            case FLOAT32 -> {
                for (int i = from; i < to; i++) {
                    r[i] = (float) r[i];
                }
            }
            default -> {
                for (int i = from; i < to; i++) {
                    r[i] = out.round(r[i]);
                }
            }
        }
    }

    /**
     * Transcendental functions with loops of their own. Not the Vector API's EXP and TANH: they give
     * different bits once the JIT swaps its Java fallback for the native routine, which would make results
     * depend on warm-up. Float32 exp and sigmoid use {@link VectorMath} (vectorised, the same bits in every
     * tier); float64 results and tanh use {@code Math.exp} and {@code Math.tanh}, also the same in every tier.
     */
    public enum Unary { EXP, SIGMOID, TANH }

    /** {@code f(a[i])} for a {@link Unary} f, rounded to the dtype. */
    public static double[] unary(Unary op, double[] a, DType out) {
        double[] r = new double[a.length];
        Parallel.forRange(chunks(a.length), 1, c -> {
            int from = c * GRAIN;
            int to = Math.min(a.length, from + GRAIN);
            if (out == DType.FLOAT32 && op != Unary.TANH) {
                VectorMath.map(op == Unary.SIGMOID, a, r, from, to, a.length);
                roundRange(r, from, to, out);
                return;
            }
            switch (op) {
                case EXP -> {
                    for (int i = from; i < to; i++) {
                        r[i] = Math.exp(a[i]);
                    }
                }
                case TANH -> {
                    for (int i = from; i < to; i++) {
                        r[i] = Math.tanh(a[i]);
                    }
                }
                case SIGMOID -> {
                    for (int i = from; i < to; i++) {
                        r[i] = 1 / (1 + Math.exp(-a[i]));
                    }
                }
            }
            roundRange(r, from, to, out);
        });
        return r;
    }
}
