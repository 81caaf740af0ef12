package dev.jconv.nn;

import dev.jconv.storage.DType;
import dev.jconv.storage.Shape;
import dev.jconv.tensor.Tensor;

/**
 * A 2-D convolution layer, like {@code torch.nn.Conv2d}: weight (out, in/groups, kh, kw) and optional bias
 * (out), initialised as PyTorch does (Kaiming-uniform with a = √5) from the global generator, so after
 * {@code manualSeed(s)} the values equal PyTorch's. Accepts (N, C, H, W) and unbatched (C, H, W) input.
 */
public class Conv2d extends Module {
    final int outChannels;
    final Conv2dOptions options;
    int inChannels;
    final Parameter weight;
    final Parameter bias;

    /** {@code nn.Conv2d(in, out, kernelSize)}. */
    public Conv2d(int inChannels, int outChannels, int kernelSize) {
        this(inChannels, outChannels, Conv2dOptions.kernelSize(kernelSize));
    }

    /** {@code nn.Conv2d(in, out, kernel_size=…, stride=…, …)}. */
    public Conv2d(int inChannels, int outChannels, Conv2dOptions options) {
        this(inChannels, outChannels, options, false);
        if (inChannels <= 0) {
            throw new IllegalArgumentException("in_channels must be positive, got " + inChannels);
        }
        initialize(DType.FLOAT32);
    }

    Conv2d(int inChannels, int outChannels, Conv2dOptions options, boolean lazy) {
        if (outChannels <= 0) {
            throw new IllegalArgumentException("out_channels must be positive, got " + outChannels);
        }
        if (outChannels % options.groups() != 0) {
            throw new IllegalArgumentException("out_channels must be divisible by groups (out_channels=" + outChannels
                    + ", groups=" + options.groups() + ")");
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.options = options;
        weight = registerParameter("weight", Parameter.uninitialized());
        bias = registerParameter("bias", options.bias() ? Parameter.uninitialized() : null);
    }

    /** Draws the weight, then the bias, in PyTorch's order and bounds. */
    final void initialize(DType dtype) {
        if (inChannels % options.groups() != 0) {
            throw new IllegalArgumentException("in_channels must be divisible by groups (in_channels=" + inChannels
                    + ", groups=" + options.groups() + ")");
        }
        int fanIn = inChannels / options.groups() * options.kernelH() * options.kernelW();
        Init.resetLayer(weight, Shape.of(outChannels, inChannels / options.groups(), options.kernelH(),
                options.kernelW()), bias, outChannels, fanIn, dtype);
    }

    /** The kernel weights, (out, in/groups, kh, kw). */
    public Parameter weight() {
        return weight;
    }

    /** The bias (out), or null when built with {@code bias(false)}. */
    public Parameter bias() {
        return bias;
    }

    /** The options this layer was built with. */
    public Conv2dOptions options() {
        return options;
    }

    public int inChannels() {
        return inChannels;
    }

    public int outChannels() {
        return outChannels;
    }

    @Override
    public Tensor forward(Tensor input) {
        return Functional.conv2d(input, weight, bias, options);
    }

    @Override
    protected String name() {
        return "Conv2d";
    }

    @Override
    protected String extraRepr() {
        return inChannels + ", " + outChannels + ", " + options.describe();
    }
}
