package dev.jconv.kernels;

/**
 * 2-D max and average pooling, fixed-window and adaptive, as PyTorch's CPU kernels compute them. Every
 * kernel works on independent planes (an image's channel): input {@code planes × H × W}, output
 * {@code planes × outH × outW}, both row-major. Indices of maxima are flat positions within a plane
 * ({@code ih·W + iw}), as PyTorch's {@code return_indices=True} gives them.
 *
 * <p>A plane is written by one task only, and within a plane the order of additions is fixed, so results do
 * not depend on the number of threads.
 */
public final class Pool2dKernels {
    /** Elements of work below which one task takes a run of planes on its own. */
    private static final int GRAIN_WORK = 1 << 14;

    private Pool2dKernels() {
    }

    /**
     * Sizes of a fixed-window pooling: {@code planes} input planes of {@code height × width}, output planes of
     * {@code outH × outW}, windows of {@code kernelH × kernelW} taps spaced by the dilation, moved by the
     * stride, and {@code padH}/{@code padW} implicit padding on each side.
     */
    public record Geometry(int planes, int height, int width, int outH, int outW, int kernelH, int kernelW,
                           int strideH, int strideW, int padH, int padW, int dilationH, int dilationW) {
        int inPlane() {
            return height * width;
        }

        int outPlane() {
            return outH * outW;
        }

        int grain() {
            return Pool2dKernels.grain(outPlane() * kernelH * kernelW);
        }
    }

    /** Pooled values and, for every output element, the flat in-plane index of the element chosen. */
    public record MaxResult(double[] values, int[] indices) {
    }

    private static int grain(int workPerPlane) {
        return Math.max(1, GRAIN_WORK / Math.max(1, workPerPlane));
    }

    /**
     * Max pooling. Padding counts as -inf and is never chosen; taps past the input (ceil mode) are skipped.
     * The first maximum wins a tie, and a NaN beats everything (a later NaN beats an earlier one), as in
     * PyTorch. A window whose taps all fall in the padding yields -inf with the index of its first tap.
     */
    public static MaxResult maxForward(Geometry g, double[] input) {
        int outPlane = g.outPlane();
        double[] values = new double[g.planes() * outPlane];
        int[] indices = new int[values.length];
        if (Windows.fullTwoByTwo(g)) {
            int w = g.width();
            Parallel.forRange(g.planes(), g.grain(), p -> {
                int in = p * g.inPlane();
                int o = p * outPlane;
                for (int oh = 0; oh < g.outH(); oh++) {
                    for (int ow = 0; ow < g.outW(); ow++, o++) {
                        // The general loop's comparisons, in its order: the first of equal maxima wins, a NaN
                        // replaces anything, and a later NaN replaces an earlier one.
                        int i0 = 2 * oh * w + 2 * ow;
                        int best = i0;
                        double max = input[in + i0];
                        for (int k = 1; k < 4; k++) {
                            int idx = i0 + (k >> 1) * w + (k & 1);
                            double v = input[in + idx];
                            if (v > max || v != v) {
                                max = v;
                                best = idx;
                            }
                        }
                        values[o] = max;
                        indices[o] = best;
                    }
                }
            });
            return new MaxResult(values, indices);
        }
        Parallel.forRange(g.planes(), g.grain(), p -> {
            int in = p * g.inPlane();
            int o = p * outPlane;
            for (int oh = 0; oh < g.outH(); oh++) {
                int h0 = oh * g.strideH() - g.padH();
                int h1 = Math.min(h0 + (g.kernelH() - 1) * g.dilationH() + 1, g.height());
                while (h0 < 0) {
                    h0 += g.dilationH();
                }
                for (int ow = 0; ow < g.outW(); ow++, o++) {
                    int w0 = ow * g.strideW() - g.padW();
                    int w1 = Math.min(w0 + (g.kernelW() - 1) * g.dilationW() + 1, g.width());
                    while (w0 < 0) {
                        w0 += g.dilationW();
                    }
                    int best = h0 * g.width() + w0;
                    double max = Double.NEGATIVE_INFINITY;
                    for (int ih = h0; ih < h1; ih += g.dilationH()) {
                        for (int iw = w0; iw < w1; iw += g.dilationW()) {
                            double v = input[in + ih * g.width() + iw];
                            if (v > max || Double.isNaN(v)) {
                                max = v;
                                best = ih * g.width() + iw;
                            }
                        }
                    }
                    values[o] = max;
                    indices[o] = best;
                }
            }
        });
        return new MaxResult(values, indices);
    }

