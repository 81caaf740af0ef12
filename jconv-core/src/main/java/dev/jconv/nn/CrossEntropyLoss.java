package dev.jconv.nn;

import dev.jconv.tensor.Tensor;

/**
 * Cross-entropy of logits against class indices (or class probabilities), like {@code nn.CrossEntropyLoss}:
 * {@code log_softmax} over the class dimension followed by the negative log-likelihood, optionally with
 * label smoothing. See {@link Functional#crossEntropy(Tensor, Tensor, Reduction, long, double)} for the
 * shapes and the exact formula.
 */
public class CrossEntropyLoss {
    /** PyTorch's default {@code ignore_index}: targets equal to it do not count. */
    public static final long DEFAULT_IGNORE_INDEX = -100;

    private final Reduction reduction;
    private final long ignoreIndex;
    private final double labelSmoothing;

    /** The mean loss, no label smoothing: {@code nn.CrossEntropyLoss()}. */
    public CrossEntropyLoss() {
        this(Reduction.MEAN, DEFAULT_IGNORE_INDEX, 0);
    }

    /** {@code nn.CrossEntropyLoss(reduction=…)}. */
    public CrossEntropyLoss(Reduction reduction) {
        this(reduction, DEFAULT_IGNORE_INDEX, 0);
    }

    /** {@code nn.CrossEntropyLoss(reduction=…, label_smoothing=…)}. */
    public CrossEntropyLoss(Reduction reduction, double labelSmoothing) {
        this(reduction, DEFAULT_IGNORE_INDEX, labelSmoothing);
    }

    /**
     * {@code nn.CrossEntropyLoss(ignore_index=…, reduction=…, label_smoothing=…)}.
     *
     * @throws IllegalArgumentException if the reduction is null or the smoothing is outside [0, 1]
     */
    public CrossEntropyLoss(Reduction reduction, long ignoreIndex, double labelSmoothing) {
        if (reduction == null) {
            throw new IllegalArgumentException("reduction must be MEAN, SUM or NONE, got null");
        }
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
            throw new IllegalArgumentException("label_smoothing must be between 0.0 and 1.0. Got: "
                    + BatchNorm2d.pythonFloat(labelSmoothing));
        }
        this.reduction = reduction;
        this.ignoreIndex = ignoreIndex;
        this.labelSmoothing = labelSmoothing;
    }

    /** The loss of logits {@code input} (N, C) against {@code target}: int64 indices (N) or probabilities (N, C). */
    public Tensor forward(Tensor input, Tensor target) {
        return Functional.crossEntropy(input, target, reduction, ignoreIndex, labelSmoothing);
    }

    /** How the per-target losses are combined. */
    public Reduction reduction() {
        return reduction;
    }

    /** The target value that does not count towards the loss. */
    public long ignoreIndex() {
        return ignoreIndex;
    }

    /** The label smoothing ε in [0, 1]. */
    public double labelSmoothing() {
        return labelSmoothing;
    }

    @Override
    public String toString() {
        return "CrossEntropyLoss()";
    }
}
