package dev.jconv.nn;

import dev.jconv.storage.DType;
import dev.jconv.storage.Shape;
import dev.jconv.tensor.Tensor;

/**
 * A 1-D convolution layer, like {@code nn.Conv1d}: input (N, C, L) or unbatched (C, L), weight
 * (out, in/groups, k), PyTorch's default initialisation from the global generator.
 */
public class Conv1d extends Module {
    final int outChannels;
    final Conv1dOptions options;
    int inChannels;
    final Parameter weight;
    final Parameter bias;

    public Conv1d(int inChannels, int outChannels, int kernelSize) {
        this(inChannels, outChannels, Conv1dOptions.kernelSize(kernelSize));
    }

    public Conv1d(int inChannels, int outChannels, Conv1dOptions options) {
        this(inChannels, outChannels, options, false);
        initialize(DType.FLOAT32);
    }

    Conv1d(int inChannels, int outChannels, Conv1dOptions options, boolean lazy) {
        int groups = options.asConv2d().groups();
        if (outChannels <= 0 || outChannels % groups != 0 || (!lazy && (inChannels <= 0 || inChannels % groups != 0))) {
            throw new IllegalArgumentException("Conv1d needs positive channel counts divisible by groups, got in_channels="
                    + inChannels + ", out_channels=" + outChannels + ", groups=" + groups);
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.options = options;
        weight = registerParameter("weight", Parameter.uninitialized());
        bias = registerParameter("bias", options.asConv2d().bias() ? Parameter.uninitialized() : null);
    }

    final void initialize(DType dtype) {
        Conv2dOptions o = options.asConv2d();
        if (inChannels % o.groups() != 0) {
            throw new IllegalArgumentException("in_channels must be divisible by groups (in_channels=" + inChannels
                    + ", groups=" + o.groups() + ")");
        }
        int fanIn = inChannels / o.groups() * o.kernelW();
        Init.resetLayer(weight, Shape.of(outChannels, inChannels / o.groups(), o.kernelW()), bias, outChannels, fanIn,
                dtype);
    }

    public Parameter weight() {
        return weight;
    }

    public Parameter bias() {
        return bias;
    }

    @Override
    public Tensor forward(Tensor input) {
        return Functional.conv1d(input, weight, bias, options);
    }

    @Override
    protected String name() {
        return "Conv1d";
    }

    @Override
    protected String extraRepr() {
        return inChannels + ", " + outChannels + ", " + options.describe();
    }
}
