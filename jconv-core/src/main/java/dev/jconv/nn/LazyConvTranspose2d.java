package dev.jconv.nn;

import dev.jconv.tensor.Tensor;

/** A {@link ConvTranspose2d} taking its input channels from its first input ({@code nn.LazyConvTranspose2d}). */
public class LazyConvTranspose2d extends ConvTranspose2d {
    public LazyConvTranspose2d(int outChannels, int kernelSize) {
        this(outChannels, Conv2dOptions.kernelSize(kernelSize), 0, 0);
    }

    public LazyConvTranspose2d(int outChannels, Conv2dOptions options, int outputPaddingH, int outputPaddingW) {
        super(0, outChannels, options, new int[] {outputPaddingH, outputPaddingW}, true);
    }

    @Override
    public Tensor forward(Tensor input) {
        if (!weight.isMaterialized()) {
            if (input.dim() != 3 && input.dim() != 4) {
                throw new IllegalArgumentException("Expected 3D (unbatched) or 4D (batched) input to conv_transpose2d, "
                        + "but got input of size: " + input.shape().dimsString());
            }
            inChannels = input.size(input.dim() - 3);
            initialize(input.dtype());
        }
        return super.forward(input);
    }

    @Override
    protected String name() {
        return weight.isMaterialized() ? "ConvTranspose2d" : "LazyConvTranspose2d";
    }
}
