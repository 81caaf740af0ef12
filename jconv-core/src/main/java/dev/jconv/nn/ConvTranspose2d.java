package dev.jconv.nn;

import dev.jconv.storage.DType;
import dev.jconv.storage.Shape;
import dev.jconv.tensor.Tensor;

/**
 * A transposed 2-D convolution, like {@code nn.ConvTranspose2d}: weight (in, out/groups, kh, kw), output
 * height {@code (H - 1)·stride - 2·padding + dilation·(kh - 1) + outputPadding + 1}. Only zero padding
 * with explicit sizes, as in PyTorch.
 */
public class ConvTranspose2d extends Module {
    final int outChannels;
    final Conv2dOptions options;
    final int[] outputPadding;
    int inChannels;
    final Parameter weight;
    final Parameter bias;

    public ConvTranspose2d(int inChannels, int outChannels, int kernelSize) {
        this(inChannels, outChannels, Conv2dOptions.kernelSize(kernelSize), 0, 0);
    }

    public ConvTranspose2d(int inChannels, int outChannels, Conv2dOptions options) {
        this(inChannels, outChannels, options, 0, 0);
    }

    /** With {@code output_padding}: extra rows/columns on one side of the output, below stride or dilation. */
    public ConvTranspose2d(int inChannels, int outChannels, Conv2dOptions options, int outputPaddingH,
                           int outputPaddingW) {
        this(inChannels, outChannels, options, new int[] {outputPaddingH, outputPaddingW}, false);
        initialize(DType.FLOAT32);
    }

    ConvTranspose2d(int inChannels, int outChannels, Conv2dOptions options, int[] outputPadding, boolean lazy) {
        if (options.paddingMode() != null || options.fill() != dev.jconv.tensor.Padding.Mode.CONSTANT) {
            throw new IllegalArgumentException("Only \"zeros\" padding mode with explicit padding sizes is supported "
                    + "for ConvTranspose2d");
        }
        for (int i = 0; i < 2; i++) {
            int s = i == 0 ? options.strideH() : options.strideW();
            int d = i == 0 ? options.dilationH() : options.dilationW();
            if (outputPadding[i] < 0 || (outputPadding[i] >= s && outputPadding[i] >= d)) {
                throw new IllegalArgumentException("output padding must be smaller than either stride or dilation, "
                        + "got output_padding=(" + outputPadding[0] + ", " + outputPadding[1] + ")");
            }
        }
        if (outChannels <= 0 || outChannels % options.groups() != 0) {
            throw new IllegalArgumentException("out_channels must be positive and divisible by groups, got out_channels="
                    + outChannels + ", groups=" + options.groups());
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.options = options;
        this.outputPadding = outputPadding.clone();
        weight = registerParameter("weight", Parameter.uninitialized());
        bias = registerParameter("bias", options.bias() ? Parameter.uninitialized() : null);
    }

    /** PyTorch's init for transposed convs: fan-in from weight dimension 1 (out/groups) times the kernel area. */
    final void initialize(DType dtype) {
        if (inChannels <= 0 || inChannels % options.groups() != 0) {
            throw new IllegalArgumentException("in_channels must be positive and divisible by groups, got in_channels="
                    + inChannels + ", groups=" + options.groups());
        }
        int fanIn = outChannels / options.groups() * options.kernelH() * options.kernelW();
        Init.resetLayer(weight, Shape.of(inChannels, outChannels / options.groups(), options.kernelH(),
                options.kernelW()), bias, outChannels, fanIn, dtype);
    }

    public Parameter weight() {
        return weight;
    }

    public Parameter bias() {
        return bias;
    }

    @Override
    public Tensor forward(Tensor input) {
        return Functional.convTranspose2d(input, weight, bias, new int[] {options.strideH(), options.strideW()},
                new int[] {options.padH(), options.padW()}, outputPadding, options.groups(),
                new int[] {options.dilationH(), options.dilationW()});
    }

    @Override
    protected String name() {
        return "ConvTranspose2d";
    }

    @Override
    protected String extraRepr() {
        String base = options.describe();
        if (outputPadding[0] != 0 || outputPadding[1] != 0) {
            String op = ", output_padding=(" + outputPadding[0] + ", " + outputPadding[1] + ")";
            int at = base.indexOf(", dilation=");
            if (at < 0) {
                at = base.indexOf(", groups=");
            }
            if (at < 0) {
                at = base.indexOf(", bias=");
            }
            base = at < 0 ? base + op : base.substring(0, at) + op + base.substring(at);
        }
        return inChannels + ", " + outChannels + ", " + base;
    }
}
