package dev.jconv.nn;

import dev.jconv.tensor.Tensor;

/**
 * A {@link BatchNorm2d} whose channel count is taken from dimension 1 of its first input, like
 * {@code nn.LazyBatchNorm2d}. Its parameters and buffers start as ones and zeros at that call (nothing is
 * drawn from the generator); from then on it is an ordinary {@code BatchNorm2d} and prints as one.
 */
public class LazyBatchNorm2d extends BatchNorm2d {

    /** {@code nn.LazyBatchNorm2d()}: eps 1e-5, momentum 0.1. */
    public LazyBatchNorm2d() {
        this(1e-5, 0.1);
    }

    public LazyBatchNorm2d(double eps, double momentum) {
        super(eps, momentum);
    }

    @Override
    public Tensor forward(Tensor input) {
        if (!isInitialized()) {
            checkInputDim(input);
            materialize(input.size(1));
        }
        return super.forward(input);
    }

    @Override
    protected String name() {
        return isInitialized() ? "BatchNorm2d" : "LazyBatchNorm2d";
    }
}
