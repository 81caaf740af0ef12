package dev.jconv.kernels;

import static dev.jconv.kernels.Layout.narrow;
import static dev.jconv.kernels.Layout.widen;

/**
 * 2-D convolution (cross-correlation, as in PyTorch). Input NCHW, weight (O, C/groups, kh, kw), all
 * row-major. The float entry points serve float32 tensors: they pick an algorithm per shape with
 * {@link ConvAlgorithm#choose} and run the float kernels of {@link Conv2dFloat} and {@link Conv2dSliding}
 * (packed SGEMM, Winograd, depthwise, sliding windows), or the direct loops for tiny problems. The double
 * entry points taking a {@code float32} flag serve any dtype: float32 values go through the float entry
 * points, float64 runs the double im2col path below (the four-argument methods) or the direct loops.
 */
public final class Conv2dKernels {
    private Conv2dKernels() {
    }

    /** Float32 output (N, O, outH, outW) with the algorithm chosen for this shape; {@code bias} may be null. */
    public static float[] forward(ConvGeometry g, float[] input, float[] weight, float[] bias) {
        if (stridedPointwise(g)) {
            return StridedPointwise.forward(g, input, weight, bias);
        }
        if (tapGemm(g) && g.strideH() == 1 && g.strideW() == 1) {
            return TapGemm.forward(g, input, weight, bias);
        }
        return switch (ConvAlgorithm.choose(g, true)) {
            case DIRECT -> narrow(forwardDirect(g, widen(input), widen(weight), bias == null ? null : widen(bias)));
            case IM2COL, POINTWISE, AUTO -> Conv2dFloat.forwardGemm(g, input, weight, bias);
            case DEPTHWISE -> Conv2dFloat.forwardDepthwise(g, input, weight, bias);
            case WINOGRAD -> Winograd.forward(g, input, weight, bias);
            case SLIDING -> Conv2dSliding.forward(g, input, weight, bias);
        };
    }

    /** Float32 input gradient with the algorithm chosen for this shape (Winograd's is im2col or a full convolution). */
    public static float[] backwardInput(ConvGeometry g, float[] gradOut, float[] weight) {
        if (stridedPointwise(g)) {
            return StridedPointwise.backwardInput(g, gradOut, weight);
        }
        if (tapGemm(g) && TapGemm.runsInputGradient(g)) {
            return TapGemm.inputGradient(g, gradOut, weight);
        }
        ConvAlgorithm algorithm = ConvAlgorithm.choose(g, true);
        if (algorithm == ConvAlgorithm.POINTWISE) {
            // A 1×1 input gradient is the pointwise product with the transposed weight: the forward's GEMM, with
            // its parallel packing, ran it in half the time of the GEMM-then-col2im below (12×12, 128 channels:
            // 1.0 against 2.0 ms).
            return pointwiseInputGradient(g, gradOut, weight);
        }
        if (algorithm == ConvAlgorithm.IM2COL || algorithm == ConvAlgorithm.WINOGRAD) {
            ConvGeometry full = fullConvolution(g);
            // The full convolution unfolds the output gradient (O·kh·kw rows) for only C outputs per group; with
            // few input channels col2im moves far less memory, unless Winograd can run the full convolution.
            if (full != null && (g.inPerGroup() >= 32 || ConvAlgorithm.choose(full, true) == ConvAlgorithm.WINOGRAD)) {
                // A stride-1 input gradient is itself a convolution: no col2im, and Winograd applies to it.
                return ConvAlgorithm.choose(full, true) == ConvAlgorithm.WINOGRAD
                        ? Winograd.inputGradient(full, gradOut, weight)
                        : Conv2dFloat.forwardGemm(full, gradOut, flipped(g, weight), null);
            }
        }
        return switch (algorithm) {
            case DIRECT -> narrow(backwardInputDirect(g, widen(gradOut), widen(weight)));
            case IM2COL, POINTWISE, AUTO, WINOGRAD -> Conv2dFloat.backwardInputGemm(g, gradOut, weight);
            case DEPTHWISE -> Conv2dFloat.backwardInputDepthwise(g, gradOut, weight);
            case SLIDING -> Conv2dSliding.backwardInput(g, gradOut, weight);
        };
    }

    /** The input gradient of a stride-1, unpadded 1×1 convolution, as a pointwise forward with the transposed weight. */
    static float[] pointwiseInputGradient(ConvGeometry g, float[] gradOut, float[] weight) {
        return Conv2dFloat.forwardGemm(fullConvolution(g), gradOut, flipped(g, weight), null);
    }

