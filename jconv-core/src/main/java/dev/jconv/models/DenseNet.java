package dev.jconv.models;

import static dev.jconv.models.Layers.conv;

import dev.jconv.nn.AdaptiveAvgPool2d;
import dev.jconv.nn.AvgPool2d;
import dev.jconv.nn.Flatten;
import dev.jconv.nn.LazyBatchNorm2d;
import dev.jconv.nn.LazyLinear;
import dev.jconv.nn.Pool2dOptions;
import dev.jconv.nn.ReLU;
import dev.jconv.nn.Sequential;

/**
 * DenseNet as D2L builds it: ResNet's stem, then {@link DenseBlock}s ({@code dense_blk1}, …) separated by
 * transition blocks ({@code tran_blk1}, …) that halve the channels and the resolution, then batch norm,
 * global average pooling and a dense classifier ({@code last}).
 */
public final class DenseNet {
    private DenseNet() {
    }

    /** Batch norm, ReLU, then a padded 3×3 convolution to {@code numChannels}: the pre-activation order. */
    public static Sequential convBlock(int numChannels) {
        return new Sequential(new LazyBatchNorm2d(), new ReLU(), conv(numChannels, 3, 1));
    }

    /** Batch norm, ReLU, a 1×1 convolution to {@code numChannels} and 2×2 average pooling. */
    public static Sequential transitionBlock(int numChannels) {
        return new Sequential(new LazyBatchNorm2d(), new ReLU(), conv(numChannels, 1, 0),
                new AvgPool2d(Pool2dOptions.kernelSize(2).stride(2)));
    }

    /** D2L's default DenseNet: 64 stem channels, growth rate 32, four blocks of 4 convolutions, 10 classes. */
    public static Sequential create() {
        return create(64, 32, new int[] {4, 4, 4, 4}, 10);
    }

    /**
     * @param numChannels channels of the stem
     * @param growthRate channels each convolution of a dense block adds
     * @param arch number of convolutions of each dense block
     */
    public static Sequential create(int numChannels, int growthRate, int[] arch, int numClasses) {
        Sequential net = new Sequential(ResNet.stem());
        int channels = numChannels;
        for (int i = 0; i < arch.length; i++) {
            net.add("dense_blk" + (i + 1), new DenseBlock(arch[i], growthRate));
            channels += arch[i] * growthRate;
            if (i != arch.length - 1) {
                channels /= 2;
                net.add("tran_blk" + (i + 1), transitionBlock(channels));
            }
        }
        return net.add("last", new Sequential(new LazyBatchNorm2d(), new ReLU(), new AdaptiveAvgPool2d(1, 1),
                new Flatten(), new LazyLinear(numClasses)));
    }
}
