package dev.jconv.data;

import dev.jconv.tensor.Tensor;

/**
 * A mini-batch, as a PyTorch {@code DataLoader} yields it: images stacked to (N, C, H, W) and labels (N)
 * int64. Images keep the dtype the data set and transforms give them: float32 for {@link FashionMnist} and
 * {@link Transforms}.
 *
 * @param images the images, (N, C, H, W)
 * @param labels the class indices, (N) int64
 */
public record Batch(Tensor images, Tensor labels) {
    /** The number of examples in this batch (the last one may be smaller). */
    public int size() {
        return labels.size(0);
    }
}
