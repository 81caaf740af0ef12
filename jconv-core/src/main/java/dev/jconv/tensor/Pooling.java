package dev.jconv.tensor;

import dev.jconv.kernels.Layout;
import dev.jconv.kernels.Pool2dFloat;
import dev.jconv.kernels.Pool2dKernels;
import dev.jconv.storage.DType;
import dev.jconv.storage.Shape;

/**
 * 2-D pooling ops, as PyTorch's {@code max_pool2d}, {@code avg_pool2d}, {@code adaptive_avg_pool2d} and
 * {@code adaptive_max_pool2d}: argument checks with PyTorch's messages, output sizes (ceil mode included),
 * the forward kernels and the backward rules. Inputs are (N, C, H, W) or unbatched (C, H, W); each (H, W)
 * plane is pooled on its own.
 *
 * <p>Size arguments are {@code int[]} of one value (used for both dimensions) or two (height, width), like
 * PyTorch's int-or-tuple arguments; a null or empty stride means "the kernel size".
 */
public final class Pooling {
    private Pooling() {
    }

    /**
     * The result of a pooling asked for its indices: {@code output} and, of the same shape, int64
     * {@code indices} giving the flat position ({@code ih·W + iw}) in its input plane of each chosen element.
     */
    public record WithIndices(Tensor output, Tensor indices) {
    }

    /**
     * Max pooling, {@code F.max_pool2d(input, kernel, stride, padding, dilation, ceil_mode)}. Implicit
     * padding is -inf, so it is never chosen. The gradient goes to the chosen element: the first maximum of
     * its window, or the window's last NaN when it has any (the output is then NaN).
     *
     * @param kernel   (kh, kw), each ≥ 1
     * @param stride   (sh, sw), each ≥ 1; null or empty for the kernel size
     * @param padding  (ph, pw) on each side, each at most half the kernel size
     * @param dilation (dh, dw), each ≥ 1: the spacing of a window's taps
     * @param ceilMode round the output size up instead of down (the last window must still start inside the
     *                 image or its left padding)
     */
    public static Tensor maxPool2d(Tensor input, int[] kernel, int[] stride, int[] padding, int[] dilation,
                                   boolean ceilMode) {
        Pool2dKernels.Geometry g = geometry("max_pool2d", input, kernel, stride, padding, dilation, ceilMode, true);
        return maxPool("MaxPool2DWithIndicesBackward0", input, g, false).output();
    }

    /** {@link #maxPool2d} with {@code return_indices=True}: the output and the index of each maximum. */
    public static WithIndices maxPool2dWithIndices(Tensor input, int[] kernel, int[] stride, int[] padding,
                                                   int[] dilation, boolean ceilMode) {
        Pool2dKernels.Geometry g = geometry("max_pool2d", input, kernel, stride, padding, dilation, ceilMode, true);
        return maxPool("MaxPool2DWithIndicesBackward0", input, g, true);
    }

    /** Max pooling on the input's own dtype; the index tensor is made only when asked for. */
    private static WithIndices maxPool(String name, Tensor input, Pool2dKernels.Geometry g, boolean withIndices) {
        Shape shape = outputShape(input, g.outH(), g.outW());
        int inPlane = g.height() * g.width();
        if (input.dtype() == DType.FLOAT32) {
            Pool2dFloat.MaxResult r = Pool2dFloat.maxForward(g, input.floatValues());
            return indexed(name, input, Tensor.wrap(r.values(), shape), r.indices(), inPlane, withIndices);
        }
        Pool2dKernels.MaxResult r = Pool2dKernels.maxForward(g, input.values());
        return indexed(name, input, wrapRounded(r.values(), shape, input.dtype()), r.indices(), inPlane,
                withIndices);
    }

