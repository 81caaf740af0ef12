package dev.jconv.nn;

/** How a loss combines its per-element values, as PyTorch's {@code reduction} argument. */
public enum Reduction {
    MEAN, SUM, NONE
}
