package dev.jconv.optim;

import dev.jconv.nn.Parameter;
import dev.jconv.tensor.Tensor;
import java.util.List;

/** Plain stochastic gradient descent {@code p -= lr · grad}, like {@code torch.optim.SGD(params, lr)}. */
public class SGD {
    private final List<Parameter> parameters;
    private final double lr;

    public SGD(List<Parameter> parameters, double lr) {
        if (!(lr >= 0)) {
            throw new IllegalArgumentException("Invalid learning rate: " + lr);
        }
        if (parameters.isEmpty()) {
            throw new IllegalArgumentException("optimizer got an empty parameter list");
        }
        this.parameters = List.copyOf(parameters);
        this.lr = lr;
    }

    /** Updates every parameter that has a gradient. */
    public void step() {
        try (var ignored = Tensor.noGrad()) {
            for (Parameter p : parameters) {
                if (p.grad() != null) {
                    p.data().sub_(p.grad().mul(lr));
                }
            }
        }
    }

    /** Clears the gradients of all parameters. */
    public void zeroGrad() {
        for (Parameter p : parameters) {
            p.setGrad(null);
        }
    }
}
