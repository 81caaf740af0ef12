package dev.jconv.kernels;

/**
 * Everything a 2-D convolution kernel needs to know about its sizes. Padding is per side (top, bottom,
 * left, right) so that asymmetric "same" padding needs no copy of the input. The output size is a field
 * of its own because a transposed convolution with output padding runs this geometry with an input
 * (its output) one row or column larger than the formula would give back.
 */
public record ConvGeometry(int batch, int inChannels, int height, int width, int outChannels, int groups,
                           int kernelH, int kernelW, int strideH, int strideW, int padTop, int padBottom,
                           int padLeft, int padRight, int dilationH, int dilationW, int outH, int outW) {

    /**
     * A convolution's geometry with the output size floor((H + pads - dilation·(k-1) - 1) / stride) + 1.
     */
    public static ConvGeometry of(int batch, int inChannels, int height, int width, int outChannels, int groups,
                                  int kernelH, int kernelW, int strideH, int strideW, int padTop, int padBottom,
                                  int padLeft, int padRight, int dilationH, int dilationW) {
        int outH = (height + padTop + padBottom - dilationH * (kernelH - 1) - 1) / strideH + 1;
        int outW = (width + padLeft + padRight - dilationW * (kernelW - 1) - 1) / strideW + 1;
        return new ConvGeometry(batch, inChannels, height, width, outChannels, groups, kernelH, kernelW, strideH,
                strideW, padTop, padBottom, padLeft, padRight, dilationH, dilationW, outH, outW);
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
