package dev.jconv.nn;

import dev.jconv.tensor.Tensor;

/**
 * 2-D average pooling, like {@code torch.nn.AvgPool2d}: the mean of each window, over (N, C, H, W) or
 * unbatched (C, H, W) input. Takes the kernel, stride, padding, ceil mode, {@code count_include_pad} and
 * {@code divisor_override} of its {@link Pool2dOptions}; dilation does not apply and is refused.
 */
public class AvgPool2d extends Module {
    private final Pool2dOptions options;

    /** {@code nn.AvgPool2d(kernelSize)}: stride equal to the kernel size, no padding. */
    public AvgPool2d(int kernelSize) {
        this(Pool2dOptions.kernelSize(kernelSize));
    }

    /**
     * {@code nn.AvgPool2d(kernel_size=…, stride=…, padding=…, ceil_mode=…, count_include_pad=…,
     * divisor_override=…)}.
     */
    public AvgPool2d(Pool2dOptions options) {
        if (options.hasDilation()) {
            throw new IllegalArgumentException("AvgPool2d takes no dilation (it is a MaxPool2d option), got "
                    + options);
        }
        this.options = options;
    }

    /** The options this layer was built with. */
    public Pool2dOptions options() {
        return options;
    }

    @Override
    public Tensor forward(Tensor input) {
        return Functional.avgPool2d(input, options);
    }

    /** PyTorch's AvgPool2d shows only the window, whatever the other options. */
    @Override
    protected String extraRepr() {
        return options.describeWindow();
    }
}