    /**
     * Average pooling, {@code F.avg_pool2d(input, kernel, stride, padding, ceil_mode, count_include_pad,
     * divisor_override)}. Each window's sum is divided by, in PyTorch's order of precedence:
     * {@code divisorOverride} when not null; with {@code countIncludePad}, the window's size clipped to the
     * padded input (so padding counts but the overhang of ceil mode does not); otherwise the number of
     * input elements in the window. int64 input gives int64 output, divided with truncation as PyTorch does.
     *
     * @param divisorOverride null, or a non-zero divisor used for every window
     */
    public static Tensor avgPool2d(Tensor input, int[] kernel, int[] stride, int[] padding, boolean ceilMode,
                                   boolean countIncludePad, Integer divisorOverride) {
        Pool2dKernels.Geometry g = geometry("avg_pool2d", input, kernel, stride, padding, new int[] {1, 1}, ceilMode,
                false);
        if (divisorOverride != null && divisorOverride == 0) {
            throw new IllegalArgumentException("divisor must be not zero");
        }
        DType dtype = input.dtype();
        Shape shape = outputShape(input, g.outH(), g.outW());
        Tensor result = dtype == DType.FLOAT32
                ? Tensor.wrap(Pool2dFloat.avgForward(g, input.floatValues(), countIncludePad, divisorOverride), shape)
                : wrapRounded(Pool2dKernels.avgForward(g, input.values(), countIncludePad, divisorOverride,
                        dtype == DType.INT64), shape, dtype);
        if (!Op.needed(input)) {
            return result;
        }
        result.setGradFn(new Op(input) {
            private final int savedInput = save(input);

            @Override
            public String name() {
                return "AvgPool2DBackward0";
            }

            @Override
            Tensor[] gradients(Tensor grad) {
                saved(savedInput); // PyTorch keeps the input too: an in-place write to it is an error
                if (dtype == DType.FLOAT32) {
                    return new Tensor[] {Tensor.wrap(Pool2dFloat.avgBackward(g, grad.to(dtype).floatValues(),
                            countIncludePad, divisorOverride), input.shape())};
                }
                double[] gi = Pool2dKernels.avgBackward(g, grad.values(), countIncludePad, divisorOverride);
                return new Tensor[] {wrapRounded(gi, input.shape(), dtype)};
            }
        });
        return result;
    }

    /**
     * Adaptive average pooling to an {@code outH × outW} output: output element (i, j) is the mean of rows
     * floor(i·H/outH) to ceil((i+1)·H/outH) and the like columns, so windows may differ in size and overlap.
     * A 1 × 1 output is the mean over (H, W), which PyTorch records as {@code MeanBackward1}.
     */
    public static Tensor adaptiveAvgPool2d(Tensor input, int outH, int outW) {
        checkAdaptive("adaptive_avg_pool2d", input, outH, outW, 2);
        if (outH == 1 && outW == 1) {
            return input.mean(new int[] {-1, -2}, true);
        }
        int h = input.size(-2);
        int w = input.size(-1);
        int planes = input.numel() / (h * w);
        DType dtype = input.dtype();
        double[] out = Pool2dKernels.adaptiveAvgForward(planes, h, w, outH, outW, input.values());
        Tensor result = wrapRounded(out, outputShape(input, outH, outW), dtype);
        if (!Op.needed(input)) {
            return result;
        }
        result.setGradFn(new Op(input) {
            private final int savedInput = save(input);

            @Override
            public String name() {
                return "AdaptiveAvgPool2DBackward0";
            }

            @Override
            Tensor[] gradients(Tensor grad) {
                saved(savedInput);
                double[] gi = Pool2dKernels.adaptiveAvgBackward(planes, h, w, outH, outW, grad.values());
                return new Tensor[] {wrapRounded(gi, input.shape(), dtype)};
            }
        });
        return result;
    }

    /**
     * Adaptive max pooling to an {@code outH × outW} output, with the windows of {@link #adaptiveAvgPool2d}
     * and the tie and NaN rules of {@link #maxPool2d}.
     */
    public static Tensor adaptiveMaxPool2d(Tensor input, int outH, int outW) {
        return adaptiveMaxPool2dWithIndices(input, outH, outW).output();
    }

    /** {@link #adaptiveMaxPool2d} with {@code return_indices=True}. */
    public static WithIndices adaptiveMaxPool2dWithIndices(Tensor input, int outH, int outW) {
        checkAdaptive("adaptive_max_pool2d", input, outH, outW, 3);
        int h = input.size(-2);
        int w = input.size(-1);
        int planes = input.numel() / (h * w);
        Pool2dKernels.MaxResult r = Pool2dKernels.adaptiveMaxForward(planes, h, w, outH, outW, input.values());
        return indexed("AdaptiveMaxPool2DBackward0", input,
                wrapRounded(r.values(), outputShape(input, outH, outW), input.dtype()), r.indices(), h * w, true);
    }

