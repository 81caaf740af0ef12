package dev.jconv.nn;

import dev.jconv.tensor.Convolution;
import dev.jconv.tensor.Pooling;
import dev.jconv.tensor.Tensor;

/** Stateless layer functions, mirroring {@code torch.nn.functional} (import statically, call like {@code F.*}). */
public final class Functional {
    private Functional() {
    }

    /** {@code F.conv2d(input, weight, bias, stride, padding, dilation, groups)} with (h, w) pairs. */
    public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation,
                                int groups) {
        checkPair("padding", padding);
        return Convolution.conv2d(input, weight, bias, stride,
                new int[] {padding[0], padding[0], padding[1], padding[1]}, dilation, groups);
    }

    /** {@code F.conv2d} with {@code padding="same"} or {@code "valid"}. */
    public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias, int[] stride, String padding, int[] dilation,
                                int groups) {
        checkPair("stride", stride);
        checkPair("dilation", dilation);
        if (weight.dim() != 4) {
            throw new IllegalArgumentException("Expected 4D weight for conv2d, but got weight of size "
                    + weight.shape().dimsString());
        }
        Conv2dOptions o = Conv2dOptions.kernelSize(weight.size(2), weight.size(3)).stride(stride[0], stride[1])
                .dilation(dilation[0], dilation[1]).padding(padding);
        return Convolution.conv2d(input, weight, bias, stride, o.sidePadding(), dilation, groups);
    }

    /** {@code F.conv2d(input, weight)} with default stride, padding, dilation and groups. */
    public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias) {
        return conv2d(input, weight, bias, new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1}, 1);
    }

    /** Convolution as a module with these options performs it. */
    static Tensor conv2d(Tensor input, Tensor weight, Tensor bias, Conv2dOptions o) {
        return Convolution.conv2d(input, weight, bias, new int[] {o.strideH(), o.strideW()}, o.sidePadding(),
                new int[] {o.dilationH(), o.dilationW()}, o.groups());
    }

    /** {@code F.max_pool2d(input, kernelSize)}: stride equal to the kernel size, no padding. */
    public static Tensor maxPool2d(Tensor input, int kernelSize) {
        return maxPool2d(input, Pool2dOptions.kernelSize(kernelSize));
    }

    /**
     * {@code F.max_pool2d(input, kernel_size, stride, padding, dilation, ceil_mode)}; each size is one value or
     * an (h, w) pair, and a null stride means the kernel size.
     */
    public static Tensor maxPool2d(Tensor input, int[] kernelSize, int[] stride, int[] padding, int[] dilation,
                                   boolean ceilMode) {
        return Pooling.maxPool2d(input, kernelSize, stride, padding, dilation, ceilMode);
    }

    /** {@code F.max_pool2d(…, return_indices=True)}: the output and the flat in-plane index of each maximum. */
    public static Pooling.WithIndices maxPool2dWithIndices(Tensor input, int[] kernelSize, int[] stride,
                                                           int[] padding, int[] dilation, boolean ceilMode) {
        return Pooling.maxPool2dWithIndices(input, kernelSize, stride, padding, dilation, ceilMode);
    }

    static Tensor maxPool2d(Tensor input, Pool2dOptions o) {
        return Pooling.maxPool2d(input, o.kernel(), o.stride(), o.padding(), o.dilation(), o.ceilMode());
    }

    static Pooling.WithIndices maxPool2dWithIndices(Tensor input, Pool2dOptions o) {
        return Pooling.maxPool2dWithIndices(input, o.kernel(), o.stride(), o.padding(), o.dilation(), o.ceilMode());
    }

    /** {@code F.avg_pool2d(input, kernelSize)}: stride equal to the kernel size, no padding. */
    public static Tensor avgPool2d(Tensor input, int kernelSize) {
        return avgPool2d(input, Pool2dOptions.kernelSize(kernelSize));
    }

    /**
     * {@code F.avg_pool2d(input, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override)};
     * each size is one value or an (h, w) pair, a null stride means the kernel size, and a null
     * {@code divisorOverride} divides each window by its own size.
     */
    public static Tensor avgPool2d(Tensor input, int[] kernelSize, int[] stride, int[] padding, boolean ceilMode,
                                   boolean countIncludePad, Integer divisorOverride) {
        return Pooling.avgPool2d(input, kernelSize, stride, padding, ceilMode, countIncludePad, divisorOverride);
    }

    static Tensor avgPool2d(Tensor input, Pool2dOptions o) {
        return Pooling.avgPool2d(input, o.kernel(), o.stride(), o.padding(), o.ceilMode(), o.countIncludePad(),
                o.divisorOverride());
    }

    /** {@code F.adaptive_avg_pool2d(input, size)}: a {@code size × size} output. */
    public static Tensor adaptiveAvgPool2d(Tensor input, int outputSize) {
        return Pooling.adaptiveAvgPool2d(input, outputSize, outputSize);
    }

    /** {@code F.adaptive_avg_pool2d(input, (h, w))}; a null size keeps the input's (PyTorch's {@code None}). */
    public static Tensor adaptiveAvgPool2d(Tensor input, Integer outH, Integer outW) {
        return Pooling.adaptiveAvgPool2d(input, orInput(input, outH, -2), orInput(input, outW, -1));
    }

    /** {@code F.adaptive_max_pool2d(input, size)}: a {@code size × size} output. */
    public static Tensor adaptiveMaxPool2d(Tensor input, int outputSize) {
        return Pooling.adaptiveMaxPool2d(input, outputSize, outputSize);
    }

    /** {@code F.adaptive_max_pool2d(input, (h, w))}; a null size keeps the input's (PyTorch's {@code None}). */
    public static Tensor adaptiveMaxPool2d(Tensor input, Integer outH, Integer outW) {
        return Pooling.adaptiveMaxPool2d(input, orInput(input, outH, -2), orInput(input, outW, -1));
    }

    /** {@code F.adaptive_max_pool2d(input, (h, w), return_indices=True)}. */
    public static Pooling.WithIndices adaptiveMaxPool2dWithIndices(Tensor input, Integer outH, Integer outW) {
        return Pooling.adaptiveMaxPool2dWithIndices(input, orInput(input, outH, -2), orInput(input, outW, -1));
    }

    /** {@code size}, or for null the input's size in {@code dim} (inputs too small for that are refused later). */
    private static int orInput(Tensor input, Integer size, int dim) {
        return size != null ? size : input.dim() >= -dim ? input.size(dim) : 1;
    }

    /** {@code F.mse_loss}: mean (or sum) of squared differences. */
    public static Tensor mseLoss(Tensor input, Tensor target, Reduction reduction) {
        if (!input.shape().equals(target.shape())) {
            throw new IllegalArgumentException("mse_loss: input of size " + input.shape().dimsString()
                    + " and target of size " + target.shape().dimsString() + " must have the same size");
        }
        Tensor sq = input.sub(target).pow(2);
        return switch (reduction) {
            case MEAN -> sq.mean();
            case SUM -> sq.sum();
            case NONE -> sq;
        };
    }

    /** {@code F.relu}. */
    public static Tensor relu(Tensor x) {
        return x.relu();
    }

    /** {@code F.linear}: {@code x · weightᵀ + bias}. */
    public static Tensor linear(Tensor input, Tensor weight, Tensor bias) {
        if (weight.dim() != 2 || input.dim() == 0 || input.size(-1) != weight.size(1)) {
            throw new IllegalArgumentException("linear: input of shape " + input.shape().dimsString()
                    + " cannot be multiplied by weight of shape " + weight.shape().dimsString()
                    + " (expected the input's last dimension to be " + (weight.dim() == 2 ? weight.size(1) : "weight.size(1)")
                    + ")");
        }
        Tensor out = input.matmul(weight.t());
        return bias == null ? out : out.add(bias);
    }

    private static void checkPair(String name, int[] v) {
        if (v == null || v.length != 2) {
            throw new IllegalArgumentException(name + " must be an (h, w) pair, got "
                    + (v == null ? "null" : java.util.Arrays.toString(v)));
        }
    }
}
