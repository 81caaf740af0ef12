package dev.jconv.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * exp and sigmoid in double, vectorised, built from IEEE basic operations only (fused multiply-add, add,
 * multiply, divide), so the vector lanes, the scalar fallback and every JIT tier give the same bits. (The
 * Vector API's own EXP changes bits when the JIT replaces its Java fallback with the native routine.)
 *
 * <p>Method: x = k·ln 2 + r with |r| ≤ ln 2 / 2 (Cody and Waite: ln 2 split in two parts), exp(r) by its
 * Taylor polynomial to degree 13 (truncation below 5·10⁻¹⁸ relative) in Horner form with fused
 * multiply-adds, times 2^k built from its bits. The error is within about one ulp of the double result;
 * rounded to float, it gives the correctly rounded float32 except when the exact value lies within that
 * ulp of a float rounding boundary (about one input in 2²⁸). Float32 tensors use it; float64 tensors keep
 * {@link Math#exp}. Inputs outside [−708, 709] (overflow, subnormal results, NaN) go to {@link Math#exp}.
 */
final class VectorMath {
    private static final double LOG2E = 1.4426950408889634;
    /** ln 2 in two parts: the high part has trailing zero bits, so k·LN2_HI is exact for |k| < 2¹¹. */
    private static final double LN2_HI = 6.93147180369123816490e-01;
    private static final double LN2_LO = 1.90821492927058770002e-10;
    /** 1.5·2⁵²: adding it rounds to an integer, which lands in the low bits of the sum. */
    private static final double SHIFTER = 0x1.8p52;
    private static final double LO = -708;
    private static final double HI = 709;
    /** 1/n! for n = 0..13. */
    private static final double[] C = new double[14];

    static {
        double f = 1;
        for (int n = 0; n < C.length; n++) {
            f = n == 0 ? 1 : f * n;
            C[n] = 1 / f;
        }
    }

    private static final double C2 = C[2];
    private static final double C3 = C[3];
    private static final double C4 = C[4];
    private static final double C5 = C[5];
    private static final double C6 = C[6];
    private static final double C7 = C[7];
    private static final double C8 = C[8];
    private static final double C9 = C[9];
    private static final double C10 = C[10];
    private static final double C11 = C[11];
    private static final double C12 = C[12];
    private static final double C13 = C[13];

    private VectorMath() {
    }

    /** exp(x), as the vector lanes compute it. */
    static double exp(double x) {
        if (!(x >= LO && x <= HI)) {
            return Math.exp(x);
        }
        double kd = Math.fma(x, LOG2E, SHIFTER) - SHIFTER;
        double r = Math.fma(-kd, LN2_LO, Math.fma(-kd, LN2_HI, x));
        double p = Math.fma(C13, r, C12);
        p = Math.fma(p, r, C11);
        p = Math.fma(p, r, C10);
        p = Math.fma(p, r, C9);
        p = Math.fma(p, r, C8);
        p = Math.fma(p, r, C7);
        p = Math.fma(p, r, C6);
        p = Math.fma(p, r, C5);
        p = Math.fma(p, r, C4);
        p = Math.fma(p, r, C3);
        p = Math.fma(p, r, C2);
        p = Math.fma(p, r, 1);
        p = Math.fma(p, r, 1);
        return p * Double.longBitsToDouble(((long) kd + 1023) << 52);
    }

    /** 1 / (1 + exp(−x)), as the vector lanes compute it. */
    static double sigmoid(double x) {
        return 1 / (1 + exp(-x));
    }

    /**
     * Tensors smaller than this take the scalar loop (the same bits): a loss's softmax over 32 × 10 logits runs a
     * few times a step, too rarely for C2 to compile its vector loop within a run, and the interpreted Vector API
     * allocates an object per operation (1.7 ms a call for 320 elements, against microseconds).
     */
    static final int VECTOR_FROM = 1 << 11;

    /**
     * r[i] = exp(a[i]) (or sigmoid) for i in [from, to), a range of a tensor of {@code size} elements: vector
     * lanes from {@link #VECTOR_FROM} elements on.
     */
    static void map(boolean sigmoid, double[] a, double[] r, int from, int to, int size) {
        int i = from;
        if (Sgemm.vectorized() && size >= VECTOR_FROM) {
            VectorSpecies<Double> D = Species.DOUBLE;
            for (; i <= to - D.length(); i += D.length()) {
                DoubleVector x = DoubleVector.fromArray(D, a, i);
                if (sigmoid) {
                    x = x.neg();
                }
                VectorMask<Double> inside = x.compare(VectorOperators.GE, LO).and(x.compare(VectorOperators.LE, HI));
                if (!inside.allTrue()) {
                    // Some lane needs Math.exp: the whole vector takes the scalar path, which gives the same bits.
                    for (int j = i; j < i + D.length(); j++) {
                        r[j] = sigmoid ? sigmoid(a[j]) : exp(a[j]);
                    }
                    continue;
                }
                // exp(x), written out here: through a helper taking and returning vectors, the JIT at times
                // compiled the call rather than inlining it, and boxed every vector (LeNet's sigmoid).
                DoubleVector kd = x.fma(LOG2E, SHIFTER).sub(SHIFTER);
                DoubleVector nk = kd.neg();
                DoubleVector rr = VectorOps.fma(nk, DoubleVector.broadcast(D, LN2_LO),
                        VectorOps.fma(nk, DoubleVector.broadcast(D, LN2_HI), x));
                DoubleVector p = VectorOps.fma(DoubleVector.broadcast(D, C13), rr, DoubleVector.broadcast(D, C12));
                p = VectorOps.fma(p, rr, DoubleVector.broadcast(D, C11));
                p = VectorOps.fma(p, rr, DoubleVector.broadcast(D, C10));
                p = VectorOps.fma(p, rr, DoubleVector.broadcast(D, C9));
                p = VectorOps.fma(p, rr, DoubleVector.broadcast(D, C8));
                p = VectorOps.fma(p, rr, DoubleVector.broadcast(D, C7));
                p = VectorOps.fma(p, rr, DoubleVector.broadcast(D, C6));
                p = VectorOps.fma(p, rr, DoubleVector.broadcast(D, C5));
                p = VectorOps.fma(p, rr, DoubleVector.broadcast(D, C4));
                p = VectorOps.fma(p, rr, DoubleVector.broadcast(D, C3));
                p = VectorOps.fma(p, rr, DoubleVector.broadcast(D, C2));
                p = VectorOps.fma(p, rr, DoubleVector.broadcast(D, 1));
                p = VectorOps.fma(p, rr, DoubleVector.broadcast(D, 1));
                LongVector k = (LongVector) kd.convert(VectorOperators.D2L, 0);
                DoubleVector e = VectorOps.mul(p, k.add(1023).lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles());
                if (sigmoid) {
                    VectorOps.div(DoubleVector.broadcast(D, 1), e.add(1)).intoArray(r, i);
                } else {
                    e.intoArray(r, i);
                }
            }
        }
        for (; i < to; i++) {
            r[i] = sigmoid ? sigmoid(a[i]) : exp(a[i]);
        }
    }
}
