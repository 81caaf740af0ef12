package dev.jconv.models;

import static dev.jconv.models.Layers.conv;
import static dev.jconv.models.Layers.maxPool;

import dev.jconv.nn.AdaptiveAvgPool2d;
import dev.jconv.nn.Dropout;
import dev.jconv.nn.Flatten;
import dev.jconv.nn.ReLU;
import dev.jconv.nn.Sequential;

/**
 * Network in Network: each block is a convolution followed by two 1×1 convolutions (a small per-pixel MLP);
 * no dense layers at all, the last block has one channel per class and a global average pooling ends it.
 */
public final class NiN {
    private NiN() {
    }

    /** A convolution then two 1×1 convolutions, all with {@code outChannels} and ReLU. */
    public static Sequential ninBlock(int outChannels, int kernelSize, int stride, int padding) {
        return new Sequential(
                conv(outChannels, kernelSize, stride, padding), new ReLU(),
                conv(outChannels, 1, 0), new ReLU(),
                conv(outChannels, 1, 0), new ReLU());
    }

    /** NiN for 10 classes. */
    public static Sequential create() {
        return create(10);
    }

    /** NiN for {@code numClasses} classes. */
    public static Sequential create(int numClasses) {
        return new Sequential(
                ninBlock(96, 11, 4, 0), maxPool(3, 2, 0),
                ninBlock(256, 5, 1, 2), maxPool(3, 2, 0),
                ninBlock(384, 3, 1, 1), maxPool(3, 2, 0),
                new Dropout(0.5),
                ninBlock(numClasses, 3, 1, 1),
                new AdaptiveAvgPool2d(1, 1),
                new Flatten());
    }
}
