package dev.jconv.nn;

import dev.jconv.tensor.Tensor;

/**
 * A {@link Conv2d} whose input channel count is taken from its first input, like {@code nn.LazyConv2d}.
 * The weight and bias are drawn at that first call (from the global generator, as PyTorch does); from
 * then on it is an ordinary {@code Conv2d} and prints as one.
 */
public class LazyConv2d extends Conv2d {

    /** {@code nn.LazyConv2d(out, kernel_size=k)}. */
    public LazyConv2d(int outChannels, int kernelSize) {
        this(outChannels, Conv2dOptions.kernelSize(kernelSize));
    }

    /** {@code nn.LazyConv2d(out, kernel_size=…, …)}. */
    public LazyConv2d(int outChannels, Conv2dOptions options) {
        super(0, outChannels, options, true);
    }

    /** Whether the first call has fixed the input channels yet. */
    public boolean isInitialized() {
        return weight.isMaterialized();
    }

    @Override
    public Tensor forward(Tensor input) {
        if (!isInitialized()) {
            if (input.dim() != 3 && input.dim() != 4) {
                throw new IllegalArgumentException("Expected 3D (unbatched) or 4D (batched) input to conv2d, but got "
                        + "input of size: " + input.shape().dimsString());
            }
            inChannels = input.size(input.dim() - 3);
            initialize(input.dtype());
        }
        return super.forward(input);
    }

    @Override
    protected String name() {
        return isInitialized() ? "Conv2d" : "LazyConv2d";
    }
}
