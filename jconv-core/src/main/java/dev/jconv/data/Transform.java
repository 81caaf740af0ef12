package dev.jconv.data;

import dev.jconv.tensor.Tensor;
import java.util.Objects;

/**
 * Changes one image before it is batched (like a torchvision transform). A {@link DataLoader} runs
 * transforms on a background thread, so they must not keep state between calls. {@link Transforms} has the
 * common ones.
 */
@FunctionalInterface
public interface Transform {
    /** The transformed image; {@code image} (C, H, W) must not be changed. */
    Tensor apply(Tensor image);

    /** This transform, then {@code next} (like {@code transforms.Compose([this, next])}). */
    default Transform andThen(Transform next) {
        Objects.requireNonNull(next, "next");
        return image -> next.apply(apply(image));
    }
}
