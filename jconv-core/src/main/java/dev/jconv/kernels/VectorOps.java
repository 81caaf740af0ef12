package dev.jconv.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The lane-wise operations whose parameters are {@code Vector}s, called through here by the kernels. The
 * bytecode verifier checks that a {@code FloatVector} argument is a {@code Vector} by loading both classes,
 * which fails without {@code jdk.incubator.vector}: a kernel class calling {@code a.fma(b, c)} itself could not
 * even be loaded on the scalar path. Here the check happens only when this class is loaded, on the vector path.
 * Each method is a single call, inlined by the JIT.
 */
final class VectorOps {
    private VectorOps() {
    }

    /** v's lanes where test's lane is greater than 0 (not NaN), else 0. */
    static FloatVector wherePositive(FloatVector test, FloatVector v) {
        return FloatVector.zero(test.species()).blend(v, test.compare(VectorOperators.GT, 0f));
    }

    /** a·b + c, fused. */
    static FloatVector fma(FloatVector a, FloatVector b, FloatVector c) {
        return a.fma(b, c);
    }

    /** a·b + c, fused. */
    static DoubleVector fma(DoubleVector a, DoubleVector b, DoubleVector c) {
        return a.fma(b, c);
    }

    static FloatVector add(FloatVector a, FloatVector b) {
        return a.add(b);
    }

    static DoubleVector add(DoubleVector a, DoubleVector b) {
        return a.add(b);
    }

    static FloatVector sub(FloatVector a, FloatVector b) {
        return a.sub(b);
    }

    static DoubleVector sub(DoubleVector a, DoubleVector b) {
        return a.sub(b);
    }

    /** The first {@link Species#DOUBLE} lanes of v as doubles, exactly. */
    static DoubleVector widen(FloatVector v) {
        return (DoubleVector) v.convertShape(VectorOperators.F2D, Species.DOUBLE, 0);
    }

    static DoubleVector mul(DoubleVector a, DoubleVector b) {
        return a.mul(b);
    }

    static DoubleVector div(DoubleVector a, DoubleVector b) {
        return a.div(b);
    }

    /** Lanes of the concatenation a, b picked by the lane indices in {@code index} ({@link Species#EVEN} …). */
    static FloatVector select(FloatVector index, FloatVector a, FloatVector b) {
        return index.selectFrom(a, b);
    }
}
