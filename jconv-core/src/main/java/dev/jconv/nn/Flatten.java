package dev.jconv.nn;

import dev.jconv.tensor.Tensor;

/** Flattens all dimensions but the batch one, like {@code nn.Flatten()}. */
public class Flatten extends Module {
    @Override
    public Tensor forward(Tensor input) {
        return input.flatten(1, -1);
    }

    @Override
    protected String extraRepr() {
        return "start_dim=1, end_dim=-1";
    }
}
