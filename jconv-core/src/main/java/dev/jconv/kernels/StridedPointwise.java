package dev.jconv.kernels;

/**
 * A 1×1 convolution with a stride above 1 and no padding (ResNet's downsampling shortcuts) reads only every
 * stride-th row and column: it is the stride-1 pointwise GEMM on the subsampled input. Unfolding it through
 * im2col instead gathers the same columns at several times the cost, and its input gradient runs col2im
 * over a plane of which three quarters stay zero. Float32, for {@link ConvAlgorithm#AUTO}.
 */
final class StridedPointwise {
    private StridedPointwise() {
    }

    /** Whether the convolution is a 1×1 kernel with a stride above 1 and no padding. */
    static boolean applies(ConvGeometry g) {
        return g.kernelH() == 1 && g.kernelW() == 1 && (g.strideH() > 1 || g.strideW() > 1)
                && g.padTop() == 0 && g.padBottom() == 0 && g.padLeft() == 0 && g.padRight() == 0;
    }

    /** The stride-1 pointwise geometry over the subsampled (outH × outW) planes. */
    static ConvGeometry dense(ConvGeometry g) {
        return new ConvGeometry(g.batch(), g.inChannels(), g.outH(), g.outW(), g.outChannels(), g.groups(), 1, 1,
                1, 1, 0, 0, 0, 0, 1, 1, g.outH(), g.outW());
    }

    static float[] forward(ConvGeometry g, float[] x, float[] w, float[] bias) {
        return Conv2dFloat.forwardGemm(dense(g), subsample(g, x), w, bias);
    }

    static float[] backwardWeight(ConvGeometry g, float[] gradOut, float[] x) {
        return Conv2dFloat.backwardWeightGemm(dense(g), gradOut, subsample(g, x));
    }

    /** The pointwise input gradient of the subsampled planes, spread back to every stride-th position. */
    static float[] backwardInput(ConvGeometry g, float[] gradOut, float[] w) {
        float[] sub = Conv2dKernels.pointwiseInputGradient(dense(g), gradOut, w);
        int oh = g.outH();
        int ow = g.outW();
        int h = g.height();
        int wd = g.width();
        int sh = g.strideH();
        int sw = g.strideW();
        float[] gradIn = new float[g.batch() * g.inChannels() * h * wd];
        Parallel.forRange(g.batch() * g.inChannels(), 16, p -> {
            for (int oy = 0; oy < oh; oy++) {
                int s = (p * oh + oy) * ow;
                int d = p * h * wd + oy * sh * wd;
                for (int ox = 0; ox < ow; ox++) {
                    gradIn[d + ox * sw] = sub[s + ox];
                }
            }
        });
        return gradIn;
    }

    /** x[n, c, oy·sh, ox·sw] for every output position: the planes the 1×1 kernel reads. */
    static float[] subsample(ConvGeometry g, float[] x) {
        int oh = g.outH();
        int ow = g.outW();
        int h = g.height();
        int wd = g.width();
        int sh = g.strideH();
        int sw = g.strideW();
        float[] sub = new float[g.batch() * g.inChannels() * oh * ow];
        Parallel.forRange(g.batch() * g.inChannels(), 16, p -> {
            for (int oy = 0; oy < oh; oy++) {
                int s = p * h * wd + oy * sh * wd;
                int d = (p * oh + oy) * ow;
                for (int ox = 0; ox < ow; ox++) {
                    sub[d + ox] = x[s + ox * sw];
                }
            }
        });
        return sub;
    }
}
