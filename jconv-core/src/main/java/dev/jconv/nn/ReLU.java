package dev.jconv.nn;

import dev.jconv.tensor.Tensor;

/** {@code max(x, 0)} elementwise, like {@code nn.ReLU}. */
public class ReLU extends Module {
    @Override
    public Tensor forward(Tensor input) {
        return input.relu();
    }
}
