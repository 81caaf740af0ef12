package dev.jconv.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * General matrix multiply {@code C = A·B + beta·C} on row-major arrays with optional transposes.
 * Rows of C are split across threads; each element is summed over k in ascending order whatever the split.
 */
public final class Gemm {
    private Gemm() {
    }

    /**
     * @param m rows of op(A) and C
     * @param n columns of op(B) and C
     * @param k columns of op(A), rows of op(B)
     * @param transA read A as its transpose (A stored k×m)
     * @param transB read B as its transpose (B stored n×k)
     * @param accumulate add to C instead of overwriting it
     */
    public static void gemm(int m, int n, int k, double[] a, int aOff, boolean transA, double[] b, int bOff,
                            boolean transB, double[] c, int cOff, boolean accumulate) {
        int grain = Math.max(1, (1 << 16) / Math.max(1, n * k));
        Parallel.forRange(m, grain, i -> row(i, n, k, m, a, aOff, transA, b, bOff, transB, c, cOff, accumulate));
    }

    private static void row(int i, int n, int k, int m, double[] a, int aOff, boolean transA, double[] b, int bOff,
                            boolean transB, double[] c, int cOff, boolean accumulate) {
        int cRow = cOff + i * n;
        if (!accumulate) {
            java.util.Arrays.fill(c, cRow, cRow + n, 0.0);
        }
        if (!transB) {
            // i-k-j order: the inner loop streams a row of B and a row of C.
            boolean vec = Sgemm.vectorized();
            for (int p = 0; p < k; p++) {
                double av = transA ? a[aOff + p * m + i] : a[aOff + i * k + p];
                int bRow = bOff + p * n;
                int j = 0;
                if (vec) {
                    // Multiply then add (not fma): the same two roundings, so the same bits as the scalar tail.
                    VectorSpecies<Double> D = Species.DOUBLE;
                    DoubleVector va = DoubleVector.broadcast(D, av);
                    for (; j <= n - D.length(); j += D.length()) {
                        VectorOps.add(VectorOps.mul(DoubleVector.fromArray(D, b, bRow + j), va),
                                DoubleVector.fromArray(D, c, cRow + j)).intoArray(c, cRow + j);
                    }
                }
                for (; j < n; j++) {
                    c[cRow + j] += av * b[bRow + j];
                }
            }
        } else {
            for (int j = 0; j < n; j++) {
                double s = 0;
                int bRow = bOff + j * k;
                for (int p = 0; p < k; p++) {
                    double av = transA ? a[aOff + p * m + i] : a[aOff + i * k + p];
                    s += av * b[bRow + p];
                }
                c[cRow + j] += s;
            }
        }
    }
}
