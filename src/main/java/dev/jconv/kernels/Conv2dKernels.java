package dev.jconv.kernels;

/**
 * 2-D convolution (cross-correlation, as in PyTorch) by unfolding each image into a column matrix
 * (im2col) and multiplying by the weight matrix. Input NCHW, weight (O, C/groups, kh, kw), all row-major.
 */
public final class Conv2dKernels {
    private Conv2dKernels() {
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