    /** Float32 weight gradient with the algorithm chosen for this shape. */
    public static float[] backwardWeight(ConvGeometry g, float[] gradOut, float[] input) {
        if (stridedPointwise(g)) {
            return StridedPointwise.backwardWeight(g, gradOut, input);
        }
        // Small stride-1 planes only: for strided layers gathering the output gradient per tap cost more than
        // im2col's weight gradient (24×24 → 12×12: 9 against 3 ms). On the 6×6 planes of deep layers it also beats
        // Winograd's (256 channels: 4.7–5.6 against 5.6–6.2 ms).
        if (tapGemm(g) && g.strideH() == 1 && g.strideW() == 1) {
            return TapGemm.weightGradient(g, gradOut, input);
        }
        return switch (ConvAlgorithm.choose(g, true)) {
            case DIRECT -> narrow(backwardWeightDirect(g, widen(gradOut), widen(input)));
            case IM2COL, POINTWISE, AUTO -> Conv2dFloat.backwardWeightGemm(g, gradOut, input);
            case WINOGRAD -> Winograd.backwardWeight(g, gradOut, input);
            case DEPTHWISE -> Conv2dFloat.backwardWeightDepthwise(g, gradOut, input);
            case SLIDING -> Conv2dSliding.backwardWeight(g, gradOut, input);
        };
    }

    /**
     * Whether {@link ConvAlgorithm#AUTO} runs this shape as per-tap GEMMs over the positions each tap reads: in
     * place of im2col, and of Winograd on small planes of deep layers (6×6, 64 or more channels in and out).
     */
    private static boolean tapGemm(ConvGeometry g) {
        if (ConvAlgorithm.current() != ConvAlgorithm.AUTO || !TapGemm.applies(g)) {
            return false;
        }
        ConvAlgorithm chosen = ConvAlgorithm.choose(g, true);
        return chosen == ConvAlgorithm.IM2COL || chosen == ConvAlgorithm.WINOGRAD
                && g.inChannels() >= 64 && g.outChannels() >= 64;
    }

    /** Whether {@link ConvAlgorithm#AUTO} runs this shape as a pointwise GEMM on subsampled planes. */
    private static boolean stridedPointwise(ConvGeometry g) {
        return ConvAlgorithm.current() == ConvAlgorithm.AUTO && StridedPointwise.applies(g)
                && ConvAlgorithm.choose(g, true) == ConvAlgorithm.IM2COL;
    }

    /** Float32 bias gradient: a vectorised sum per channel over batch and positions, in double, rounded once. */
    public static float[] backwardBias(ConvGeometry g, float[] gradOut) {
        return Conv2dFloat.backwardBias(g, gradOut);
    }

    /** Output with the algorithm chosen for this shape and dtype; float32 values run the float kernels. */
    public static double[] forward(ConvGeometry g, double[] input, double[] weight, double[] bias, boolean float32) {
        if (float32) {
            return widen(forward(g, narrow(input), narrow(weight), bias == null ? null : narrow(bias)));
        }
        return ConvAlgorithm.choose(g, false) == ConvAlgorithm.DIRECT ? forwardDirect(g, input, weight, bias)
                : forward(g, input, weight, bias);
    }

    /** Input gradient with the algorithm chosen for this shape and dtype. */
    public static double[] backwardInput(ConvGeometry g, double[] gradOut, double[] weight, boolean float32) {
        if (float32) {
            return widen(backwardInput(g, narrow(gradOut), narrow(weight)));
        }
        return ConvAlgorithm.choose(g, false) == ConvAlgorithm.DIRECT ? backwardInputDirect(g, gradOut, weight)
                : backwardInput(g, gradOut, weight);
    }

    /** Weight gradient with the algorithm chosen for this shape and dtype. */
    public static double[] backwardWeight(ConvGeometry g, double[] gradOut, double[] input, boolean float32) {
        if (float32) {
            return widen(backwardWeight(g, narrow(gradOut), narrow(input)));
        }
        return ConvAlgorithm.choose(g, false) == ConvAlgorithm.DIRECT ? backwardWeightDirect(g, gradOut, input)
                : backwardWeight(g, gradOut, input);
    }

    /** Bias gradient, in double (rounded once for float32). */
    public static double[] backwardBias(ConvGeometry g, double[] gradOut, boolean float32) {
        return float32 ? widen(backwardBias(g, narrow(gradOut))) : backwardBias(g, gradOut);
    }

