package dev.jconv.kernels;

/**
 * Elementwise arithmetic and sigmoid on float32 arrays. One {@code + - * /} in float gives the bits of the same
 * operation done in double and rounded to float (double has more than twice float's precision), so these
 * loops agree bit for bit with {@link Pointwise}'s double ones. Ranges are fixed by the length: the bits do
 * not depend on the thread count.
 */
public final class FloatPointwise {
    private static final int GRAIN = 1 << 15;
    /** Values widened at a time for the double-precision sigmoid. */
    private static final int BLOCK = 1024;

    private FloatPointwise() {
    }

    private static int chunks(int n) {
        return (n + GRAIN - 1) / GRAIN;
    }

    /**
     * {@code a op b} elementwise where each operand is either an array of {@code n} values or, when its length
     * is 1, a scalar broadcast to all of them.
     */
    public static float[] binary(Pointwise.Binary op, float[] a, float[] b, int n) {
        float[] r = new float[n];
        Parallel.forRange(chunks(n), 1, c -> {
            int from = c * GRAIN;
            binaryRange(op, a, b, r, from, Math.min(n, from + GRAIN));
        });
        return r;
    }

    private static void binaryRange(Pointwise.Binary op, float[] a, float[] b, float[] r, int from, int to) {
        if (a.length == 1 && r.length != 1) {
            float x = a[0];
            switch (op) {
                case ADD -> { for (int i = from; i < to; i++) r[i] = x + b[i]; }
                case SUB -> { for (int i = from; i < to; i++) r[i] = x - b[i]; }
                case MUL -> { for (int i = from; i < to; i++) r[i] = x * b[i]; }
                case DIV -> { for (int i = from; i < to; i++) r[i] = x / b[i]; }
            }
        } else if (b.length == 1 && r.length != 1) {
            float y = b[0];
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

    /**
     * 1 / (1 + exp(−x)) computed in double by {@link VectorMath} and rounded once to float: the same bits as the
     * double path gives a float32 tensor, without a double copy of the whole tensor.
     */
    public static float[] sigmoid(float[] x) {
        float[] r = new float[x.length];
        Parallel.forRange(chunks(x.length), 1, c -> {
            double[] in = new double[BLOCK];
            double[] out = new double[BLOCK];
            for (int from = c * GRAIN, end = Math.min(x.length, from + GRAIN); from < end; from += BLOCK) {
                int len = Math.min(BLOCK, end - from);
                for (int i = 0; i < len; i++) {
                    in[i] = x[from + i];
                }
                VectorMath.map(true, in, out, 0, len, x.length);
                for (int i = 0; i < len; i++) {
                    r[from + i] = (float) out[i];
                }
            }
        });
        return r;
    }

    /** g·(y·(1 − y)), each operation rounded to float: sigmoid's gradient from its output y. */
    public static float[] sigmoidBackward(float[] g, float[] y) {
        float[] r = new float[g.length];
        Parallel.forRange(chunks(g.length), 1, c -> {
            for (int i = c * GRAIN, end = Math.min(g.length, i + GRAIN); i < end; i++) {
                r[i] = g[i] * (y[i] * (1f - y[i]));
            }
        });
        return r;
    }
}
