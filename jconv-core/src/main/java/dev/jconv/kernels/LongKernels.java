package dev.jconv.kernels;

/**
 * int64 arithmetic, comparisons and reductions on long arrays, exact over the whole range (wrapping on
 * overflow, as PyTorch's int64 kernels do). int64 tensors are labels, indices and counts, so these are plain
 * loops, not vectorised.
 */
public final class LongKernels {
    private LongKernels() {
    }

    /** The six comparisons, each giving a bool per element pair. */
    public enum Comparison { EQ, NE, LT, LE, GT, GE }

    /**
     * {@code a op b} elementwise where each operand is either an array of {@code n} values or, when its
     * length is 1, a scalar broadcast to all of them.
     *
     * @throws IllegalArgumentException for {@link Pointwise.Binary#DIV}, whose int64 result is a float
     */
    public static long[] binary(Pointwise.Binary op, long[] a, long[] b, int n) {
        long[] r = new long[n];
        for (int i = 0; i < n; i++) {
            long x = a[a.length == 1 ? 0 : i];
            long y = b[b.length == 1 ? 0 : i];
            r[i] = switch (op) {
                case ADD -> x + y;
                case SUB -> x - y;
                case MUL -> x * y;
                case DIV -> throw new IllegalArgumentException("true division of int64 values gives a float");
            };
        }
        return r;
    }

    /** {@code a cmp b} elementwise, operands as in {@link #binary}. */
    public static boolean[] compare(Comparison cmp, long[] a, long[] b, int n) {
        boolean[] r = new boolean[n];
        for (int i = 0; i < n; i++) {
            long x = a[a.length == 1 ? 0 : i];
            long y = b[b.length == 1 ? 0 : i];
            r[i] = switch (cmp) {
                case EQ -> x == y;
                case NE -> x != y;
                case LT -> x < y;
                case LE -> x <= y;
                case GT -> x > y;
                case GE -> x >= y;
            };
        }
        return r;
    }

    /** Sums of each run of {@code inner} values of a row-major {@code [outer, inner]} array. */
    public static long[] sum(long[] x, int outer, int inner) {
        long[] out = new long[outer];
        for (int o = 0; o < outer; o++) {
            long s = 0;
            for (int i = o * inner; i < (o + 1) * inner; i++) {
                s += x[i];
            }
            out[o] = s;
        }
        return out;
    }

    /** Index within each run of its largest (or smallest) value, the first one on ties. */
    public static int[] argBest(long[] x, int outer, int inner, boolean max) {
        int[] out = new int[outer];
        for (int o = 0; o < outer; o++) {
            int base = o * inner;
            int best = 0;
            for (int i = 1; i < inner; i++) {
                long v = x[base + i];
                if (max ? v > x[base + best] : v < x[base + best]) {
                    best = i;
                }
            }
            out[o] = best;
        }
        return out;
    }

    /** {@code -x} or {@code |x|} of every element (wrapping at {@code Long.MIN_VALUE}, as two's complement does). */
    public static long[] negateOrAbs(long[] x, boolean abs) {
        long[] r = new long[x.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = abs ? Math.abs(x[i]) : -x[i];
        }
        return r;
    }

    /** {@code x != 0} of every element. */
    public static boolean[] nonzero(long[] x) {
        boolean[] r = new boolean[x.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = x[i] != 0;
        }
        return r;
    }
}
