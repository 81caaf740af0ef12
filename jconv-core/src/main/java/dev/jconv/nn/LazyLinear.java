package dev.jconv.nn;

import dev.jconv.tensor.Tensor;

/** A {@link Linear} whose input size is taken from its first input, like {@code nn.LazyLinear}. */
public class LazyLinear extends Linear {
    public LazyLinear(int outFeatures) {
        this(outFeatures, true);
    }

    public LazyLinear(int outFeatures, boolean bias) {
        super(0, outFeatures, bias);
    }

    @Override
    public Tensor forward(Tensor input) {
        if (!isInitialized()) {
            if (input.dim() == 0) {
                throw new IllegalArgumentException("LazyLinear needs an input with at least one dimension, got a scalar");
            }
            inFeatures = input.size(-1);
            initialize(input.dtype());
        }
        return super.forward(input);
    }

    @Override
    protected String name() {
        return isInitialized() ? "Linear" : "LazyLinear";
    }
}
