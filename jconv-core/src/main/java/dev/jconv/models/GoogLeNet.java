package dev.jconv.models;

import static dev.jconv.models.Layers.conv;
import static dev.jconv.models.Layers.maxPool;

import dev.jconv.nn.AdaptiveAvgPool2d;
import dev.jconv.nn.Flatten;
import dev.jconv.nn.LazyLinear;
import dev.jconv.nn.ReLU;
import dev.jconv.nn.Sequential;

/**
 * GoogLeNet (Inception v1) as D2L builds it: a convolutional stem (modules b1, b2), nine {@link Inception}
 * blocks in three groups separated by max pooling (b3, b4, b5, the last ending in global average pooling),
 * then a dense classifier.
 */
public final class GoogLeNet {
    private GoogLeNet() {
    }

    /** A 7×7 stride-2 convolution and a stride-2 max pooling: a quarter of the resolution. */
    public static Sequential b1() {
        return new Sequential(conv(64, 7, 2, 3), new ReLU(), maxPool(3, 2, 1));
    }

    /** A 1×1 then a 3×3 convolution (192 channels) and a stride-2 max pooling. */
    public static Sequential b2() {
        return new Sequential(conv(64, 1, 0), new ReLU(), conv(192, 3, 1), new ReLU(), maxPool(3, 2, 1));
    }

    /** Two Inception blocks (256 then 480 channels) and a stride-2 max pooling. */
    public static Sequential b3() {
        return new Sequential(
                new Inception(64, new int[] {96, 128}, new int[] {16, 32}, 32),
                new Inception(128, new int[] {128, 192}, new int[] {32, 96}, 64),
                maxPool(3, 2, 1));
    }

    /** Five Inception blocks (ending with 832 channels) and a stride-2 max pooling. */
    public static Sequential b4() {
        return new Sequential(
                new Inception(192, new int[] {96, 208}, new int[] {16, 48}, 64),
                new Inception(160, new int[] {112, 224}, new int[] {24, 64}, 64),
                new Inception(128, new int[] {128, 256}, new int[] {24, 64}, 64),
                new Inception(112, new int[] {144, 288}, new int[] {32, 64}, 64),
                new Inception(256, new int[] {160, 320}, new int[] {32, 128}, 128),
                maxPool(3, 2, 1));
    }

    /** Two Inception blocks (1024 channels), global average pooling and flattening. */
    public static Sequential b5() {
        return new Sequential(
                new Inception(256, new int[] {160, 320}, new int[] {32, 128}, 128),
                new Inception(384, new int[] {192, 384}, new int[] {48, 128}, 128),
                new AdaptiveAvgPool2d(1, 1), new Flatten());
    }

    /** GoogLeNet for 10 classes. */
    public static Sequential create() {
        return create(10);
    }

    /** GoogLeNet for {@code numClasses} classes. */
    public static Sequential create(int numClasses) {
        return new Sequential(b1(), b2(), b3(), b4(), b5(), new LazyLinear(numClasses));
    }
}
