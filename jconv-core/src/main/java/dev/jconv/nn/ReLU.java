package dev.jconv.nn;

import dev.jconv.tensor.Tensor;

/**
 * {@code max(x, 0)} elementwise, like {@code nn.ReLU}; {@code new ReLU(true)} is {@code nn.ReLU(inplace=True)}:
 * it writes over its input (an op's output nothing else shares, see {@link Tensor#relu_()}) instead of
 * allocating.
 */
public class ReLU extends Module {
    private final boolean inplace;

    /** An out-of-place ReLU. */
    public ReLU() {
        this(false);
    }

    /** @param inplace whether to write the result over the input */
    public ReLU(boolean inplace) {
        this.inplace = inplace;
    }

    @Override
    public Tensor forward(Tensor input) {
        return inplace ? input.relu_() : input.relu();
    }

    @Override
    protected String extraRepr() {
        return inplace ? "inplace=True" : "";
    }
}
