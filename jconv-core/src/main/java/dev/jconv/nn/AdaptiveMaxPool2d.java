package dev.jconv.nn;

import dev.jconv.tensor.Pooling;
import dev.jconv.tensor.Tensor;

/**
 * 2-D adaptive max pooling, like {@code torch.nn.AdaptiveMaxPool2d}: maxima over windows chosen so that the
 * output has a fixed size whatever the input's. A null size keeps that dimension of the input (PyTorch's
 * {@code None}).
 */
public class AdaptiveMaxPool2d extends Module {
    private final AdaptiveSize size;

    /** {@code nn.AdaptiveMaxPool2d(size)}: a {@code size × size} output. */
    public AdaptiveMaxPool2d(int size) {
        this.size = AdaptiveSize.of(size);
    }

    /** {@code nn.AdaptiveMaxPool2d((h, w))}; either may be null to keep the input's size. */
    public AdaptiveMaxPool2d(Integer h, Integer w) {
        this.size = AdaptiveSize.of(h, w);
    }

    @Override
    public Tensor forward(Tensor input) {
        return Functional.adaptiveMaxPool2d(input, size.h(), size.w());
    }

    /** The output and the flat in-plane index of each maximum, as with {@code return_indices=True}. */
    public Pooling.WithIndices forwardWithIndices(Tensor input) {
        return Functional.adaptiveMaxPool2dWithIndices(input, size.h(), size.w());
    }

    @Override
    protected String extraRepr() {
        return "output_size=" + size;
    }
}
