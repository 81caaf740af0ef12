package dev.jconv.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
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
    /** Lane sources picking the even (odd) elements of two vectors; negative sources read the second one. */
    static final VectorShuffle<Float> EVEN = VectorShuffle.fromOp(FLOAT,
            i -> 2 * i < FLOAT_LANES ? 2 * i : 2 * i - 2 * FLOAT_LANES);
    static final VectorShuffle<Float> ODD = VectorShuffle.fromOp(FLOAT,
            i -> 2 * i + 1 < FLOAT_LANES ? 2 * i + 1 : 2 * i + 1 - 2 * FLOAT_LANES);

    private Species() {
    }
}
