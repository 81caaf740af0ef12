package dev.jconv.models;

import dev.jconv.nn.Conv2dOptions;
import dev.jconv.nn.LazyBatchNorm2d;
import dev.jconv.nn.LazyConv2d;
import dev.jconv.nn.Module;
import dev.jconv.tensor.Tensor;

/**
 * ResNet's residual block: two 3×3 convolutions with batch normalisation, whose result is added to the
 * block's input before the last ReLU. When the block changes the channels or (with a stride) the
 * resolution, a 1×1 convolution {@code conv3} reshapes the input to match; otherwise there is no
 * {@code conv3} at all, as PyTorch omits an attribute set to None.
 */
public class Residual extends Module {
    private final LazyConv2d conv1;
    private final LazyConv2d conv2;
    private final LazyConv2d conv3;
    private final LazyBatchNorm2d bn1;
    private final LazyBatchNorm2d bn2;

    /** A block that keeps the shape: {@code numChannels} must be the input's channel count. */
    public Residual(int numChannels) {
        this(numChannels, false, 1);
    }

    /**
     * @param useConv1x1 whether the input passes through a 1×1 convolution before the addition
     * @param strides stride of the first convolution (and of the 1×1 one)
     */
    public Residual(int numChannels, boolean useConv1x1, int strides) {
        conv1 = registerModule("conv1", new LazyConv2d(numChannels,
                Conv2dOptions.kernelSize(3).padding(1).stride(strides)));
        conv2 = registerModule("conv2", new LazyConv2d(numChannels, Conv2dOptions.kernelSize(3).padding(1)));
        conv3 = useConv1x1
                ? registerModule("conv3", new LazyConv2d(numChannels, Conv2dOptions.kernelSize(1).stride(strides)))
                : null;
        bn1 = registerModule("bn1", new LazyBatchNorm2d());
        bn2 = registerModule("bn2", new LazyBatchNorm2d());
    }

    @Override
    public Tensor forward(Tensor x) {
        // The batch norms' outputs are this block's own: the ReLUs and the addition (D2L's Y += X) write over
        // them instead of allocating, as an autograd-recorded in-place op may.
        Tensor y = bn1.forward(conv1.forward(x)).relu_();
        y = bn2.forward(conv2.forward(y));
        Tensor shortcut = conv3 == null ? x : conv3.forward(x);
        return y.add_(shortcut).relu_();
    }
}
