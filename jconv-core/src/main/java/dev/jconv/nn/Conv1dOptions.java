package dev.jconv.nn;

import dev.jconv.tensor.Padding;

/**
 * The optional arguments of a 1-D convolution, with PyTorch's defaults; a 1-D convolution runs as a 2-D
 * one over a height of 1, so these map onto {@link Conv2dOptions}.
 * <pre>{@code Conv1dOptions.kernelSize(3).padding(1).stride(2)}</pre>
 */
public record Conv1dOptions(Conv2dOptions asConv2d) {

    /** A kernel of length {@code k}. */
    public static Conv1dOptions kernelSize(int k) {
        return new Conv1dOptions(Conv2dOptions.kernelSize(1, k));
    }

    public Conv1dOptions stride(int s) {
        return new Conv1dOptions(asConv2d.stride(1, s));
    }

    public Conv1dOptions padding(int p) {
        return new Conv1dOptions(asConv2d.padding(0, p));
    }

    /** {@code "same"} or {@code "valid"}. */
    public Conv1dOptions padding(String mode) {
        return new Conv1dOptions(asConv2d.padding(mode));
    }

    public Conv1dOptions dilation(int d) {
        return new Conv1dOptions(asConv2d.dilation(1, d));
    }

    public Conv1dOptions groups(int g) {
        return new Conv1dOptions(asConv2d.groups(g));
    }

    public Conv1dOptions bias(boolean b) {
        return new Conv1dOptions(asConv2d.bias(b));
    }

    public Conv1dOptions paddingMode(Padding.Mode mode) {
        return new Conv1dOptions(asConv2d.paddingMode(mode));
    }

    /** PyTorch's extra_repr after the channel counts, with 1-tuples such as {@code kernel_size=(3,)}. */
    String describe() {
        Conv2dOptions o = asConv2d;
        StringBuilder sb = new StringBuilder("kernel_size=(" + o.kernelW() + ",), stride=(" + o.strideW() + ",)");
        if (o.paddingMode() != null) {
            sb.append(", padding=").append(o.paddingMode());
        } else if (o.padW() != 0) {
            sb.append(", padding=(").append(o.padW()).append(",)");
        }
        if (o.dilationW() != 1) {
            sb.append(", dilation=(").append(o.dilationW()).append(",)");
        }
        if (o.groups() != 1) {
            sb.append(", groups=").append(o.groups());
        }
        if (!o.bias()) {
            sb.append(", bias=False");
        }
        if (o.fill() != Padding.Mode.CONSTANT) {
            sb.append(", padding_mode=").append(o.fill().torchName());
        }
        return sb.toString();
    }
}
