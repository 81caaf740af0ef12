package dev.jconv.nn;

import dev.jconv.tensor.Tensor;

/**
 * 2-D adaptive average pooling, like {@code torch.nn.AdaptiveAvgPool2d}: averages over windows chosen so that
 * the output has a fixed size whatever the input's. A null size keeps that dimension of the input
 * (PyTorch's {@code None}).
 */
public class AdaptiveAvgPool2d extends Module {
    private final AdaptiveSize size;

    /** {@code nn.AdaptiveAvgPool2d(size)}: a {@code size × size} output. */
    public AdaptiveAvgPool2d(int size) {
        this.size = AdaptiveSize.of(size);
    }

    /** {@code nn.AdaptiveAvgPool2d((h, w))}; either may be null to keep the input's size. */
    public AdaptiveAvgPool2d(Integer h, Integer w) {
        this.size = AdaptiveSize.of(h, w);
    }

    @Override
    public Tensor forward(Tensor input) {
        return Functional.adaptiveAvgPool2d(input, size.h(), size.w());
    }

    @Override
    protected String extraRepr() {
        return "output_size=" + size;
    }
}
