package dev.jconv.tensor;

import dev.jconv.kernels.Conv2dKernels;
import dev.jconv.kernels.ConvGeometry;
import dev.jconv.storage.DType;
import dev.jconv.storage.Shape;

/**
 * The 2-D convolution op (cross-correlation, as PyTorch's {@code conv2d}): argument checks with PyTorch's
 * messages, the forward kernel, and the backward rule for input, weight and bias.
 */
public final class Convolution {
    private Convolution() {
    }

    /**
     * Convolves {@code input} (N, C, H, W) or unbatched (C, H, W) with {@code weight} (O, C/groups, kh, kw).
     *
     * @param bias     (O) or null
     * @param stride   (sh, sw), each ≥ 1
     * @param padding  per side: (top, bottom, left, right), each ≥ 0
     * @param dilation (dh, dw), each ≥ 1
     * @param groups   ≥ 1, dividing C and O
     */
    public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation,
                                int groups) {
        if (input.dim() == 3) {
            return conv2d(input.unsqueeze(0), weight, bias, stride, padding, dilation, groups).squeeze(0);
        }
        ConvGeometry g = geometry(input, weight, bias, stride, padding, dilation, groups);
        Tensor result = input.dtype() == DType.FLOAT32 ? Tensor.wrap(Conv2dKernels.forward(g, input.floatValues(),
                weight.floatValues(), bias == null ? null : bias.floatValues()), outputShape(g))
                : Tensor.wrap(Conv2dKernels.forward(g, values(input), values(weight), bias == null ? null : values(bias),
                false), outputShape(g), input.dtype());
        if (!Op.needed(input, weight, bias)) {
            return result;
        }
        result.setGradFn(new Op(input, weight, bias) {
            private final int savedInput = save(input);
            private final int savedWeight = save(weight);

            @Override
            public String name() {
                return "ConvolutionBackward0";
            }

            @Override
            Tensor[] gradients(Tensor grad) {
                if (grad.dtype() != DType.FLOAT32) {
                    return float64Gradients(grad);
                }
                float[] go = grad.floatValues();
                // The input gradient is a new array only this gradient refers to: its leaf may keep it uncopied.
                Tensor gi = needsGrad(0) ? Tensor.wrapUnshared(Conv2dKernels.backwardInput(g, go,
                        saved(savedWeight).floatValues()), input.shape()) : null;
                Tensor gw = needsGrad(1) ? Tensor.wrapUnshared(Conv2dKernels.backwardWeight(g, go,
                        saved(savedInput).floatValues()), weight.shape()) : null;
                Tensor gb = needsGrad(2) ? Tensor.wrapUnshared(Conv2dKernels.backwardBias(g, go), bias.shape()) : null;
                return new Tensor[] {gi, gw, gb};
            }

            private Tensor[] float64Gradients(Tensor grad) {
                double[] go = values(grad);
                DType dtype = grad.dtype();
                Tensor gi = needsGrad(0) ? Tensor.wrapUnshared(Conv2dKernels.backwardInput(g, go,
                        values(saved(savedWeight)), false), input.shape(), dtype) : null;
                Tensor gw = needsGrad(1) ? Tensor.wrap(Conv2dKernels.backwardWeight(g, go,
                        values(saved(savedInput)), false), weight.shape(), dtype) : null;
                Tensor gb = needsGrad(2) ? Tensor.wrap(Conv2dKernels.backwardBias(g, go, false), bias.shape(), dtype)
                        : null;
                return new Tensor[] {gi, gw, gb};
            }
        });
        return result;
    }

    private static Shape outputShape(ConvGeometry g) {
        return Shape.of(g.batch(), g.outChannels(), g.outH(), g.outW());
    }

    /**
     * Transposed convolution ({@code F.conv_transpose2d}): the gradient of a convolution with respect to its
     * input, used to upsample. Input (N, C, H, W) or (C, H, W), weight (C, O/groups, kh, kw); the output
     * height is {@code (H - 1)·stride - 2·padding + dilation·(kh - 1) + outputPadding + 1}.
     */
    public static Tensor convTranspose2d(Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding,
                                         int[] outputPadding, int groups, int[] dilation) {
        if (input.dim() == 3) {
            return convTranspose2d(input.unsqueeze(0), weight, bias, stride, padding, outputPadding, groups, dilation)
                    .squeeze(0);
        }
        checkPair("output_padding", outputPadding, 2);
        checkPair("padding", padding, 2);
        checkPair("stride", stride, 2);
        checkPair("dilation", dilation, 2);
        if (input.dim() != 4 || weight.dim() != 4) {
            throw new IllegalArgumentException("Expected 3D (unbatched) or 4D (batched) input and 4D weight to "
                    + "conv_transpose2d, but got input of size " + input.shape().dimsString() + " and weight of size "
                    + weight.shape().dimsString());
        }
        if (groups <= 0 || input.size(1) != weight.size(0) || weight.size(0) % groups != 0) {
            throw new IllegalArgumentException("Given transposed=1, weight of size " + weight.shape().dimsString()
                    + ", expected input" + input.shape().dimsString() + " to have " + weight.size(0)
                    + " channels, but got " + input.size(1) + " channels instead (groups=" + groups + ")");
        }
        checkDilation(dilation);
        checkKernelSize(weight);
        for (int i = 0; i < 2; i++) {
            if (outputPadding[i] < 0 || (outputPadding[i] >= stride[i] && outputPadding[i] >= dilation[i])) {
                throw new IllegalArgumentException("output padding must be smaller than either stride or dilation, but "
                        + "got output_padding=" + pair(outputPadding) + ", stride=" + pair(stride) + ", dilation="
                        + pair(dilation));
            }
        }
        int outC = weight.size(1) * groups;
        int outH = (input.size(2) - 1) * stride[0] - 2 * padding[0] + dilation[0] * (weight.size(2) - 1)
                + outputPadding[0] + 1;
        int outW = (input.size(3) - 1) * stride[1] - 2 * padding[1] + dilation[1] * (weight.size(3) - 1)
                + outputPadding[1] + 1;
        if (outH <= 0 || outW <= 0 || stride[0] <= 0 || stride[1] <= 0 || padding[0] < 0 || padding[1] < 0) {
            throw new IllegalArgumentException("conv_transpose2d: input " + input.shape().dimsString() + " with weight "
                    + weight.shape().dimsString() + ", stride " + pair(stride) + ", padding " + pair(padding)
                    + " gives output size (" + outH + " x " + outW + "), which is invalid");
        }
        if (bias != null && (bias.dim() != 1 || bias.size(0) != outC)) {
            throw new IllegalArgumentException("Given transposed=1, weight of size " + weight.shape().dimsString()
                    + ", expected bias to be 1-dimensional with " + outC + " elements, but got bias of size "
                    + bias.shape().dimsString() + " instead");
        }
        // The convolution whose input gradient this is: its input is our output, its output our input.
        ConvGeometry g = new ConvGeometry(input.size(0), outC, outH, outW, input.size(1), groups, weight.size(2),
                weight.size(3), stride[0], stride[1], padding[0], padding[0], padding[1], padding[1], dilation[0],
                dilation[1], input.size(2), input.size(3));
        DType dtype = input.dtype();
        boolean f32 = dtype == DType.FLOAT32;
        double[] out = Conv2dKernels.backwardInput(g, values(input), values(weight), f32);
        if (bias != null) {
            double[] b = values(bias);
            int plane = outH * outW;
            for (int i = 0; i < out.length; i++) {
                out[i] += b[(i / plane) % outC];
            }
        }
        Tensor result = wrapRounded(out, Shape.of(input.size(0), outC, outH, outW), dtype);
        if (!Op.needed(input, weight, bias)) {
            return result;
        }
        result.setGradFn(new Op(input, weight, bias) {
            private final int savedInput = save(input);
            private final int savedWeight = save(weight);

            @Override
            public String name() {
                return "ConvolutionBackward0";
            }

            @Override
            Tensor[] gradients(Tensor grad) {
                double[] go = values(grad);
                Tensor gi = needsGrad(0) ? wrapRounded(Conv2dKernels.forward(g, go, values(saved(savedWeight)), null, f32),
                        input.shape(), dtype) : null;
                Tensor gw = needsGrad(1) ? wrapRounded(Conv2dKernels.backwardWeight(g, values(saved(savedInput)), go, f32),
                        weight.shape(), dtype) : null;
                Tensor gb = needsGrad(2) ? grad.sum(new int[] {0, 2, 3}, false) : null;
                return new Tensor[] {gi, gw, gb};
            }
        });
        return result;
    }

    /** Output size of one dimension: floor((in + padBefore + padAfter - dilation·(k-1) - 1) / stride) + 1. */
    public static int outputSize(int in, int kernel, int stride, int padBefore, int padAfter, int dilation) {
        return (in + padBefore + padAfter - dilation * (kernel - 1) - 1) / stride + 1;
    }

    private static ConvGeometry geometry(Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding,
                                         int[] dilation, int groups) {
        if (input.dim() != 4) {
            throw new IllegalArgumentException("Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input "
                    + "of size: " + input.shape().dimsString());
        }
        if (weight.dim() != 4) {
            throw new IllegalArgumentException("Expected 4D weight (out_channels, in_channels/groups, kH, kW) for "
                    + "conv2d, but got weight of size " + weight.shape().dimsString());
        }
        checkPair("stride", stride, 2);
        checkPair("dilation", dilation, 2);
        checkPair("padding", padding, 4);
        if (stride[0] <= 0 || stride[1] <= 0) {
            throw new IllegalArgumentException("non-positive stride is not supported: stride=" + pair(stride));
        }
        checkDilation(dilation);
        for (int p : padding) {
            if (p < 0) {
                throw new IllegalArgumentException("negative padding is not supported: padding="
                        + java.util.Arrays.toString(padding));
            }
        }
        if (groups <= 0) {
            throw new IllegalArgumentException("non-positive groups is not supported: groups=" + groups);
        }
        int out = weight.size(0);
        if (out % groups != 0) {
            throw new IllegalArgumentException("Given groups=" + groups + ", expected weight to be divisible by "
                    + groups + " at dimension 0, but got weight of size " + weight.shape().dimsString() + " instead");
        }
        int channels = input.size(1);
        if (channels != weight.size(1) * groups) {
            throw new IllegalArgumentException("Given groups=" + groups + ", weight of size " + weight.shape().dimsString()
                    + ", expected input" + input.shape().dimsString() + " to have " + weight.size(1) * groups
                    + " channels, but got " + channels + " channels instead");
        }
        if (bias != null && (bias.dim() != 1 || bias.size(0) != out)) {
            throw new IllegalArgumentException("Given weight of size " + weight.shape().dimsString()
                    + ", expected bias to be 1-dimensional with " + out + " elements, but got bias of size "
                    + bias.shape().dimsString() + " instead");
        }
        if (input.dtype() != weight.dtype() || (bias != null && bias.dtype() != weight.dtype())
                || !input.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("conv2d expects input, weight and bias of one floating point dtype, got "
                    + input.dtype() + ", " + weight.dtype() + (bias == null ? "" : ", " + bias.dtype()));
        }
        checkKernelSize(weight);
        // In long: padding or dilation near Integer.MAX_VALUE must not wrap around into a plausible size.
        long paddedH = (long) input.size(2) + padding[0] + padding[1];
        long paddedW = (long) input.size(3) + padding[2] + padding[3];
        long effKh = (long) dilation[0] * (weight.size(2) - 1) + 1;
        long effKw = (long) dilation[1] * (weight.size(3) - 1) + 1;
        if (paddedH < effKh || paddedW < effKw) {
            throw new IllegalArgumentException("Calculated padded input size per channel: (" + paddedH + " x " + paddedW
                    + "). Kernel size: (" + effKh + " x " + effKw + "). Kernel size can't be greater than actual "
                    + "input size");
        }
        long outH = (paddedH - effKh) / stride[0] + 1;
        long outW = (paddedW - effKw) / stride[1] + 1;
        long outNumel = (long) input.size(0) * out * outH * outW;
        if (paddedH > Integer.MAX_VALUE || paddedW > Integer.MAX_VALUE || outNumel > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("conv2d of input " + input.shape().dimsString() + " with weight "
                    + weight.shape().dimsString() + ", padding " + java.util.Arrays.toString(padding) + " and stride "
                    + pair(stride) + " would give an output of " + input.size(0) + " x " + out + " x " + outH + " x "
                    + outW + " = " + outNumel + " elements, more than a tensor can hold (2^31-1)");
        }
        return ConvGeometry.of(input.size(0), channels, input.size(2), input.size(3), out, groups, weight.size(2),
                weight.size(3), stride[0], stride[1], padding[0], padding[1], padding[2], padding[3], dilation[0],
                dilation[1]);
    }

    private static void checkDilation(int[] dilation) {
        if (dilation[0] <= 0 || dilation[1] <= 0) {
            throw new IllegalArgumentException("dilation should be greater than zero, got dilation=" + pair(dilation));
        }
    }

    /** An empty kernel would "convolve" to the bias alone, over an output larger than the input. */
    private static void checkKernelSize(Tensor weight) {
        if (weight.size(2) <= 0 || weight.size(3) <= 0) {
            throw new IllegalArgumentException("kernel size should be greater than zero, but got kH: " + weight.size(2)
                    + " kW: " + weight.size(3) + " (weight of size " + weight.shape().dimsString() + ")");
        }
    }

    private static void checkPair(String name, int[] v, int length) {
        if (v == null || v.length != length) {
            throw new IllegalArgumentException(name + " must have " + length + " values, got "
                    + (v == null ? "null" : java.util.Arrays.toString(v)));
        }
    }

    private static String pair(int[] v) {
        return "(" + v[0] + ", " + v[1] + ")";
    }

    /** The tensor's values in row-major order, without a copy where possible (kernels only read them). */
    private static double[] values(Tensor t) {
        return t.values();
    }

    private static void round(double[] v, DType dtype) {
        if (dtype != DType.FLOAT64) {
            for (int i = 0; i < v.length; i++) {
                v[i] = dtype.round(v[i]);
            }
        }
    }

    private static Tensor wrapRounded(double[] v, Shape shape, DType dtype) {
        round(v, dtype);
        return Tensor.wrap(v, shape, dtype);
    }
}
