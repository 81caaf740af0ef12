package dev.jconv.nn;

import dev.jconv.random.Generator;
import dev.jconv.storage.Shape;
import dev.jconv.tensor.Tensor;

/**
 * Zeroes each element with probability {@code p} in training and scales the rest by {@code 1/(1-p)}, like
 * {@code nn.Dropout}; the identity in evaluation mode. The mask comes from the global generator.
 */
public class Dropout extends Module {
    private final double p;

    public Dropout() {
        this(0.5);
    }

    public Dropout(double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("dropout probability has to be between 0 and 1, but got " + p);
        }
        this.p = p;
    }

    @Override
    public Tensor forward(Tensor input) {
        if (!isTraining() || p == 0) {
            return input;
        }
        if (p == 1) {
            return input.mul(0);
        }
        Tensor keep = Tensor.rand(Shape.of(input.shape().toArray()), input.dtype(), Generator.defaultGenerator())
                .ge(Tensor.scalar(p, input.dtype())).to(input.dtype());
        return input.mul(keep).div(1 - p);
    }

    @Override
    protected String extraRepr() {
        return "p=" + p + ", inplace=False";
    }
}
