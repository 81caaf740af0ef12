package dev.jconv.data;

import dev.jconv.tensor.Tensor;

/**
 * One labelled example: an image tensor (C, H, W), float32, and its class as a 0-d int64 tensor.
 *
 * @param image the image, (C, H, W) float32
 * @param label the class index, a 0-d int64 tensor
 */
public record Example(Tensor image, Tensor label) {
}
