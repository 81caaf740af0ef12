package dev.jconv.nn;

import dev.jconv.storage.DType;
import dev.jconv.tensor.Tensor;

/** Evaluation helpers for classifiers. */
public final class Metrics {
    private Metrics() {
    }

    /**
     * The fraction of rows of {@code logits} (N, C) whose largest entry is at the index given by
     * {@code labels} (N, int64), like {@code (logits.argmax(1) == labels).float().mean().item()}. Ties go to
     * the first largest entry, as {@code argmax} does; an empty batch gives NaN.
     *
     * @throws IllegalArgumentException if the shapes do not fit (naming them) or labels are not int64
     */
    public static double accuracy(Tensor logits, Tensor labels) {
        if (logits.dim() != 2 || labels.dim() != 1 || labels.size(0) != logits.size(0)) {
            throw new IllegalArgumentException("accuracy: expected logits of shape (N, C) and labels of shape (N), "
                    + "but got logits " + logits.shape().dimsString() + " and labels " + labels.shape().dimsString());
        }
        if (labels.dtype() != DType.INT64) {
            throw new IllegalArgumentException("accuracy: expected int64 class labels, but got " + labels.dtype());
        }
        int n = logits.size(0);
        if (n == 0) {
            return Double.NaN;
        }
        long[] predicted = logits.argmax(1, false).toLongArray();
        long[] expected = labels.toLongArray();
        int correct = 0;
        for (int i = 0; i < n; i++) {
            if (predicted[i] == expected[i]) {
                correct++;
            }
        }
        return (double) correct / n;
    }
}
