package dev.jconv.models;

import static dev.jconv.models.Layers.conv;

import dev.jconv.nn.AdaptiveAvgPool2d;
import dev.jconv.nn.Flatten;
import dev.jconv.nn.LazyBatchNorm2d;
import dev.jconv.nn.LazyLinear;
import dev.jconv.nn.ReLU;
import dev.jconv.nn.Sequential;
import java.util.List;

/**
 * D2L's AnyNet design space and the RegNetX member it trains: a stem (stride-2 convolution, batch norm,
 * ReLU), stages of {@link ResNeXtBlock}s ({@code stage1}, …), each starting by halving the resolution, and
 * a head (global average pooling, dense classifier).
 */
public final class RegNet {
    private RegNet() {
    }

    /** A stride-2 padded 3×3 convolution to {@code numChannels}, batch norm and ReLU. */
    public static Sequential stem(int numChannels) {
        return new Sequential(conv(numChannels, 3, 2, 1), new LazyBatchNorm2d(), new ReLU());
    }

    /** {@code depth} ResNeXt blocks; the first one halves H and W through a 1×1 shortcut convolution. */
    public static Sequential stage(int depth, int numChannels, int groups, double botMul) {
        Sequential blocks = new Sequential();
        for (int i = 0; i < depth; i++) {
            blocks.add(i == 0 ? new ResNeXtBlock(numChannels, groups, botMul, true, 2)
                    : new ResNeXtBlock(numChannels, groups, botMul));
        }
        return blocks;
    }

    /** Global average pooling, flattening and a dense layer to {@code numClasses}. */
    public static Sequential head(int numClasses) {
        return new Sequential(new AdaptiveAvgPool2d(1, 1), new Flatten(), new LazyLinear(numClasses));
    }

    /** One stage of an AnyNet: depth, output channels, channels per group and bottleneck ratio. */
    public record Stage(int depth, int numChannels, int groups, double botMul) {
    }

    /** An AnyNet: {@code stem(stemChannels)}, one module per stage, then the head. */
    public static Sequential anyNet(int stemChannels, List<Stage> arch, int numClasses) {
        Sequential net = new Sequential(stem(stemChannels));
        for (int i = 0; i < arch.size(); i++) {
            Stage s = arch.get(i);
            net.add("stage" + (i + 1), stage(s.depth(), s.numChannels(), s.groups(), s.botMul()));
        }
        return net.add("head", head(numClasses));
    }

    /** RegNetX-32 as D2L trains it: stem 32, two stages of depth 4 and 6 with 32 and 80 channels, group width 16. */
    public static Sequential regNetX32() {
        return regNetX32(10);
    }

    /** RegNetX-32 for {@code numClasses} classes. */
    public static Sequential regNetX32(int numClasses) {
        return anyNet(32, List.of(new Stage(4, 32, 16, 1), new Stage(6, 80, 16, 1)), numClasses);
    }
}
