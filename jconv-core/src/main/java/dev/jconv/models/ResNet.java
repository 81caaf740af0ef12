package dev.jconv.models;

import static dev.jconv.models.Layers.conv;
import static dev.jconv.models.Layers.maxPool;

import dev.jconv.nn.AdaptiveAvgPool2d;
import dev.jconv.nn.Flatten;
import dev.jconv.nn.LazyBatchNorm2d;
import dev.jconv.nn.LazyLinear;
import dev.jconv.nn.ReLU;
import dev.jconv.nn.Sequential;

/**
 * ResNet as D2L builds it: GoogLeNet's stem with batch normalisation, then one module of {@link Residual}
 * blocks per stage ({@code b2}, {@code b3}, …; every stage after the first starts by halving the resolution
 * and changing the channels), then global average pooling and a dense classifier ({@code last}).
 */
public final class ResNet {
    private static final int[][] RESNET18 = {{2, 64}, {2, 128}, {2, 256}, {2, 512}};

    private ResNet() {
    }

    /** A 7×7 stride-2 convolution, batch norm, ReLU and a stride-2 max pooling. */
    public static Sequential stem() {
        return new Sequential(conv(64, 7, 2, 3), new LazyBatchNorm2d(), new ReLU(), maxPool(3, 2, 1));
    }

    /** {@code numResiduals} blocks of {@code numChannels}; unless {@code firstStage}, the first one halves H and W. */
    public static Sequential stage(int numResiduals, int numChannels, boolean firstStage) {
        Sequential blocks = new Sequential();
        for (int j = 0; j < numResiduals; j++) {
            blocks.add(j == 0 && !firstStage ? new Residual(numChannels, true, 2) : new Residual(numChannels));
        }
        return blocks;
    }

    /** A ResNet whose {@code arch} holds (number of residual blocks, channels) per stage. */
    public static Sequential create(int[][] arch, int numClasses) {
        Sequential net = new Sequential(stem());
        for (int i = 0; i < arch.length; i++) {
            net.add("b" + (i + 2), stage(arch[i][0], arch[i][1], i == 0));
        }
        return net.add("last", new Sequential(new AdaptiveAvgPool2d(1, 1), new Flatten(), new LazyLinear(numClasses)));
    }

    /** ResNet-18 (four stages of two blocks, 64 to 512 channels) for 10 classes. */
    public static Sequential resnet18() {
        return resnet18(10);
    }

    /** ResNet-18 for {@code numClasses} classes. */
    public static Sequential resnet18(int numClasses) {
        return create(RESNET18, numClasses);
    }
}
