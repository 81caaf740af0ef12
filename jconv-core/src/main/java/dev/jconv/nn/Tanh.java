package dev.jconv.nn;

import dev.jconv.tensor.Tensor;

/** Hyperbolic tangent elementwise, like {@code nn.Tanh}. */
public class Tanh extends Module {
    @Override
    public Tensor forward(Tensor input) {
        return input.tanh();
    }
}