    /**
     * For stride 1, the input gradient is the "full" convolution of the output gradient with the kernel
     * flipped and its in/out channels swapped, padded by dilation·(k − 1) − pad; null when that padding would
     * be negative (a padding wider than the kernel) or the stride is not 1.
     */
    static ConvGeometry fullConvolution(ConvGeometry g) {
        if (g.strideH() != 1 || g.strideW() != 1) {
            return null;
        }
        int top = g.dilationH() * (g.kernelH() - 1) - g.padTop();
        int left = g.dilationW() * (g.kernelW() - 1) - g.padLeft();
        // The far-side padding that makes the result exactly H × W (a transposed convolution's output may be larger).
        int bottom = g.height() - g.outH() + g.dilationH() * (g.kernelH() - 1) - top;
        int right = g.width() - g.outW() + g.dilationW() * (g.kernelW() - 1) - left;
        if (top < 0 || left < 0 || bottom < 0 || right < 0) {
            return null;
        }
        return new ConvGeometry(g.batch(), g.outChannels(), g.outH(), g.outW(), g.inChannels(), g.groups(),
                g.kernelH(), g.kernelW(), 1, 1, top, bottom, left, right, g.dilationH(), g.dilationW(), g.height(),
                g.width());
    }

    /** The weight of {@link #fullConvolution}: w'[grp·cg + c][o][i][j] = w[grp·og + o][c][kh−1−i][kw−1−j]. */
    static float[] flipped(ConvGeometry g, float[] w) {
        int og = g.outPerGroup();
        int cg = g.inPerGroup();
        int kh = g.kernelH();
        int kw = g.kernelW();
        // Calling thread's scratch: read only within the convolution it is made for (a fresh array per call was
        // 40 MB of garbage a ResNet-18 step).
        float[] f = Workspace.get().floats(Workspace.FLIPPED, w.length);
        // In 16×16 tiles of (output, input) channels: one of the two walks is strided, and a tile keeps its
        // cache lines in use.
        for (int oc0 = 0; oc0 < g.outChannels(); oc0 += 16) {
            for (int c0 = 0; c0 < cg; c0 += 16) {
                for (int oc = oc0; oc < Math.min(g.outChannels(), oc0 + 16); oc++) {
                    int grp = oc / og;
                    int o = oc % og;
                    for (int c = c0; c < Math.min(cg, c0 + 16); c++) {
                        int src = (oc * cg + c) * kh * kw;
                        int dst = ((grp * cg + c) * og + o) * kh * kw;
                        for (int i = 0; i < kh * kw; i++) {
                            f[dst + kh * kw - 1 - i] = w[src + i];
                        }
                    }
                }
            }
        }
        return f;
    }

    /** Direct forward: for each output plane, a multiply-add per tap and position, in double. */
    static double[] forwardDirect(ConvGeometry g, double[] x, double[] w, double[] bias) {
        int oh = g.outH();
        int ow = g.outW();
        int h = g.height();
        int wd = g.width();
        int cg = g.inPerGroup();
        int og = g.outPerGroup();
        int kh = g.kernelH();
        int kw = g.kernelW();
        int outC = g.outChannels();
        double[] out = new double[g.batch() * outC * oh * ow];
        Parallel.forRange(g.batch() * outC, Math.max(1, 4096 / Math.max(1, oh * ow * g.colRows())), t -> {
            int n = t / outC;
            int o = t % outC;
            int grp = o / og;
            int dst = t * oh * ow;
            for (int c = 0; c < cg; c++) {
                int plane = (n * g.inChannels() + grp * cg + c) * h * wd;
                for (int ki = 0; ki < kh; ki++) {
                    for (int kj = 0; kj < kw; kj++) {
                        double wv = w[((o * cg + c) * kh + ki) * kw + kj];
                        for (int oy = 0; oy < oh; oy++) {
                            int iy = oy * g.strideH() - g.padTop() + ki * g.dilationH();
                            if (iy < 0 || iy >= h) {
                                continue;
                            }
                            for (int ox = 0; ox < ow; ox++) {
                                int ix = ox * g.strideW() - g.padLeft() + kj * g.dilationW();
                                if (ix >= 0 && ix < wd) {
                                    out[dst + oy * ow + ox] += wv * x[plane + iy * wd + ix];
                                }
                            }
                        }
                    }
                }
            }
            if (bias != null) {
                for (int i = 0; i < oh * ow; i++) {
                    out[dst + i] += bias[o];
                }
            }
        });
        return out;
    }

