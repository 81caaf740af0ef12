package dev.jconv.nn;

import dev.jconv.tensor.Tensor;

/** {@code 1 / (1 + exp(-x))} elementwise, like {@code nn.Sigmoid}. */
public class Sigmoid extends Module {
    @Override
    public Tensor forward(Tensor input) {
        return input.sigmoid();
    }
}
