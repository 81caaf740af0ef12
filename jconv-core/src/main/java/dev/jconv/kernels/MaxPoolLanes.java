package dev.jconv.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector loop of {@link Pool2dFloat}'s 3×3 stride-2 max pooling, in a class loaded only on the vector path so
 * that it can call the Vector API directly. Through {@link VectorOps}' helpers its operations depended on the
 * JIT inlining each helper, and a ResNet-18 run that compiled it before the inlining directive was in place
 * boxed every vector (two thirds of the step's allocations).
 */
final class MaxPoolLanes {
    private static final VectorSpecies<Float> S = Species.FLOAT;
    private static final int VL = Species.FLOAT_LANES;

    private MaxPoolLanes() {
    }

    /**
     * VL outputs whose windows start at column c0 + 2t of rows [h0, h1) of the plane at {@code in}. The running
     * maximum and the chosen index (exact in a float below 2^24) are vectors; a value is taken when greater or
     * NaN, in the window's row-major order, as in the general loop.
     */
    static void threeWide(float[] input, int in, int width, int h0, int h1, int c0, float[] values, int[] indices,
                          int o, float[] scratch) {
        FloatVector max = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        // Species.EVEN holds 0, 2, 4, …: the window starts of the lanes, relative to c0.
        FloatVector best = Species.EVEN.add(h0 * width + c0);
        for (int ih = h0; ih < h1; ih++) {
            int b = in + ih * width + c0;
            FloatVector a = FloatVector.fromArray(S, input, b);
            FloatVector z = FloatVector.fromArray(S, input, b + VL);
            FloatVector a2 = FloatVector.fromArray(S, input, b + 2);
            FloatVector z2 = FloatVector.fromArray(S, input, b + 2 + VL);
            FloatVector start = Species.EVEN.add(ih * width + c0);
            // Columns 0, 1, 2 of each lane's window: written out, so no vector flows through a branch's merge.
            FloatVector v = Species.EVEN.selectFrom(a, z);
            VectorMask<Float> take = v.compare(VectorOperators.GT, max).or(v.compare(VectorOperators.NE, v));
            max = max.blend(v, take);
            best = best.blend(start, take);
            v = Species.ODD.selectFrom(a, z);
            take = v.compare(VectorOperators.GT, max).or(v.compare(VectorOperators.NE, v));
            max = max.blend(v, take);
            best = best.blend(start.add(1f), take);
            v = Species.EVEN.selectFrom(a2, z2);
            take = v.compare(VectorOperators.GT, max).or(v.compare(VectorOperators.NE, v));
            max = max.blend(v, take);
            best = best.blend(start.add(2f), take);
        }
        max.intoArray(values, o);
        best.intoArray(scratch, 0);
        for (int t = 0; t < VL; t++) {
            indices[o + t] = (int) scratch[t];
        }
    }
}
