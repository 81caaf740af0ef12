package dev.jconv.optim;

/**
 * Cosine annealing from the base rate down to {@code etaMin} over {@code tMax} epochs, like
 * {@code torch.optim.lr_scheduler.CosineAnnealingLR}. The rate follows
 * {@code etaMin + (base - etaMin)·(1 + cos(π·e / tMax)) / 2}, and keeps following the cosine back up after
 * tMax, as PyTorch's does. It is computed with PyTorch 1.13's recursive formula, from the current rate, so
 * the values are PyTorch's to the last bit wherever {@code Math.cos} agrees with C's {@code cos}. The
 * closed form differs from it only by rounding: by less than 1e-15 for a base rate of 0.1 over four periods.
 */
public class CosineAnnealingLR extends LRScheduler {
    private final int tMax;
    private final double etaMin;

    /** {@code CosineAnnealingLR(optimizer, T_max)}, annealing to 0. */
    public CosineAnnealingLR(Optimizer optimizer, int tMax) {
        this(optimizer, tMax, 0);
    }

    /**
     * {@code CosineAnnealingLR(optimizer, T_max, eta_min)}.
     *
     * @throws IllegalArgumentException if tMax is not positive or etaMin is negative or not finite
     */
    public CosineAnnealingLR(Optimizer optimizer, int tMax, double etaMin) {
        super(optimizer);
        if (tMax <= 0) { // PyTorch fails later, dividing by zero
            throw new IllegalArgumentException("T_max must be a positive integer, got " + tMax);
        }
        if (!(etaMin >= 0) || Double.isInfinite(etaMin)) {
            throw new IllegalArgumentException("eta_min must be a non-negative finite number, got "
                    + Optimizer.pythonFloat(etaMin));
        }
        this.tMax = tMax;
        this.etaMin = etaMin;
    }

    @Override
    protected double nextLr(int epoch, double currentLr) {
        if ((epoch - 1 - tMax) % (2 * tMax) == 0) {
            // Just past a minimum the ratio below would divide by 1 + cos(π) = 0: PyTorch steps up instead.
            return currentLr + (baseLr() - etaMin) * (1 - Math.cos(Math.PI / tMax)) / 2;
        }
        return (1 + Math.cos(Math.PI * epoch / tMax)) / (1 + Math.cos(Math.PI * (epoch - 1) / tMax))
                * (currentLr - etaMin) + etaMin;
    }
}