    /** Direct input gradient: each input plane gathers from the output gradients of its group, in double. */
    static double[] backwardInputDirect(ConvGeometry g, double[] gradOut, double[] w) {
        int oh = g.outH();
        int ow = g.outW();
        int h = g.height();
        int wd = g.width();
        int cg = g.inPerGroup();
        int og = g.outPerGroup();
        int kh = g.kernelH();
        int kw = g.kernelW();
        int inC = g.inChannels();
        double[] gradIn = new double[g.batch() * inC * h * wd];
        Parallel.forRange(g.batch() * inC, Math.max(1, 4096 / Math.max(1, oh * ow * og * kh * kw)), t -> {
            int n = t / inC;
            int ch = t % inC;
            int grp = ch / cg;
            int c = ch % cg;
            int dst = t * h * wd;
            for (int o = grp * og; o < (grp + 1) * og; o++) {
                int src = (n * g.outChannels() + o) * oh * ow;
                for (int ki = 0; ki < kh; ki++) {
                    for (int kj = 0; kj < kw; kj++) {
                        double wv = w[((o * cg + c) * kh + ki) * kw + kj];
                        for (int oy = 0; oy < oh; oy++) {
                            int iy = oy * g.strideH() - g.padTop() + ki * g.dilationH();
                            if (iy < 0 || iy >= h) {
                                continue;
                            }
                            for (int ox = 0; ox < ow; ox++) {
                                int ix = ox * g.strideW() - g.padLeft() + kj * g.dilationW();
                                if (ix >= 0 && ix < wd) {
                                    gradIn[dst + iy * wd + ix] += wv * gradOut[src + oy * ow + ox];
                                }
                            }
                        }
                    }
                }
            }
        });
        return gradIn;
    }

    /** Direct weight gradient: one sum over batch and positions per weight, in double. */
    static double[] backwardWeightDirect(ConvGeometry g, double[] gradOut, double[] x) {
        int oh = g.outH();
        int ow = g.outW();
        int h = g.height();
        int wd = g.width();
        int cg = g.inPerGroup();
        int og = g.outPerGroup();
        int kh = g.kernelH();
        int kw = g.kernelW();
        int outC = g.outChannels();
        double[] gradW = new double[outC * g.colRows()];
        Parallel.forRange(outC, 1, o -> {
            int grp = o / og;
            for (int c = 0; c < cg; c++) {
                for (int ki = 0; ki < kh; ki++) {
                    for (int kj = 0; kj < kw; kj++) {
                        double s = 0;
                        for (int n = 0; n < g.batch(); n++) {
                            int plane = (n * g.inChannels() + grp * cg + c) * h * wd;
                            int src = (n * outC + o) * oh * ow;
                            for (int oy = 0; oy < oh; oy++) {
                                int iy = oy * g.strideH() - g.padTop() + ki * g.dilationH();
                                if (iy < 0 || iy >= h) {
                                    continue;
                                }
                                for (int ox = 0; ox < ow; ox++) {
                                    int ix = ox * g.strideW() - g.padLeft() + kj * g.dilationW();
                                    if (ix >= 0 && ix < wd) {
                                        s += gradOut[src + oy * ow + ox] * x[plane + iy * wd + ix];
                                    }
                                }
                            }
                        }
                        gradW[((o * cg + c) * kh + ki) * kw + kj] = s;
                    }
                }
            }
        });
        return gradW;
    }

    /** Output (N, O, outH, outW); {@code bias} may be null. */
    public static double[] forward(ConvGeometry g, double[] input, double[] weight, double[] bias) {
        int oh = g.outH();
        int ow = g.outW();
        int spatial = oh * ow;
        int og = g.outPerGroup();
        int rows = g.colRows();
        double[] out = new double[g.batch() * g.outChannels() * spatial];
        Parallel.forRange(g.batch(), 1, n -> {
            double[] cols = new double[rows * spatial];
            for (int grp = 0; grp < g.groups(); grp++) {
                im2col(g, input, n, grp, cols);
                int outOff = (n * g.outChannels() + grp * og) * spatial;
                Gemm.gemm(og, spatial, rows, weight, grp * og * rows, false, cols, 0, false, out, outOff, false);
            }
            if (bias != null) {
                for (int o = 0; o < g.outChannels(); o++) {
                    int base = (n * g.outChannels() + o) * spatial;
                    for (int s = 0; s < spatial; s++) {
                        out[base + s] += bias[o];
                    }
                }
            }
        });
        return out;
    }

