package dev.jconv.models;

import static dev.jconv.models.Layers.conv;

import dev.jconv.nn.Dropout;
import dev.jconv.nn.Flatten;
import dev.jconv.nn.LazyLinear;
import dev.jconv.nn.MaxPool2d;
import dev.jconv.nn.Pool2dOptions;
import dev.jconv.nn.ReLU;
import dev.jconv.nn.Sequential;

/**
 * VGG: stacks of 3×3 convolutions, each stack ending in a 2×2 max pooling that halves the resolution, then
 * AlexNet's dense head. An architecture is a list of (number of convolutions, output channels) pairs.
 */
public final class VGG {
    /** VGG-11: 8 convolutions in 5 blocks, 64 to 512 channels. */
    private static final int[][] VGG11 = {{1, 64}, {1, 128}, {2, 256}, {2, 512}, {2, 512}};
    /** VGG-11 with a quarter of the channels, small enough to train on Fashion-MNIST on a CPU. */
    private static final int[][] NARROW = {{1, 16}, {1, 32}, {2, 64}, {2, 128}, {2, 128}};

    private VGG() {
    }

    /** {@code numConvs} padded 3×3 convolutions with ReLU, all with {@code outChannels}, then 2×2 max pooling. */
    public static Sequential vggBlock(int numConvs, int outChannels) {
        if (numConvs < 1) {
            throw new IllegalArgumentException("a VGG block needs at least one convolution, got " + numConvs);
        }
        Sequential block = new Sequential();
        for (int i = 0; i < numConvs; i++) {
            block.add(conv(outChannels, 3, 1)).add(new ReLU());
        }
        return block.add(new MaxPool2d(Pool2dOptions.kernelSize(2).stride(2)));
    }

    /** A VGG network for {@code numClasses} classes; {@code arch} holds (convolutions, channels) per block. */
    public static Sequential create(int[][] arch, int numClasses) {
        Sequential net = new Sequential();
        for (int[] block : arch) {
            if (block.length != 2) {
                throw new IllegalArgumentException("each VGG block is (number of convolutions, channels), got "
                        + java.util.Arrays.toString(block));
            }
            net.add(vggBlock(block[0], block[1]));
        }
        return net.add(new Flatten())
                .add(new LazyLinear(4096)).add(new ReLU()).add(new Dropout(0.5))
                .add(new LazyLinear(4096)).add(new ReLU()).add(new Dropout(0.5))
                .add(new LazyLinear(numClasses));
    }

    /** VGG-11 for 10 classes. */
    public static Sequential vgg11() {
        return create(VGG11, 10);
    }

    /** VGG-11 with a quarter of the channels (16 to 128) for 10 classes, small enough to train on a CPU. */
    public static Sequential narrow() {
        return create(NARROW, 10);
    }
}
