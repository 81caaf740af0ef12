package dev.jconv.examples;

import dev.jconv.tensor.Tensor;

/** The channels chapter's teaching functions: cross-correlation with several input and output channels. */
public final class MultiChannel {
    private MultiChannel() {
    }

    /** Sum over input channels of each channel's cross-correlation: x (C, H, W), k (C, h, w). */
    public static Tensor corr2dMultiIn(Tensor x, Tensor k) {
        if (x.dim() != 3 || k.dim() != 3 || x.size(0) != k.size(0)) {
            throw new IllegalArgumentException("corr2dMultiIn expects x (C, H, W) and k (C, h, w) with the same C, got "
                    + x.shape().dimsString() + " and " + k.shape().dimsString());
        }
        Tensor sum = Corr2d.corr2d(x.get(0), k.get(0));
        for (int c = 1; c < x.size(0); c++) {
            sum = sum.add(Corr2d.corr2d(x.get(c), k.get(c)));
        }
        return sum;
    }

    /** One output channel per kernel along k's first axis: x (C, H, W), k (O, C, h, w) → (O, H', W'). */
    public static Tensor corr2dMultiInOut(Tensor x, Tensor k) {
        if (k.dim() != 4) {
            throw new IllegalArgumentException("corr2dMultiInOut expects k (O, C, h, w), got " + k.shape().dimsString());
        }
        Tensor[] outs = new Tensor[k.size(0)];
        for (int o = 0; o < outs.length; o++) {
            outs[o] = corr2dMultiIn(x, k.get(o));
        }
        return Tensor.stack(outs, 0);
    }

    /** A 1×1 convolution as a matrix product: (O, C) · (C, H·W), reshaped to (O, H, W). */
    public static Tensor corr2dMultiInOut1x1(Tensor x, Tensor k) {
        int c = x.size(0);
        int h = x.size(1);
        int w = x.size(2);
        int o = k.size(0);
        Tensor y = k.reshape(o, c).matmul(x.reshape(c, h * w));
        return y.reshape(o, h, w);
    }
}
