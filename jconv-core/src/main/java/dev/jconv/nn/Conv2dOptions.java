package dev.jconv.nn;

import dev.jconv.tensor.Padding;

/**
 * The optional arguments of a 2-D convolution, with PyTorch's defaults (stride 1, padding 0, dilation 1,
 * groups 1, bias on, zero padding). Immutable; each {@code with}-style method returns a changed copy:
 * <pre>{@code Conv2dOptions.kernelSize(3).padding(1).stride(2)}</pre>
 */
public record Conv2dOptions(int kernelH, int kernelW, int strideH, int strideW, String paddingMode, int padH,
                            int padW, int dilationH, int dilationW, int groups, boolean bias, Padding.Mode fill) {

    /**
     * Checks the arguments. {@code paddingMode} is the string form of padding ({@code "same"},
     * {@code "valid"}, or null for the explicit sizes {@code padH}, {@code padW}); {@code fill} is how
     * padded positions are filled (PyTorch's {@code padding_mode}).
     */
    public Conv2dOptions {
        positive("kernel_size", kernelH, kernelW);
        positive("stride", strideH, strideW);
        positive("dilation", dilationH, dilationW);
        if (padH < 0 || padW < 0) {
            throw new IllegalArgumentException("padding must be non-negative, got (" + padH + ", " + padW + ")");
        }
        if (fill == null) {
            throw new IllegalArgumentException("padding mode must not be null");
        }
        if (groups <= 0) {
            throw new IllegalArgumentException("groups must be a positive integer, got " + groups);
        }
        if (paddingMode != null && !paddingMode.equals("same") && !paddingMode.equals("valid")) {
            throw new IllegalArgumentException("Invalid padding string '" + paddingMode
                    + "', should be one of {'valid', 'same'}");
        }
        if ("same".equals(paddingMode) && (strideH != 1 || strideW != 1)) {
            throw new IllegalArgumentException("padding='same' is not supported for strided convolutions (stride=("
                    + strideH + ", " + strideW + "))");
        }
    }

    private static void positive(String what, int h, int w) {
        if (h <= 0 || w <= 0) {
            throw new IllegalArgumentException(what + " must be positive, got (" + h + ", " + w + ")");
        }
    }

    /** A square kernel of size {@code k}, other arguments at their defaults. */
    public static Conv2dOptions kernelSize(int k) {
        return kernelSize(k, k);
    }

    /** A {@code kh × kw} kernel, other arguments at their defaults. */
    public static Conv2dOptions kernelSize(int kh, int kw) {
        return new Conv2dOptions(kh, kw, 1, 1, null, 0, 0, 1, 1, 1, true, Padding.Mode.CONSTANT);
    }

    public Conv2dOptions stride(int s) {
        return stride(s, s);
    }

    public Conv2dOptions stride(int sh, int sw) {
        return new Conv2dOptions(kernelH, kernelW, sh, sw, paddingMode, padH, padW, dilationH, dilationW, groups, bias, fill);
    }

    public Conv2dOptions padding(int p) {
        return padding(p, p);
    }

    public Conv2dOptions padding(int ph, int pw) {
        return new Conv2dOptions(kernelH, kernelW, strideH, strideW, null, ph, pw, dilationH, dilationW, groups, bias, fill);
    }

    /** {@code "same"} (output as large as the input; stride must be 1) or {@code "valid"} (no padding). */
    public Conv2dOptions padding(String mode) {
        return new Conv2dOptions(kernelH, kernelW, strideH, strideW, mode, 0, 0, dilationH, dilationW, groups, bias, fill);
    }

    public Conv2dOptions dilation(int d) {
        return dilation(d, d);
    }

    public Conv2dOptions dilation(int dh, int dw) {
        return new Conv2dOptions(kernelH, kernelW, strideH, strideW, paddingMode, padH, padW, dh, dw, groups, bias, fill);
    }

    public Conv2dOptions groups(int g) {
        return new Conv2dOptions(kernelH, kernelW, strideH, strideW, paddingMode, padH, padW, dilationH, dilationW, g, bias, fill);
    }

    public Conv2dOptions bias(boolean b) {
        return new Conv2dOptions(kernelH, kernelW, strideH, strideW, paddingMode, padH, padW, dilationH, dilationW, groups, b, fill);
    }

    /**
     * How padded positions are filled, like PyTorch's {@code padding_mode}: {@code CONSTANT} is
     * {@code "zeros"}; {@code REFLECT}, {@code REPLICATE} and {@code CIRCULAR} pad the input first.
     */
    public Conv2dOptions paddingMode(Padding.Mode mode) {
        return new Conv2dOptions(kernelH, kernelW, strideH, strideW, paddingMode, padH, padW, dilationH, dilationW,
                groups, bias, mode);
    }

    /** Per-side padding (top, bottom, left, right), resolving "same" (extra row/column at the end, as PyTorch). */
    public int[] sidePadding() {
        if ("same".equals(paddingMode)) {
            int th = dilationH * (kernelH - 1);
            int tw = dilationW * (kernelW - 1);
            return new int[] {th / 2, th - th / 2, tw / 2, tw - tw / 2};
        }
        if ("valid".equals(paddingMode)) {
            return new int[4];
        }
        return new int[] {padH, padH, padW, padW};
    }

    /** PyTorch's {@code extra_repr} after the channel counts: only non-default arguments, stride always. */
    String describe() {
        StringBuilder sb = new StringBuilder("kernel_size=(" + kernelH + ", " + kernelW + "), stride=(" + strideH + ", "
                + strideW + ")");
        if (paddingMode != null) {
            sb.append(", padding=").append(paddingMode);
        } else if (padH != 0 || padW != 0) {
            sb.append(", padding=(").append(padH).append(", ").append(padW).append(')');
        }
        if (dilationH != 1 || dilationW != 1) {
            sb.append(", dilation=(").append(dilationH).append(", ").append(dilationW).append(')');
        }
        if (groups != 1) {
            sb.append(", groups=").append(groups);
        }
        if (!bias) {
            sb.append(", bias=False");
        }
        if (fill != Padding.Mode.CONSTANT) {
            sb.append(", padding_mode=").append(fill.torchName());
        }
        return sb.toString();
    }
}
