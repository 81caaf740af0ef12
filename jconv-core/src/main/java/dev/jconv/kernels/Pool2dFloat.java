package dev.jconv.kernels;

import dev.jconv.kernels.Pool2dKernels.Geometry;
import dev.jconv.kernels.Pool2dKernels.Windows;

/**
 * {@link Pool2dKernels}' max and average pooling on float32 arrays, with the same comparisons, tie and NaN
 * rules, and the same bits: a maximum is a copy, and an average is summed in double and rounded once, as the
 * double kernels' results are rounded to float.
 */
public final class Pool2dFloat {
    private static final int VL = Vectors.FLOAT_LANES;

    private Pool2dFloat() {
    }

    /** Pooled values and, for every output element, the flat in-plane index of the element chosen. */
    public record MaxResult(float[] values, int[] indices) {
    }

    /** {@link Pool2dKernels#maxForward} on floats. */
    public static MaxResult maxForward(Geometry g, float[] input) {
        int outPlane = g.outPlane();
        float[] values = new float[g.planes() * outPlane];
        int[] indices = new int[values.length];
        boolean twoByTwo = Windows.fullTwoByTwo(g);
        boolean threeByThree = threeByThreeStrideTwo(g) && (long) input.length + 2 * VL < (1 << 24);
        Parallel.forRange(g.planes(), g.grain(), p -> {
            if (twoByTwo) {
                maxTwoByTwo(g, input, p, values, indices);
            } else if (threeByThree) {
                maxThreeByThree(g, input, p, values, indices);
            } else {
                maxPlane(g, input, p, values, indices);
            }
        });
        return new MaxResult(values, indices);
    }

    private static void maxTwoByTwo(Geometry g, float[] input, int p, float[] values, int[] indices) {
        int w = g.width();
        int in = p * g.inPlane();
        int o = p * g.outPlane();
        for (int oh = 0; oh < g.outH(); oh++) {
            for (int ow = 0; ow < g.outW(); ow++, o++) {
                int i0 = 2 * oh * w + 2 * ow;
                int best = i0;
                float max = input[in + i0];
                for (int k = 1; k < 4; k++) {
                    int idx = i0 + (k >> 1) * w + (k & 1);
                    float v = input[in + idx];
                    if (v > max || v != v) {
                        max = v;
                        best = idx;
                    }
                }
                values[o] = max;
                indices[o] = best;
            }
        }
    }

    private static void maxPlane(Geometry g, float[] input, int p, float[] values, int[] indices) {
        int o = p * g.outPlane();
        for (int oh = 0; oh < g.outH(); oh++) {
            for (int ow = 0; ow < g.outW(); ow++, o++) {
                maxAt(g, input, p, oh, ow, values, indices, o);
            }
        }
    }

    /** Output (oh, ow) of plane p into values[o] and indices[o]: the general loop. */
    private static void maxAt(Geometry g, float[] input, int p, int oh, int ow, float[] values, int[] indices,
                              int o) {
        int width = g.width();
        int in = p * g.inPlane();
        int h0 = oh * g.strideH() - g.padH();
        int h1 = Math.min(h0 + (g.kernelH() - 1) * g.dilationH() + 1, g.height());
        while (h0 < 0) {
            h0 += g.dilationH();
        }
        int w0 = ow * g.strideW() - g.padW();
        int w1 = Math.min(w0 + (g.kernelW() - 1) * g.dilationW() + 1, width);
        while (w0 < 0) {
            w0 += g.dilationW();
        }
        int best = h0 * width + w0;
        float max = Float.NEGATIVE_INFINITY;
        for (int ih = h0; ih < h1; ih += g.dilationH()) {
            for (int iw = w0; iw < w1; iw += g.dilationW()) {
                float v = input[in + ih * width + iw];
                if (v > max || v != v) {
                    max = v;
                    best = ih * width + iw;
                }
            }
        }
        values[o] = max;
        indices[o] = best;
    }

    /** ResNet's stem pooling: a 3×3 window, stride 2, no dilation, padding of at most 1, on the vector path. */
    private static boolean threeByThreeStrideTwo(Geometry g) {
        return Sgemm.vectorized() && g.kernelH() == 3 && g.kernelW() == 3 && g.strideH() == 2 && g.strideW() == 2
                && g.dilationH() == 1 && g.dilationW() == 1 && g.padH() <= 1 && g.padW() <= 1;
    }

