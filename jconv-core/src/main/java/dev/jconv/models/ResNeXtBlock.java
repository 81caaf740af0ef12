package dev.jconv.models;

import dev.jconv.nn.Conv2dOptions;
import dev.jconv.nn.LazyBatchNorm2d;
import dev.jconv.nn.LazyConv2d;
import dev.jconv.nn.Module;
import dev.jconv.tensor.Tensor;

/**
 * ResNeXt's bottleneck block: a 1×1 convolution down to {@code round(numChannels · botMul)} channels, a
 * grouped 3×3 convolution (groups of {@code groups} channels each), a 1×1 convolution back to
 * {@code numChannels}, each batch-normalised, added to the (optionally 1×1-convolved and normalised) input.
 */
public class ResNeXtBlock extends Module {
    private final LazyConv2d conv1;
    private final LazyConv2d conv2;
    private final LazyConv2d conv3;
    private final LazyBatchNorm2d bn1;
    private final LazyBatchNorm2d bn2;
    private final LazyBatchNorm2d bn3;
    private final LazyConv2d conv4;
    private final LazyBatchNorm2d bn4;

    /** A block that keeps the shape. */
    public ResNeXtBlock(int numChannels, int groups, double botMul) {
        this(numChannels, groups, botMul, false, 1);
    }

    /**
     * @param groups channels per group of the 3×3 convolution (so it has {@code bottleneck / groups} groups)
     * @param botMul bottleneck width as a fraction of {@code numChannels}
     * @param useConv1x1 whether the input passes through a 1×1 convolution and batch norm before the addition
     * @param strides stride of the 3×3 convolution (and of the 1×1 one on the input)
     */
    public ResNeXtBlock(int numChannels, int groups, double botMul, boolean useConv1x1, int strides) {
        // Python's round(), which rounds halves to even
        int bot = (int) Math.rint(numChannels * botMul);
        if (groups <= 0 || bot < groups) {
            throw new IllegalArgumentException("the bottleneck (" + bot + " channels) must hold at least one group of "
                    + groups + " channels");
        }
        conv1 = registerModule("conv1", new LazyConv2d(bot, Conv2dOptions.kernelSize(1)));
        conv2 = registerModule("conv2", new LazyConv2d(bot,
                Conv2dOptions.kernelSize(3).stride(strides).padding(1).groups(bot / groups)));
        conv3 = registerModule("conv3", new LazyConv2d(numChannels, Conv2dOptions.kernelSize(1)));
        bn1 = registerModule("bn1", new LazyBatchNorm2d());
        bn2 = registerModule("bn2", new LazyBatchNorm2d());
        bn3 = registerModule("bn3", new LazyBatchNorm2d());
        if (useConv1x1) {
            conv4 = registerModule("conv4", new LazyConv2d(numChannels, Conv2dOptions.kernelSize(1).stride(strides)));
            bn4 = registerModule("bn4", new LazyBatchNorm2d());
        } else {
            conv4 = null;
            bn4 = null;
        }
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor y = bn1.forward(conv1.forward(x)).relu();
        y = bn2.forward(conv2.forward(y)).relu();
        y = bn3.forward(conv3.forward(y));
        Tensor shortcut = conv4 == null ? x : bn4.forward(conv4.forward(x));
        return y.add(shortcut).relu();
    }
}
