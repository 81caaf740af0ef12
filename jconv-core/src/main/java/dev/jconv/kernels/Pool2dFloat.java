package dev.jconv.kernels;

import dev.jconv.kernels.Pool2dKernels.Geometry;
import dev.jconv.kernels.Pool2dKernels.Windows;

/**
 * {@link Pool2dKernels}' max and average pooling on float32 arrays, with the same comparisons, tie and NaN
 * rules, and the same bits: a maximum is a copy, and an average is summed in double and rounded once, as the
 * double kernels' results are rounded to float.
 */
public final class Pool2dFloat {
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
        Parallel.forRange(g.planes(), g.grain(), p -> {
            if (twoByTwo) {
                maxTwoByTwo(g, input, p, values, indices);
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
        int width = g.width();
        int in = p * g.inPlane();
        int o = p * g.outPlane();
        for (int oh = 0; oh < g.outH(); oh++) {
            int h0 = oh * g.strideH() - g.padH();
            int h1 = Math.min(h0 + (g.kernelH() - 1) * g.dilationH() + 1, g.height());
            while (h0 < 0) {
                h0 += g.dilationH();
            }
            for (int ow = 0; ow < g.outW(); ow++, o++) {
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
        }
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