    /**
     * The pooled size of one dimension, as PyTorch computes it:
     * {@code floor((in + 2·pad - dilation·(kernel-1) - 1 + (ceilMode ? stride-1 : 0)) / stride) + 1}, less one
     * in ceil mode when the last window would start at or past {@code in + pad} (in the right padding).
     * May be zero or negative; the ops reject such sizes.
     */
    public static int outputSize(int in, int kernel, int stride, int pad, int dilation, boolean ceilMode) {
        long span = (long) in + 2L * pad - (long) dilation * (kernel - 1) - 1 + (ceilMode ? stride - 1 : 0);
        long out = Math.floorDiv(span, stride) + 1;
        if (ceilMode && (out - 1) * stride >= (long) in + pad) {
            out--;
        }
        return (int) out;
    }

    // ---- checks ---------------------------------------------------------------------------------------

    private static Pool2dKernels.Geometry geometry(String op, Tensor input, int[] kernel, int[] stride, int[] padding,
                                                   int[] dilation, boolean ceilMode, boolean max) {
        int[] k = pair(kernel, op + ": kernel_size must either be a single int, or a tuple of two ints");
        int[] s = stride == null || stride.length == 0 ? k
                : pair(stride, op + ": stride must either be omitted, a single int, or a tuple of two ints");
        int[] p = pair(padding, op + ": padding must either be a single int, or a tuple of two ints");
        int[] d = pair(dilation, op + ": dilation must either be a single int, or a tuple of two ints");
        if (input.dim() != 3 && input.dim() != 4) {
            throw new IllegalArgumentException("non-empty 3D or 4D (batch mode) tensor expected for input, but got "
                    + "input of size " + input.shape().dimsString());
        }
        checkDtype(op, input, !max);
        if (k[0] <= 0 || k[1] <= 0) {
            throw new IllegalArgumentException("kernel size should be greater than zero, but got kH: " + k[0]
                    + " kW: " + k[1]);
        }
        if (s[0] == 0 || s[1] == 0) {
            throw new IllegalArgumentException("stride should not be zero");
        }
        if (s[0] < 0 || s[1] < 0) {
            throw new IllegalArgumentException("stride should be greater than zero, but got dH: " + s[0] + " dW: "
                    + s[1]);
        }
        if (d[0] <= 0 || d[1] <= 0) {
            throw new IllegalArgumentException("dilation should be greater than zero, but got dilationH: " + d[0]
                    + " dilationW: " + d[1]);
        }
        for (int i = 0; i < 2; i++) {
            if (p[i] < 0) {
                throw new IllegalArgumentException("pad must be non-negative, but got pad: " + p[i]);
            }
            // The bound keeps every window's first tap inside the image or one kernel-half of padding.
            if (p[i] > k[i] / 2) {
                throw new IllegalArgumentException("pad should be at most half of kernel size, but got pad=" + p[i]
                        + " and kernel_size=" + k[i]);
            }
        }
        int channels = input.size(-3);
        int h = input.size(-2);
        int w = input.size(-1);
        if (channels == 0 || h == 0 || w == 0) {
            throw new IllegalArgumentException("Expected 3D or 4D (batch mode) tensor with optional 0 dim batch size "
                    + "for input, but got:" + input.shape().dimsString());
        }
        int outH = outputSize(h, k[0], s[0], p[0], d[0], ceilMode);
        int outW = outputSize(w, k[1], s[1], p[1], d[1], ceilMode);
        if (outH < 1 || outW < 1) {
            throw new IllegalArgumentException("Given input size: (" + channels + "x" + h + "x" + w + "). Calculated "
                    + "output size: (" + channels + "x" + outH + "x" + outW + "). Output size is too small");
        }
        int planes = input.numel() / (h * w);
        return new Pool2dKernels.Geometry(planes, h, w, outH, outW, k[0], k[1], s[0], s[1], p[0], p[1], d[0], d[1]);
    }

