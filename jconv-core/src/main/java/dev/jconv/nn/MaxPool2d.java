package dev.jconv.nn;

import dev.jconv.tensor.Pooling;
import dev.jconv.tensor.Tensor;

/**
 * 2-D max pooling, like {@code torch.nn.MaxPool2d}: the largest value of each window, over (N, C, H, W) or
 * unbatched (C, H, W) input. Takes the kernel, stride, padding, dilation and ceil mode of its
 * {@link Pool2dOptions}; the averaging options do not apply and are refused.
 */
public class MaxPool2d extends Module {
    private final Pool2dOptions options;

    /** {@code nn.MaxPool2d(kernelSize)}: stride equal to the kernel size, no padding. */
    public MaxPool2d(int kernelSize) {
        this(Pool2dOptions.kernelSize(kernelSize));
    }

    /** {@code nn.MaxPool2d(kernel_size=…, stride=…, padding=…, dilation=…, ceil_mode=…)}. */
    public MaxPool2d(Pool2dOptions options) {
        if (!options.countIncludePad() || options.divisorOverride() != null) {
            throw new IllegalArgumentException("MaxPool2d takes no count_include_pad or divisor_override (they are "
                    + "AvgPool2d options), got " + options);
        }
        this.options = options;
    }

    /** The options this layer was built with. */
    public Pool2dOptions options() {
        return options;
    }

    @Override
    public Tensor forward(Tensor input) {
        return Functional.maxPool2d(input, options);
    }

    /** The output and the flat in-plane index of each maximum, as with {@code return_indices=True}. */
    public Pooling.WithIndices forwardWithIndices(Tensor input) {
        return Functional.maxPool2dWithIndices(input, options);
    }

    @Override
    protected String extraRepr() {
        return options.describeMax();
    }
}
