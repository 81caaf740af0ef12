package dev.jconv.nn;

import dev.jconv.storage.DType;
import dev.jconv.tensor.Convolution;
import dev.jconv.tensor.NllLoss;
import dev.jconv.tensor.Normalization;
import dev.jconv.tensor.Padding;
import dev.jconv.tensor.Pooling;
import dev.jconv.tensor.Tensor;

/** Stateless layer functions, mirroring {@code torch.nn.functional} (import statically, call like {@code F.*}). */
public final class Functional {
    private Functional() {
    }

    /** {@code F.conv2d(input, weight, bias, stride, padding, dilation, groups)} with (h, w) pairs. */
    public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation,
                                int groups) {
        checkPair("padding", padding);
        return Convolution.conv2d(input, weight, bias, stride,
                new int[] {padding[0], padding[0], padding[1], padding[1]}, dilation, groups);
    }

    /** {@code F.conv2d} with {@code padding="same"} or {@code "valid"}. */
    public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias, int[] stride, String padding, int[] dilation,
                                int groups) {
        checkPair("stride", stride);
        checkPair("dilation", dilation);
        if (weight.dim() != 4) {
            throw new IllegalArgumentException("Expected 4D weight for conv2d, but got weight of size "
                    + weight.shape().dimsString());
        }
        Conv2dOptions o = Conv2dOptions.kernelSize(weight.size(2), weight.size(3)).stride(stride[0], stride[1])
                .dilation(dilation[0], dilation[1]).padding(padding);
        return Convolution.conv2d(input, weight, bias, stride, o.sidePadding(), dilation, groups);
    }

    /** {@code F.conv2d(input, weight)} with default stride, padding, dilation and groups. */
    public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias) {
        return conv2d(input, weight, bias, new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1}, 1);
    }

    /** {@code F.conv2d} with a module's options; padding modes other than zeros pad the input first. */
    public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias, Conv2dOptions o) {
        int[] sides = o.sidePadding();
        Tensor x = input;
        if (o.fill() != Padding.Mode.CONSTANT) {
            x = Padding.pad(input, new int[] {sides[2], sides[3], sides[0], sides[1]}, o.fill(), 0);
            sides = new int[4];
        }
        return Convolution.conv2d(x, weight, bias, new int[] {o.strideH(), o.strideW()}, sides,
                new int[] {o.dilationH(), o.dilationW()}, o.groups());
    }

    /** {@code F.conv1d}: input (N, C, L) or (C, L), weight (O, C/groups, k); runs as a 2-D convolution of height 1. */
    public static Tensor conv1d(Tensor input, Tensor weight, Tensor bias, Conv1dOptions options) {
        if (input.dim() != 2 && input.dim() != 3) {
            throw new IllegalArgumentException("Expected 2D (unbatched) or 3D (batched) input to conv1d, but got input "
                    + "of size: " + input.shape().dimsString());
        }
        if (weight.dim() != 3) {
            throw new IllegalArgumentException("Expected 3D weight (out_channels, in_channels/groups, k) for conv1d, "
                    + "but got weight of size " + weight.shape().dimsString());
        }
        return conv2d(input.unsqueeze(-2), weight.unsqueeze(-2), bias, options.asConv2d()).squeeze(-2);
    }

    /** {@code F.conv1d(input, weight, bias, stride, padding, dilation, groups)}. */
    public static Tensor conv1d(Tensor input, Tensor weight, Tensor bias, int stride, int padding, int dilation,
                                int groups) {
        if (weight.dim() != 3) {
            throw new IllegalArgumentException("Expected 3D weight (out_channels, in_channels/groups, k) for conv1d, "
                    + "but got weight of size " + weight.shape().dimsString());
        }
        return conv1d(input, weight, bias, Conv1dOptions.kernelSize(weight.size(2)).stride(stride).padding(padding)
                .dilation(dilation).groups(groups));
    }

    /** {@code F.conv_transpose2d(input, weight, bias, stride, padding, output_padding, groups, dilation)}. */
    public static Tensor convTranspose2d(Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding,
                                         int[] outputPadding, int groups, int[] dilation) {
        return Convolution.convTranspose2d(input, weight, bias, stride, padding, outputPadding, groups, dilation);
    }

    /**
     * {@code F.pad(x, pads, mode, value)}; pads list the last dimension first: {@code (left, right, top,
     * bottom)}.
     */
    public static Tensor pad(Tensor x, int[] pads, Padding.Mode mode, double value) {
        return Padding.pad(x, pads, mode, value);
    }

    /** {@code F.pad(x, pads)}: zero padding. */
    public static Tensor pad(Tensor x, int... pads) {
        return Padding.pad(x, pads, Padding.Mode.CONSTANT, 0);
    }

    /**
     * {@code F.batch_norm} over dimension 1 of an (N, C, …) input. In training it normalises with the
     * batch's mean and biased variance, and (when given) moves the running statistics towards the batch's
     * mean and unbiased variance by {@code momentum}; otherwise it uses the running statistics.
     *
     * @param numBatchesTracked incremented in training when not null
     */
    public static Tensor batchNorm(Tensor input, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
                                   boolean training, double momentum, double eps, Tensor numBatchesTracked) {
        if (input.dim() < 2) {
            throw new IllegalArgumentException("batch_norm expects an input of at least 2 dimensions (N, C, ...), got "
                    + input.shape().dimsString());
        }
        int c = input.size(1);
        for (Tensor t : new Tensor[] {runningMean, runningVar, weight, bias}) {
            if (t != null && (t.dim() != 1 || t.size(0) != c)) {
                throw new IllegalArgumentException("batch_norm: input of shape " + input.shape().dimsString() + " has "
                        + c + " channels, but a per-channel tensor has shape " + t.shape().dimsString());
            }
        }
        int[] dims = new int[input.dim() - 1];
        int[] statShape = new int[input.dim()];
        java.util.Arrays.fill(statShape, 1);
        statShape[1] = c;
        int count = 1;
        for (int d = 0, k = 0; d < input.dim(); d++) {
            if (d != 1) {
                dims[k++] = d;
                count *= input.size(d);
            }
        }
        if (training && count <= 1) {
            throw new IllegalArgumentException("Expected more than 1 value per channel when training, got input size "
                    + input.shape());
        }
        if (!training && (runningMean == null || runningVar == null)) {
            throw new IllegalArgumentException("batch_norm in evaluation mode needs running_mean and running_var");
        }
        if (Normalization.supports(input, runningMean, runningVar, weight, bias)) {
            Tensor out = Normalization.batchNorm(input, runningMean, runningVar, weight, bias, training, momentum, eps);
            if (training && numBatchesTracked != null) {
                try (var ignored = Tensor.noGrad()) {
                    numBatchesTracked.add_(1);
                }
            }
            return out;
        }
        Tensor mean;
        Tensor var;
        if (training) {
            mean = input.mean(dims, true);
            var = input.sub(mean).pow(2).mean(dims, true);
            try (var ignored = Tensor.noGrad()) {
                if (runningMean != null) {
                    runningMean.mul_(1 - momentum).add_(mean.detach().reshape(c).mul(momentum));
                }
                if (runningVar != null) {
                    Tensor unbiased = var.detach().reshape(c).mul((double) count / (count - 1));
                    runningVar.mul_(1 - momentum).add_(unbiased.mul(momentum));
                }
                if (numBatchesTracked != null) {
                    numBatchesTracked.add_(1);
                }
            }
        } else {
            mean = runningMean.reshape(statShape).to(input.dtype());
            var = runningVar.reshape(statShape).to(input.dtype());
        }
        Tensor out = input.sub(mean).div(var.add(eps).sqrt());
        if (weight != null) {
            out = out.mul(weight.reshape(statShape));
        }
        return bias == null ? out : out.add(bias.reshape(statShape));
    }

    /** {@code F.max_pool2d(input, kernelSize)}: stride equal to the kernel size, no padding. */
    public static Tensor maxPool2d(Tensor input, int kernelSize) {
        return maxPool2d(input, Pool2dOptions.kernelSize(kernelSize));
    }

    /**
     * {@code F.max_pool2d(input, kernel_size, stride, padding, dilation, ceil_mode)}; each size is one value or
     * an (h, w) pair, and a null stride means the kernel size.
     */
    public static Tensor maxPool2d(Tensor input, int[] kernelSize, int[] stride, int[] padding, int[] dilation,
                                   boolean ceilMode) {
        return Pooling.maxPool2d(input, kernelSize, stride, padding, dilation, ceilMode);
    }

    /** {@code F.max_pool2d(…, return_indices=True)}: the output and the flat in-plane index of each maximum. */
    public static Pooling.WithIndices maxPool2dWithIndices(Tensor input, int[] kernelSize, int[] stride,
                                                           int[] padding, int[] dilation, boolean ceilMode) {
        return Pooling.maxPool2dWithIndices(input, kernelSize, stride, padding, dilation, ceilMode);
    }

    static Tensor maxPool2d(Tensor input, Pool2dOptions o) {
        return Pooling.maxPool2d(input, o.kernel(), o.stride(), o.padding(), o.dilation(), o.ceilMode());
    }

    static Pooling.WithIndices maxPool2dWithIndices(Tensor input, Pool2dOptions o) {
        return Pooling.maxPool2dWithIndices(input, o.kernel(), o.stride(), o.padding(), o.dilation(), o.ceilMode());
    }

    /** {@code F.avg_pool2d(input, kernelSize)}: stride equal to the kernel size, no padding. */
    public static Tensor avgPool2d(Tensor input, int kernelSize) {
        return avgPool2d(input, Pool2dOptions.kernelSize(kernelSize));
    }

    /**
     * {@code F.avg_pool2d(input, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override)};
     * each size is one value or an (h, w) pair, a null stride means the kernel size, and a null
     * {@code divisorOverride} divides each window by its own size.
     */
    public static Tensor avgPool2d(Tensor input, int[] kernelSize, int[] stride, int[] padding, boolean ceilMode,
                                   boolean countIncludePad, Integer divisorOverride) {
        return Pooling.avgPool2d(input, kernelSize, stride, padding, ceilMode, countIncludePad, divisorOverride);
    }

    static Tensor avgPool2d(Tensor input, Pool2dOptions o) {
        return Pooling.avgPool2d(input, o.kernel(), o.stride(), o.padding(), o.ceilMode(), o.countIncludePad(),
                o.divisorOverride());
    }

    /** {@code F.adaptive_avg_pool2d(input, size)}: a {@code size × size} output. */
    public static Tensor adaptiveAvgPool2d(Tensor input, int outputSize) {
        return Pooling.adaptiveAvgPool2d(input, outputSize, outputSize);
    }

    /** {@code F.adaptive_avg_pool2d(input, (h, w))}; a null size keeps the input's (PyTorch's {@code None}). */
    public static Tensor adaptiveAvgPool2d(Tensor input, Integer outH, Integer outW) {
        return Pooling.adaptiveAvgPool2d(input, orInput(input, outH, -2), orInput(input, outW, -1));
    }

    /** {@code F.adaptive_max_pool2d(input, size)}: a {@code size × size} output. */
    public static Tensor adaptiveMaxPool2d(Tensor input, int outputSize) {
        return Pooling.adaptiveMaxPool2d(input, outputSize, outputSize);
    }

    /** {@code F.adaptive_max_pool2d(input, (h, w))}; a null size keeps the input's (PyTorch's {@code None}). */
    public static Tensor adaptiveMaxPool2d(Tensor input, Integer outH, Integer outW) {
        return Pooling.adaptiveMaxPool2d(input, orInput(input, outH, -2), orInput(input, outW, -1));
    }

    /** {@code F.adaptive_max_pool2d(input, (h, w), return_indices=True)}. */
    public static Pooling.WithIndices adaptiveMaxPool2dWithIndices(Tensor input, Integer outH, Integer outW) {
        return Pooling.adaptiveMaxPool2dWithIndices(input, orInput(input, outH, -2), orInput(input, outW, -1));
    }

    /** {@code size}, or for null the input's size in {@code dim} (inputs too small for that are refused later). */
    private static int orInput(Tensor input, Integer size, int dim) {
        return size != null ? size : input.dim() >= -dim ? input.size(dim) : 1;
    }

    /** {@code F.mse_loss}: mean (or sum) of squared differences. */
    public static Tensor mseLoss(Tensor input, Tensor target, Reduction reduction) {
        if (!input.shape().equals(target.shape())) {
            throw new IllegalArgumentException("mse_loss: input of size " + input.shape().dimsString()
                    + " and target of size " + target.shape().dimsString() + " must have the same size");
        }
        Tensor sq = input.sub(target).pow(2);
        return switch (reduction) {
            case MEAN -> sq.mean();
            case SUM -> sq.sum();
            case NONE -> sq;
        };
    }

    /** {@code F.log_softmax(x, dim)}. */
    public static Tensor logSoftmax(Tensor x, int dim) {
        return x.logSoftmax(dim);
    }

    /** {@code F.softmax(x, dim)}. */
    public static Tensor softmax(Tensor x, int dim) {
        return x.softmax(dim);
    }

    /**
     * {@code F.nll_loss(input, target, reduction=…, ignore_index=…)} on log-probabilities: input (C), (N, C)
     * or (N, C, d1, …), int64 class indices shaped (), (N) or (N, d1, …). The mean divides by the number
     * of targets not equal to {@code ignoreIndex} (NaN when there are none, as in PyTorch).
     */
    public static Tensor nllLoss(Tensor input, Tensor target, Reduction reduction, long ignoreIndex) {
        Tensor losses = NllLoss.perElement(input, target, ignoreIndex);
        return switch (reduction) {
            case NONE -> losses;
            case SUM -> losses.sum();
            case MEAN -> losses.sum().div(target.ne(ignoreIndex).sum());
        };
    }

    /** {@code F.nll_loss(input, target)}: the mean over all targets, none ignored but -100. */
    public static Tensor nllLoss(Tensor input, Tensor target) {
        return nllLoss(input, target, Reduction.MEAN, CrossEntropyLoss.DEFAULT_IGNORE_INDEX);
    }

    /** {@code F.cross_entropy(input, target)}: mean loss of logits against class indices. */
    public static Tensor crossEntropy(Tensor input, Tensor target) {
        return crossEntropy(input, target, Reduction.MEAN, CrossEntropyLoss.DEFAULT_IGNORE_INDEX, 0);
    }

    /** {@code F.cross_entropy(input, target, reduction=…, label_smoothing=…)}. */
    public static Tensor crossEntropy(Tensor input, Tensor target, Reduction reduction, double labelSmoothing) {
        return crossEntropy(input, target, reduction, CrossEntropyLoss.DEFAULT_IGNORE_INDEX, labelSmoothing);
    }

    /**
     * {@code F.cross_entropy(input, target, ignore_index=…, reduction=…, label_smoothing=…)}: the negative
     * log-likelihood of {@code log_softmax(input)} along the class dimension (0 for an unbatched (C) input,
     * else 1).
     *
     * <p>With int64 class indices (shapes as in {@link #nllLoss(Tensor, Tensor, Reduction, long)}) and
     * smoothing ε over C classes this is PyTorch's formula {@code (1 - ε)·nll + (ε / C)·smooth}, where
     * {@code smooth = -Σ_c log_softmax(input)_c} per target, 0 at ignored targets, reduced like the nll
     * term (the mean divides by the number of targets not ignored).
     *
     * <p>A floating-point target shaped like the input holds class probabilities: smoothing turns it into
     * {@code (1 - ε)·target + ε / C}, the loss is {@code -Σ_c target_c·log_softmax(input)_c}, and the mean
     * divides by the number of samples ({@code input.numel() / C}); {@code ignoreIndex} must then be negative.
     *
     * @param labelSmoothing ε in [0, 1]
     * @throws IllegalArgumentException for shapes that do not fit (naming them), targets out of range, targets
     *                                  that are neither int64 indices nor probabilities, or ε outside [0, 1]
     */
    public static Tensor crossEntropy(Tensor input, Tensor target, Reduction reduction, long ignoreIndex,
                                      double labelSmoothing) {
        // PyTorch 1.13 only rejects ε > 1; a negative ε is meaningless, so it is rejected here too.
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
            throw new IllegalArgumentException("label_smoothing must be between 0.0 and 1.0. Got: "
                    + BatchNorm2d.pythonFloat(labelSmoothing));
        }
        if (input.dim() == 0) {
            throw new IllegalArgumentException("cross_entropy: expected an input with a class dimension, of shape (C), "
                    + "(N, C) or (N, C, d1, ...), but got a 0-d input");
        }
        int classDim = input.dim() == 1 ? 0 : 1;
        int classes = input.size(classDim);
        if (input.shape().equals(target.shape())) {
            return probabilityCrossEntropy(input, target, reduction, ignoreIndex, labelSmoothing, classDim);
        }
        Tensor logProbs = input.logSoftmax(classDim);
        Tensor nll = nllLoss(logProbs, target, reduction, ignoreIndex);
        if (labelSmoothing == 0) {
            return nll;
        }
        Tensor ignored = target.eq(ignoreIndex);
        Tensor smooth = logProbs.sum(classDim, false).neg().maskedFill(ignored, 0);
        Tensor reduced = switch (reduction) {
            case NONE -> smooth;
            case SUM -> smooth.sum();
            case MEAN -> smooth.sum().div(ignored.eq(0).sum());
        };
        return nll.mul(1 - labelSmoothing).add(reduced.mul(labelSmoothing / classes));
    }

    private static Tensor probabilityCrossEntropy(Tensor input, Tensor target, Reduction reduction, long ignoreIndex,
                                                  double labelSmoothing, int classDim) {
        if (!target.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("Expected floating point type for target with class probabilities, got "
                    + (target.dtype() == DType.INT64 ? "Long" : "Bool") + " (input and target of shape "
                    + input.shape().dimsString() + ")");
        }
        if (ignoreIndex >= 0) {
            throw new IllegalArgumentException("ignore_index is not supported for floating point target");
        }
        int classes = input.size(classDim);
        Tensor t = labelSmoothing > 0 ? target.mul(1 - labelSmoothing).add(labelSmoothing / classes) : target;
        Tensor weighted = input.logSoftmax(classDim).mul(t);
        return switch (reduction) {
            case NONE -> weighted.sum(classDim, false).neg();
            case SUM -> weighted.sum().neg();
            // PyTorch divides by input.numel() / C, an integer number of samples (0 / 0 gives NaN when empty).
            case MEAN -> weighted.sum().neg().div(classes == 0 ? 0 : input.numel() / classes);
        };
    }

    /** {@code F.relu}. */
    public static Tensor relu(Tensor x) {
        return x.relu();
    }

    /** {@code F.linear}: {@code x · weightᵀ + bias}. */
    public static Tensor linear(Tensor input, Tensor weight, Tensor bias) {
        if (weight.dim() != 2 || input.dim() == 0 || input.size(-1) != weight.size(1)) {
            throw new IllegalArgumentException("linear: input of shape " + input.shape().dimsString()
                    + " cannot be multiplied by weight of shape " + weight.shape().dimsString()
                    + " (expected the input's last dimension to be " + (weight.dim() == 2 ? weight.size(1) : "weight.size(1)")
                    + ")");
        }
        Tensor out = input.matmul(weight.t());
        return bias == null ? out : out.add(bias);
    }

    private static void checkPair(String name, int[] v) {
        if (v == null || v.length != 2) {
            throw new IllegalArgumentException(name + " must be an (h, w) pair, got "
                    + (v == null ? "null" : java.util.Arrays.toString(v)));
        }
    }
}