    /** Gradient of the input (N, C, H, W) from the output gradient. */
    public static double[] backwardInput(ConvGeometry g, double[] gradOut, double[] weight) {
        int spatial = g.outH() * g.outW();
        int og = g.outPerGroup();
        int rows = g.colRows();
        double[] gradIn = new double[g.batch() * g.inChannels() * g.height() * g.width()];
        Parallel.forRange(g.batch(), 1, n -> {
            double[] cols = new double[rows * spatial];
            for (int grp = 0; grp < g.groups(); grp++) {
                int outOff = (n * g.outChannels() + grp * og) * spatial;
                Gemm.gemm(rows, spatial, og, weight, grp * og * rows, true, gradOut, outOff, false, cols, 0, false);
                col2im(g, cols, n, grp, gradIn);
            }
        });
        return gradIn;
    }

    /** Gradient of the weight, summed over the batch in image order. */
    public static double[] backwardWeight(ConvGeometry g, double[] gradOut, double[] input) {
        int spatial = g.outH() * g.outW();
        int og = g.outPerGroup();
        int rows = g.colRows();
        double[] gradW = new double[g.outChannels() * rows];
        double[] cols = new double[rows * spatial];
        for (int n = 0; n < g.batch(); n++) {
            for (int grp = 0; grp < g.groups(); grp++) {
                im2col(g, input, n, grp, cols);
                int outOff = (n * g.outChannels() + grp * og) * spatial;
                Gemm.gemm(og, rows, spatial, gradOut, outOff, false, cols, 0, true, gradW, grp * og * rows, true);
            }
        }
        return gradW;
    }

    /** Gradient of the bias: the output gradient summed over batch and positions. */
    public static double[] backwardBias(ConvGeometry g, double[] gradOut) {
        int spatial = g.outH() * g.outW();
        double[] gradB = new double[g.outChannels()];
        for (int n = 0; n < g.batch(); n++) {
            for (int o = 0; o < g.outChannels(); o++) {
                int base = (n * g.outChannels() + o) * spatial;
                double s = 0;
                for (int i = 0; i < spatial; i++) {
                    s += gradOut[base + i];
                }
                gradB[o] += s;
            }
        }
        return gradB;
    }

    /** Unfolds the input patches of image n, group grp into cols[(c, ki, kj), (oy, ox)]. */
    private static void im2col(ConvGeometry g, double[] input, int n, int grp, double[] cols) {
        int oh = g.outH();
        int ow = g.outW();
        int h = g.height();
        int w = g.width();
        int cg = g.inPerGroup();
        int row = 0;
        for (int c = 0; c < cg; c++) {
            int plane = ((n * g.inChannels()) + grp * cg + c) * h * w;
            for (int ki = 0; ki < g.kernelH(); ki++) {
                for (int kj = 0; kj < g.kernelW(); kj++, row++) {
                    int base = row * oh * ow;
                    for (int oy = 0; oy < oh; oy++) {
                        int iy = oy * g.strideH() - g.padTop() + ki * g.dilationH();
                        int dst = base + oy * ow;
                        if (iy < 0 || iy >= h) {
                            java.util.Arrays.fill(cols, dst, dst + ow, 0.0);
                            continue;
                        }
                        int src = plane + iy * w;
                        for (int ox = 0; ox < ow; ox++) {
                            int ix = ox * g.strideW() - g.padLeft() + kj * g.dilationW();
                            cols[dst + ox] = ix >= 0 && ix < w ? input[src + ix] : 0.0;
                        }
                    }
                }
            }
        }
    }

    /** Adds cols back into the input-shaped gradient: the transpose of {@link #im2col}. */
    private static void col2im(ConvGeometry g, double[] cols, int n, int grp, double[] gradIn) {
        int oh = g.outH();
        int ow = g.outW();
        int h = g.height();
        int w = g.width();
        int cg = g.inPerGroup();
        int row = 0;
        for (int c = 0; c < cg; c++) {
            int plane = ((n * g.inChannels()) + grp * cg + c) * h * w;
            for (int ki = 0; ki < g.kernelH(); ki++) {
                for (int kj = 0; kj < g.kernelW(); kj++, row++) {
                    int base = row * oh * ow;
                    for (int oy = 0; oy < oh; oy++) {
                        int iy = oy * g.strideH() - g.padTop() + ki * g.dilationH();
                        if (iy < 0 || iy >= h) {
                            continue;
                        }
                        int dst = plane + iy * w;
                        for (int ox = 0; ox < ow; ox++) {
                            int ix = ox * g.strideW() - g.padLeft() + kj * g.dilationW();
                            if (ix >= 0 && ix < w) {
                                gradIn[dst + ix] += cols[base + oy * ow + ox];
                            }
                        }
                    }
                }
            }
        }
    }
}