    /**
     * Rank, sizes and dtype for the adaptive ops. {@code nonEmptyDims} trailing dimensions must be non-empty:
     * PyTorch asks that of (H, W) for the average and of (C, H, W) for the max.
     */
    private static void checkAdaptive(String op, Tensor input, int outH, int outW, int nonEmptyDims) {
        if (input.dim() != 3 && input.dim() != 4) {
            throw new IllegalArgumentException(op + "(): Expected 3D or 4D tensor, but got "
                    + input.shape().dimsString());
        }
        if (outH < 0 || outW < 0) {
            throw new IllegalArgumentException(op + ": elements of output_size must be greater than or equal to 0 but "
                    + "received {" + outH + ", " + outW + "}");
        }
        for (int i = input.dim() - nonEmptyDims; i < input.dim(); i++) {
            if (input.size(i) == 0) {
                throw new IllegalArgumentException(op + "(): Expected input to have non-zero size for non-batch "
                        + "dimensions, but input has sizes " + input.shape().dimsString() + " with dimension " + i
                        + " being empty");
            }
        }
        checkDtype(op, input, false);
    }

    /** Pooling needs floating point input; average pooling also takes int64, as PyTorch does. */
    private static void checkDtype(String op, Tensor input, boolean integersToo) {
        DType t = input.dtype();
        if (!t.isFloatingPoint() && !(integersToo && t == DType.INT64)) {
            String name = t == DType.INT64 ? "Long" : "Bool";
            throw new IllegalArgumentException("\"" + op + "\" not implemented for '" + name + "'");
        }
    }

    private static int[] pair(int[] v, String message) {
        if (v == null || v.length < 1 || v.length > 2) {
            throw new IllegalArgumentException(message + ", got "
                    + (v == null ? "null" : java.util.Arrays.toString(v)));
        }
        return v.length == 1 ? new int[] {v[0], v[0]} : v.clone();
    }

    // ---- results --------------------------------------------------------------------------------------

    /**
     * The output and (when {@code withIndices}) the int64 index tensor of a max pooling, with the backward that
     * routes each gradient to the index its maximum came from.
     */
    private static WithIndices indexed(String name, Tensor input, Tensor output, int[] idx, int inPlane,
                                       boolean withIndices) {
        DType dtype = input.dtype();
        Shape shape = output.shape();
        Tensor indices = null;
        if (withIndices) {
            double[] idxValues = new double[idx.length];
            for (int i = 0; i < idx.length; i++) {
                idxValues[i] = idx[i];
            }
            indices = Tensor.wrap(idxValues, shape, DType.INT64);
        }
        if (Op.needed(input)) {
            int planes = input.numel() / inPlane;
            int outPlane = shape.get(-2) * shape.get(-1);
            output.setGradFn(new Op(input) {
                private final int savedInput = save(input);

                @Override
                public String name() {
                    return name;
                }

                @Override
                Tensor[] gradients(Tensor grad) {
                    saved(savedInput);
                    // Routes by the kernel's own index array, so writes to the returned indices cannot misroute.
                    if (dtype == DType.FLOAT32) {
                        return new Tensor[] {Tensor.wrap(Pool2dFloat.maxBackward(planes, inPlane, outPlane, idx,
                                grad.to(dtype).floatValues()), input.shape())};
                    }
                    double[] gi = Pool2dKernels.maxBackward(planes, inPlane, outPlane, idx, grad.values());
                    return new Tensor[] {wrapRounded(gi, input.shape(), dtype)};
                }
            });
        }
        return new WithIndices(output, indices);
    }

    /** (N, C, outH, outW), or (C, outH, outW) for unbatched input. */
    private static Shape outputShape(Tensor input, int outH, int outW) {
        int[] dims = input.shape().toArray();
        dims[dims.length - 2] = outH;
        dims[dims.length - 1] = outW;
        return Shape.of(dims);
    }

    /** A result of the kernels in {@code dtype}: float32 as floats (exact: pooling only selects or averages). */
    private static Tensor wrapRounded(double[] v, Shape shape, DType dtype) {
        if (dtype == DType.FLOAT32) {
            return Tensor.wrap(Layout.narrow(v), shape);
        }
        if (dtype != DType.FLOAT64) {
            for (int i = 0; i < v.length; i++) {
                v[i] = dtype.round(v[i]);
            }
        }
        return Tensor.wrap(v, shape, dtype);
    }
}
