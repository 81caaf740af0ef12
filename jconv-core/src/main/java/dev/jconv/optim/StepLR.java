package dev.jconv.optim;

/**
 * Multiplies the learning rate by {@code gamma} every {@code stepSize} epochs, like
 * {@code torch.optim.lr_scheduler.StepLR}: the rate at epoch e is {@code base·gamma^⌊e / stepSize⌋},
 * computed as PyTorch does, by one multiplication at each multiple of stepSize.
 */
public class StepLR extends LRScheduler {
    private final int stepSize;
    private final double gamma;

    /** {@code StepLR(optimizer, step_size)} with PyTorch's default gamma 0.1. */
    public StepLR(Optimizer optimizer, int stepSize) {
        this(optimizer, stepSize, 0.1);
    }

    /**
     * {@code StepLR(optimizer, step_size, gamma)}.
     *
     * @throws IllegalArgumentException if stepSize is not positive or gamma is negative or not finite
     */
    public StepLR(Optimizer optimizer, int stepSize, double gamma) {
        super(optimizer);
        if (stepSize <= 0) { // PyTorch fails later, dividing by zero
            throw new IllegalArgumentException("step_size must be a positive integer, got " + stepSize);
        }
        if (!(gamma >= 0) || Double.isInfinite(gamma)) {
            throw new IllegalArgumentException("gamma must be a non-negative finite number, got "
                    + Optimizer.pythonFloat(gamma));
        }
        this.stepSize = stepSize;
        this.gamma = gamma;
    }

    @Override
    protected double nextLr(int epoch, double currentLr) {
        return epoch % stepSize == 0 ? currentLr * gamma : currentLr;
    }
}
