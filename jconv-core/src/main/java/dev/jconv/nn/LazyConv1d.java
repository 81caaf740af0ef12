package dev.jconv.nn;

import dev.jconv.tensor.Tensor;

/** A {@link Conv1d} that takes its input channel count from its first input, like {@code nn.LazyConv1d}. */
public class LazyConv1d extends Conv1d {
    public LazyConv1d(int outChannels, int kernelSize) {
        this(outChannels, Conv1dOptions.kernelSize(kernelSize));
    }

    public LazyConv1d(int outChannels, Conv1dOptions options) {
        super(0, outChannels, options, true);
    }

    @Override
    public Tensor forward(Tensor input) {
        if (!weight.isMaterialized()) {
            if (input.dim() != 2 && input.dim() != 3) {
                throw new IllegalArgumentException("Expected 2D (unbatched) or 3D (batched) input to conv1d, but got "
                        + "input of size: " + input.shape().dimsString());
            }
            inChannels = input.size(input.dim() - 2);
            initialize(input.dtype());
        }
        return super.forward(input);
    }

    @Override
    protected String name() {
        return weight.isMaterialized() ? "Conv1d" : "LazyConv1d";
    }
}
