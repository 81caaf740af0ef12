package dev.jconv.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API constants of the kernels, in a class of their own so that it is initialised only on the vector
 * path ({@link Vectors#PRESENT}): without {@code jdk.incubator.vector} its initialiser would throw
 * {@code NoClassDefFoundError}. Constant species: the Vector API compiles to vector instructions only for
 * constant species.
 */
final class Species {
    /** The preferred float species. */
    static final VectorSpecies<Float> FLOAT = FloatVector.SPECIES_PREFERRED;
    /** Its lanes (16 with AVX-512, 8 with AVX2). */
    static final int FLOAT_LANES = FLOAT.length();
    /** The preferred double species. */
    static final VectorSpecies<Double> DOUBLE = DoubleVector.SPECIES_PREFERRED;
    /**
     * The first DOUBLE.length() lanes of a float vector. Conversions between float and double go through the
     * preferred float species and this mask, never a second float species: with two float vector classes
     * loaded, code that C2 compiles without a type profile (on-stack replacement straight to C2) stopped
     * inlining the vector operations of the convolution kernels and boxed every vector (hundreds of MB per call).
     */
    static final VectorMask<Float> HALF = VectorMask.fromLong(FLOAT, (1L << DOUBLE.length()) - 1);
    /**
     * Lane indices into the concatenation of two vectors, for {@code index.selectFrom(a, b)} (a two-table
     * permute, one instruction with AVX-512; the shuffle form of {@code rearrange(shuffle, b)} costs several):
     * the even (odd) elements of a and b.
     */
    static final FloatVector EVEN = lanes(i -> 2 * i);
    static final FloatVector ODD = lanes(i -> 2 * i + 1);
    /**
     * Indexed by p ≤ FLOAT_LANES / 2: the even (odd) elements of a's first 2p floats in lanes 0 … p − 1, then
     * those of b's in lanes p … 2p − 1 (two rows of p Winograd tiles in one run); lanes past 2p read lane 0.
     * Index 0 holds {@link #EVEN} ({@link #ODD}), so that a kernel picks its permutation by an index and never
     * by a choice between two vectors: C2 may leave a vector that merges two values on the Java fallback.
     */
    static final FloatVector[] EVEN_PAIRS = pairs(0);
    static final FloatVector[] ODD_PAIRS = pairs(1);

    private static FloatVector[] pairs(int odd) {
        FloatVector[] out = new FloatVector[FLOAT_LANES / 2 + 1];
        out[0] = odd == 0 ? EVEN : ODD;
        for (int p = 1; p < out.length; p++) {
            int perRow = p;
            out[p] = lanes(i -> i < perRow ? 2 * i + odd : i < 2 * perRow ? FLOAT_LANES + 2 * (i - perRow) + odd : 0);
        }
        return out;
    }

    /** The first (second) halves of a and b interleaved: a0 b0 a1 b1 … */
    static final FloatVector ZIP_LO = lanes(i -> i % 2 == 0 ? i / 2 : FLOAT_LANES + i / 2);
    static final FloatVector ZIP_HI = lanes(i -> FLOAT_LANES / 2 + (i % 2 == 0 ? i / 2 : FLOAT_LANES + i / 2));

    /**
     * The rounds of a 16 × 16 transpose by {@code selectFrom} on row pairs (a, b) = (row i, row i + w), w = 1, 2,
     * 4, 8: a keeps its lanes with bit w clear and takes b's lanes w to the left, b takes a's lanes w to the
     * right and keeps its own with bit w set.
     */
    static final FloatVector T1_LO = transposeLo(1);
    static final FloatVector T1_HI = transposeHi(1);
    static final FloatVector T2_LO = transposeLo(2);
    static final FloatVector T2_HI = transposeHi(2);
    static final FloatVector T4_LO = transposeLo(4);
    static final FloatVector T4_HI = transposeHi(4);
    static final FloatVector T8_LO = transposeLo(8);
    static final FloatVector T8_HI = transposeHi(8);

    private static FloatVector transposeLo(int w) {
        return lanes(i -> (i & w) == 0 ? i : FLOAT_LANES + i - w);
    }

    private static FloatVector transposeHi(int w) {
        return lanes(i -> (i & w) == 0 ? i + w : FLOAT_LANES + i);
    }

    private static FloatVector lanes(java.util.function.IntUnaryOperator index) {
        float[] f = new float[FLOAT_LANES];
        for (int i = 0; i < f.length; i++) {
            f[i] = index.applyAsInt(i);
        }
        return FloatVector.fromArray(FLOAT, f, 0);
    }

    private Species() {
    }
}
