package dev.jconv.optim;

import java.util.Objects;

/**
 * The base of learning-rate schedulers, like PyTorch's {@code _LRScheduler}. Making one records the
 * optimizer's learning rate as the base rate and puts the scheduler at epoch 0 (PyTorch's constructor takes
 * this first step, which leaves the rate unchanged). Each {@link #step()} (called once per epoch, after the
 * optimizer's steps) advances the epoch and sets the optimizer's rate.
 *
 * <p>As in PyTorch, subclasses compute the new rate from the optimizer's current one (their recursive
 * {@code get_lr} form), so rates set by hand in between carry forward as they would in PyTorch.
 */
public abstract class LRScheduler {
    private final Optimizer optimizer;
    private final double baseLr;
    private int lastEpoch;
    private double lastLr;

    /** Takes {@code optimizer}'s current learning rate as the base rate, at epoch 0. */
    protected LRScheduler(Optimizer optimizer) {
        this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
        this.baseLr = optimizer.lr();
        this.lastLr = baseLr;
    }

    /** Advances one epoch and sets the optimizer's learning rate for it. */
    public void step() {
        lastEpoch++;
        double lr = nextLr(lastEpoch, optimizer.lr());
        optimizer.setLr(lr);
        lastLr = lr;
    }

    /** The learning rate for {@code epoch} (at least 1), given the rate the optimizer has now. */
    protected abstract double nextLr(int epoch, double currentLr);

    /** The rate this scheduler set last ({@code get_last_lr()[0]}); the base rate at epoch 0. */
    public double lastLr() {
        return lastLr;
    }

    /** The number of {@link #step()} calls so far ({@code last_epoch}). */
    public int lastEpoch() {
        return lastEpoch;
    }

    /** The optimizer's learning rate when this scheduler was made ({@code base_lrs[0]}). */
    public double baseLr() {
        return baseLr;
    }

    /** The optimizer whose learning rate this scheduler sets. */
    public Optimizer optimizer() {
        return optimizer;
    }
}
