package dev.jconv.nn;

import dev.jconv.tensor.Tensor;

/** Mean squared error, like {@code nn.MSELoss}; {@link Reduction#SUM} adds instead of averaging. */
public class MSELoss {
    private final Reduction reduction;

    public MSELoss() {
        this(Reduction.MEAN);
    }

    public MSELoss(Reduction reduction) {
        this.reduction = reduction;
    }

    /** The loss of {@code input} against {@code target} (same shapes). */
    public Tensor forward(Tensor input, Tensor target) {
        return Functional.mseLoss(input, target, reduction);
    }

    @Override
    public String toString() {
        return "MSELoss()";
    }
}
