package dev.jconv.models;

import static dev.jconv.models.Layers.conv;
import static dev.jconv.models.Layers.maxPool;

import dev.jconv.nn.Dropout;
import dev.jconv.nn.Flatten;
import dev.jconv.nn.LazyLinear;
import dev.jconv.nn.ReLU;
import dev.jconv.nn.Sequential;

/**
 * AlexNet as D2L sizes it for 224×224 inputs: five convolutions (11×11 stride 4, then 5×5 and three 3×3)
 * with three max poolings, then two 4096-wide dropout-regularised dense layers and the classifier.
 */
public final class AlexNet {
    private AlexNet() {
    }

    /** AlexNet for 10 classes. */
    public static Sequential create() {
        return create(10);
    }

    /** AlexNet for {@code numClasses} classes; input channels are taken from the first input. */
    public static Sequential create(int numClasses) {
        return new Sequential(
                conv(96, 11, 4, 1), new ReLU(), maxPool(3, 2, 0),
                conv(256, 5, 2), new ReLU(), maxPool(3, 2, 0),
                conv(384, 3, 1), new ReLU(),
                conv(384, 3, 1), new ReLU(),
                conv(256, 3, 1), new ReLU(),
                maxPool(3, 2, 0), new Flatten(),
                new LazyLinear(4096), new ReLU(), new Dropout(0.5),
                new LazyLinear(4096), new ReLU(), new Dropout(0.5),
                new LazyLinear(numClasses));
    }
}
