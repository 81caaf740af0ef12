package dev.jconv.kernels;

/**
 * Everything a 2-D convolution kernel needs to know about its sizes. Padding is per side (top, bottom,
 * left, right) so that asymmetric "same" padding needs no copy of the input.
 */
public record ConvGeometry(int batch, int inChannels, int height, int width, int outChannels, int groups,
                           int kernelH, int kernelW, int strideH, int strideW, int padTop, int padBottom,
                           int padLeft, int padRight, int dilationH, int dilationW) {

    /** Output height: floor((H + pads - dilation·(k-1) - 1) / stride) + 1. */
    public int outH() {
        return (height + padTop + padBottom - dilationH * (kernelH - 1) - 1) / strideH + 1;
    }

    /** Output width, as {@link #outH()}. */
    public int outW() {
        return (width + padLeft + padRight - dilationW * (kernelW - 1) - 1) / strideW + 1;
    }

    int inPerGroup() {
        return inChannels / groups;
    }

    int outPerGroup() {
        return outChannels / groups;
    }

    /** Rows of the unfolded (im2col) matrix of one group. */
    int colRows() {
        return inPerGroup() * kernelH * kernelW;
    }
}