    /**
     * {@link #maxPlane} for {@link #threeByThreeStrideTwo}: output columns whose window lies inside the row
     * are taken VL at a time, the window's nine values compared in the general loop's order with the same rule,
     * lane by lane (a data-dependent branch per value mispredicted most of the time); edge columns one by one.
     */
    private static void maxThreeByThree(Geometry g, float[] input, int p, float[] values, int[] indices) {
        int width = g.width();
        int in = p * g.inPlane();
        int pad = g.padW();
        // Output columns whose three input columns 2·ow − pad … 2·ow − pad + 2 all lie in [0, width).
        int lo = (pad + 1) / 2;
        int hi = (width - 3 + pad) / 2; // inclusive
        float[] scratch = new float[VL];
        int o = p * g.outPlane();
        for (int oh = 0; oh < g.outH(); oh++, o += g.outW()) {
            int h0 = Math.max(0, 2 * oh - g.padH());
            int h1 = Math.min(2 * oh - g.padH() + 3, g.height());
            int ow = 0;
            for (; ow < Math.min(lo, g.outW()); ow++) {
                maxAt(g, input, p, oh, ow, values, indices, o + ow);
            }
            for (; ow + VL - 1 <= hi && fits(input, in, width, h1, 2 * ow - pad); ow += VL) {
                MaxPoolLanes.threeWide(input, in, width, h0, h1, 2 * ow - pad, values, indices, o + ow, scratch);
            }
            // The rest of the inside columns as one more vector ending at the last of them, overlapping the
            // previous one (its outputs are computed twice, to the same values).
            int last = hi - VL + 1;
            if (ow <= hi && last >= lo && fits(input, in, width, h1, 2 * last - pad)) {
                MaxPoolLanes.threeWide(input, in, width, h0, h1, 2 * last - pad, values, indices, o + last, scratch);
                ow = hi + 1;
            }
            for (; ow < g.outW(); ow++) {
                maxAt(g, input, p, oh, ow, values, indices, o + ow);
            }
        }
    }

    /** Whether the vector loads of {@link MaxPoolLanes#threeWide} at column c0 stay inside the array. */
    private static boolean fits(float[] input, int in, int width, int h1, int c0) {
        return in + (h1 - 1) * width + c0 + 2 + 2 * VL <= input.length;
    }

    /** {@link Pool2dKernels#maxBackward} on floats: float additions, in the order of the outputs. */
    public static float[] maxBackward(int planes, int inPlane, int outPlane, int[] indices, float[] gradOut) {
        float[] gradIn = new float[planes * inPlane];
        Parallel.forRange(planes, Math.max(1, (1 << 14) / Math.max(1, outPlane)), p -> {
            int in = p * inPlane;
            for (int o = p * outPlane, end = o + outPlane; o < end; o++) {
                int idx = indices[o];
                if (idx >= 0 && idx < inPlane) {
                    gradIn[in + idx] += gradOut[o];
                }
            }
        });
        return gradIn;
    }

    /**
     * {@link Pool2dKernels#avgForward} on floats. Whole 2×2 windows have a loop of their own; other geometries
     * run the double kernel on a widened copy.
     */
    public static float[] avgForward(Geometry g, float[] input, boolean countIncludePad, Integer divisorOverride) {
        if (!Windows.fullTwoByTwo(g)) {
            return Layout.narrow(Pool2dKernels.avgForward(g, Layout.widen(input), countIncludePad, divisorOverride,
                    false));
        }
        int outPlane = g.outPlane();
        float[] out = new float[g.planes() * outPlane];
        double divisor = Windows.of(g, countIncludePad, divisorOverride).divisor(0, 0);
        Parallel.forRange(g.planes(), g.grain(), p -> {
            int o = p * outPlane;
            for (int oh = 0; oh < g.outH(); oh++) {
                int r0 = p * g.inPlane() + 2 * oh * g.width();
                int r1 = r0 + g.width();
                for (int ow = 0; ow < g.outW(); ow++, o++) {
                    // The double kernel's order, from +0 (so four -0 give +0), rounded once.
                    out[o] = (float) ((0.0 + input[r0 + 2 * ow] + input[r0 + 2 * ow + 1] + input[r1 + 2 * ow]
                            + input[r1 + 2 * ow + 1]) / divisor);
                }
            }
        });
        return out;
    }

    /** {@link Pool2dKernels#avgBackward} on floats (a loop of its own for whole 2×2 windows). */
    public static float[] avgBackward(Geometry g, float[] gradOut, boolean countIncludePad, Integer divisorOverride) {
        if (!Windows.fullTwoByTwo(g)) {
            return Layout.narrow(Pool2dKernels.avgBackward(g, Layout.widen(gradOut), countIncludePad,
                    divisorOverride));
        }
        int outPlane = g.outPlane();
        float[] gradIn = new float[g.planes() * g.inPlane()];
        double divisor = Windows.of(g, countIncludePad, divisorOverride).divisor(0, 0);
        Parallel.forRange(g.planes(), g.grain(), p -> {
            int o = p * outPlane;
            for (int oh = 0; oh < g.outH(); oh++) {
                int r0 = p * g.inPlane() + 2 * oh * g.width();
                int r1 = r0 + g.width();
                for (int ow = 0; ow < g.outW(); ow++, o++) {
                    float delta = (float) (gradOut[o] / divisor);
                    gradIn[r0 + 2 * ow] = delta;
                    gradIn[r0 + 2 * ow + 1] = delta;
                    gradIn[r1 + 2 * ow] = delta;
                    gradIn[r1 + 2 * ow + 1] = delta;
                }
            }
        });
        return gradIn;
    }
}