    /**
     * The backward pass of both max poolings: each output gradient is added to the input element its index
     * names. An index outside the plane (an all-padding window) receives nothing.
     */
    public static double[] maxBackward(int planes, int inPlane, int outPlane, int[] indices, double[] gradOut) {
        double[] gradIn = new double[planes * inPlane];
        Parallel.forRange(planes, grain(outPlane), p -> {
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
     * Average pooling. The window is first clipped to the padded input (ceil mode may run past it), giving
     * the divisor with {@code countIncludePad}; then clipped to the input, giving the elements summed and the
     * divisor without it. {@code divisorOverride}, when not null, replaces both. Integer inputs
     * ({@code integral}) are divided with truncation toward zero, as in C++.
     */
    public static double[] avgForward(Geometry g, double[] input, boolean countIncludePad, Integer divisorOverride,
                                      boolean integral) {
        int outPlane = g.outPlane();
        double[] out = new double[g.planes() * outPlane];
        Windows win = Windows.of(g, countIncludePad, divisorOverride);
        if (!integral && Windows.fullTwoByTwo(g)) {
            double divisor = win.divisor(0, 0);
            Parallel.forRange(g.planes(), g.grain(), p -> {
                int o = p * outPlane;
                for (int oh = 0; oh < g.outH(); oh++) {
                    int r0 = p * g.inPlane() + 2 * oh * g.width();
                    int r1 = r0 + g.width();
                    for (int ow = 0; ow < g.outW(); ow++, o++) {
                        // The general loop's order: row by row, left to right, from +0 (so four -0 give +0).
                        out[o] = (0.0 + input[r0 + 2 * ow] + input[r0 + 2 * ow + 1] + input[r1 + 2 * ow]
                                + input[r1 + 2 * ow + 1]) / divisor;
                    }
                }
            });
            return out;
        }
        Parallel.forRange(g.planes(), g.grain(), p -> {
            int in = p * g.inPlane();
            int o = p * outPlane;
            for (int oh = 0; oh < g.outH(); oh++) {
                for (int ow = 0; ow < g.outW(); ow++, o++) {
                    long divisor = win.divisor(oh, ow);
                    if (divisor == 0) {
                        continue;
                    }
                    double sum = 0;
                    for (int ih = win.h0[oh]; ih < win.h1[oh]; ih++) {
                        int row = in + ih * g.width();
                        for (int iw = win.w0[ow]; iw < win.w1[ow]; iw++) {
                            sum += input[row + iw];
                        }
                    }
                    out[o] = integral ? (double) ((long) sum / divisor) : sum / divisor;
                }
            }
        });
        return out;
    }

    /** Gradient of the input of {@link #avgForward}: each output gradient / divisor, spread over its window. */
    public static double[] avgBackward(Geometry g, double[] gradOut, boolean countIncludePad, Integer divisorOverride) {
        int outPlane = g.outPlane();
        double[] gradIn = new double[g.planes() * g.inPlane()];
        Windows win = Windows.of(g, countIncludePad, divisorOverride);
        if (Windows.fullTwoByTwo(g)) {
            double divisor = win.divisor(0, 0);
            Parallel.forRange(g.planes(), g.grain(), p -> {
                int o = p * outPlane;
                for (int oh = 0; oh < g.outH(); oh++) {
                    int r0 = p * g.inPlane() + 2 * oh * g.width();
                    int r1 = r0 + g.width();
                    for (int ow = 0; ow < g.outW(); ow++, o++) {
                        // Disjoint windows: each input element receives one delta, written rather than added.
                        double delta = gradOut[o] / divisor;
                        gradIn[r0 + 2 * ow] = delta;
                        gradIn[r0 + 2 * ow + 1] = delta;
                        gradIn[r1 + 2 * ow] = delta;
                        gradIn[r1 + 2 * ow + 1] = delta;
                    }
                }
            });
            return gradIn;
        }
        Parallel.forRange(g.planes(), g.grain(), p -> {
            int in = p * g.inPlane();
            int o = p * outPlane;
            for (int oh = 0; oh < g.outH(); oh++) {
                for (int ow = 0; ow < g.outW(); ow++, o++) {
                    long divisor = win.divisor(oh, ow);
                    if (divisor == 0) {
                        continue;
                    }
                    double delta = gradOut[o] / divisor;
                    for (int ih = win.h0[oh]; ih < win.h1[oh]; ih++) {
                        int row = in + ih * g.width();
                        for (int iw = win.w0[ow]; iw < win.w1[ow]; iw++) {
                            gradIn[row + iw] += delta;
                        }
                    }
                }
            }
        });
        return gradIn;
    }

    /**
     * The input rows and columns each average window covers (clipped to the input), computed once per call
     * since they are the same for every plane, and the sizes its divisor is made of.
     */
    record Windows(int[] h0, int[] h1, int[] w0, int[] w1, int[] paddedH, int[] paddedW,
                           boolean countIncludePad, Integer divisorOverride) {
        static Windows of(Geometry g, boolean countIncludePad, Integer divisorOverride) {
            int[] h0 = new int[g.outH()];
            int[] h1 = new int[g.outH()];
            int[] ph = new int[g.outH()];
            for (int oh = 0; oh < g.outH(); oh++) {
                int start = oh * g.strideH() - g.padH();
                int end = Math.min(start + g.kernelH(), g.height() + g.padH());
                ph[oh] = end - start;
                h0[oh] = Math.max(start, 0);
                h1[oh] = Math.min(end, g.height());
            }
            int[] w0 = new int[g.outW()];
            int[] w1 = new int[g.outW()];
            int[] pw = new int[g.outW()];
            for (int ow = 0; ow < g.outW(); ow++) {
                int start = ow * g.strideW() - g.padW();
                int end = Math.min(start + g.kernelW(), g.width() + g.padW());
                pw[ow] = end - start;
                w0[ow] = Math.max(start, 0);
                w1[ow] = Math.min(end, g.width());
            }
            return new Windows(h0, h1, w0, w1, ph, pw, countIncludePad, divisorOverride);
        }

        /**
         * Whether every window is a whole 2×2 block of the input with stride 2 (no padding, no partial window,
         * no dilation): the common pooling layer, which has loops of its own.
         */
        static boolean fullTwoByTwo(Geometry g) {
            if (g.kernelH() != 2 || g.kernelW() != 2 || g.strideH() != 2 || g.strideW() != 2 || g.padH() != 0
                    || g.padW() != 0 || g.dilationH() != 1 || g.dilationW() != 1) {
                return false;
            }
            return 2 * g.outH() <= g.height() && 2 * g.outW() <= g.width();
        }

        /** What window (oh, ow) divides by; 0 when it covers no input element (it is then skipped). */
        long divisor(int oh, int ow) {
            if (h0[oh] >= h1[oh] || w0[ow] >= w1[ow]) {
                return 0;
            }
            if (divisorOverride != null) {
                return divisorOverride;
            }
            return countIncludePad ? (long) paddedH[oh] * paddedW[ow] : (long) (h1[oh] - h0[oh]) * (w1[ow] - w0[ow]);
        }
    }

    /** First row (or column) of adaptive window {@code i} of {@code out} over {@code in}: floor(i·in/out). */
    public static int adaptiveStart(int i, int out, int in) {
        return (int) ((long) i * in / out);
    }

    /** One past the last row (or column) of adaptive window {@code i}: ceil((i+1)·in/out). */
    public static int adaptiveEnd(int i, int out, int in) {
        return (int) (((long) (i + 1) * in + out - 1) / out);
    }

    /** Adaptive average pooling: the mean of each window, computed as {@code sum / kh / kw} like PyTorch. */
    public static double[] adaptiveAvgForward(int planes, int height, int width, int outH, int outW, double[] input) {
        double[] out = new double[planes * outH * outW];
        Parallel.forRange(planes, grain(height * width), p -> {
            int in = p * height * width;
            int o = p * outH * outW;
            for (int oh = 0; oh < outH; oh++) {
                int h0 = adaptiveStart(oh, outH, height);
                int h1 = adaptiveEnd(oh, outH, height);
                for (int ow = 0; ow < outW; ow++, o++) {
                    int w0 = adaptiveStart(ow, outW, width);
                    int w1 = adaptiveEnd(ow, outW, width);
                    double sum = 0;
                    for (int ih = h0; ih < h1; ih++) {
                        for (int iw = w0; iw < w1; iw++) {
                            sum += input[in + ih * width + iw];
                        }
                    }
                    out[o] = sum / (h1 - h0) / (w1 - w0);
                }
            }
        });
        return out;
    }

    /** Gradient of the input of {@link #adaptiveAvgForward}. */
    public static double[] adaptiveAvgBackward(int planes, int height, int width, int outH, int outW,
                                               double[] gradOut) {
        double[] gradIn = new double[planes * height * width];
        Parallel.forRange(planes, grain(height * width), p -> {
            int in = p * height * width;
            int o = p * outH * outW;
            for (int oh = 0; oh < outH; oh++) {
                int h0 = adaptiveStart(oh, outH, height);
                int h1 = adaptiveEnd(oh, outH, height);
                for (int ow = 0; ow < outW; ow++, o++) {
                    int w0 = adaptiveStart(ow, outW, width);
                    int w1 = adaptiveEnd(ow, outW, width);
                    double delta = gradOut[o] / (h1 - h0) / (w1 - w0);
                    for (int ih = h0; ih < h1; ih++) {
                        for (int iw = w0; iw < w1; iw++) {
                            gradIn[in + ih * width + iw] += delta;
                        }
                    }
                }
            }
        });
        return gradIn;
    }

    /** Adaptive max pooling, with the tie and NaN rules of {@link #maxForward}. */
    public static MaxResult adaptiveMaxForward(int planes, int height, int width, int outH, int outW, double[] input) {
        double[] values = new double[planes * outH * outW];
        int[] indices = new int[values.length];
        Parallel.forRange(planes, grain(height * width), p -> {
            int in = p * height * width;
            int o = p * outH * outW;
            for (int oh = 0; oh < outH; oh++) {
                int h0 = adaptiveStart(oh, outH, height);
                int h1 = adaptiveEnd(oh, outH, height);
                for (int ow = 0; ow < outW; ow++, o++) {
                    int w0 = adaptiveStart(ow, outW, width);
                    int w1 = adaptiveEnd(ow, outW, width);
                    int best = h0 * width + w0;
                    double max = Double.NEGATIVE_INFINITY;
                    for (int ih = h0; ih < h1; ih++) {
                        for (int iw = w0; iw < w1; iw++) {
                            double v = input[in + ih * width + iw];
                            if (v > max || Double.isNaN(v)) {
                                max = v;
                                best = ih * width + iw;
                            }
                        }
                    }
                    values[o] = max;
                    indices[o] = best;
                }
            }
        });
        return new MaxResult(values, indices);
    }
}
