package dev.jconv.tensor;

import dev.jconv.storage.DType;
import dev.jconv.storage.Shape;

/**
 * The negative log-likelihood of class indices, PyTorch's {@code nll_loss} with {@code reduction='none'}:
 * picks {@code -input[n, target[n, …], …]} for every target element. Reductions, class weights aside, are
 * left to the caller ({@code dev.jconv.nn.Functional}), since they are plain sums and divisions.
 */
public final class NllLoss {
    private NllLoss() {
    }

    /**
     * Per-element losses {@code -input[n, target[n, d…], d…]}, shaped like {@code target}, with 0 where the
     * target equals {@code ignoreIndex}. Accepted shapes: input (C) with a 0-d target, (N, C) with (N), and
     * (N, C, d1, …) with (N, d1, …). Targets must be int64 in {@code [0, C)} unless ignored.
     *
     * @throws IllegalArgumentException naming the shapes when they do not fit, a target out of range or a
     *                                  target that is not int64
     */
    public static Tensor perElement(Tensor input, Tensor target, long ignoreIndex) {
        checkShapes(input, target);
        if (!input.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("nll_loss: expected a floating point input, but got " + input.dtype());
        }
        if (target.dtype() != DType.INT64) {
            throw new IllegalArgumentException("expected scalar type Long but found " + scalarTypeName(target.dtype()));
        }
        int n = input.dim() == 1 ? 1 : input.size(0);
        int classes = input.dim() == 1 ? input.size(0) : input.size(1);
        int rest = 1;
        for (int i = 2; i < input.dim(); i++) {
            rest *= input.size(i);
        }
        double[] x = input.toArray();
        long[] t = target.toLongArray();
        double[] out = new double[t.length];
        int[] picked = new int[t.length]; // flat index into x of each loss term, -1 where ignored
        for (int b = 0; b < n; b++) {
            for (int r = 0; r < rest; r++) {
                int k = b * rest + r;
                long cls = t[k];
                if (cls == ignoreIndex) { // checked first: the default -100 is never a valid class
                    picked[k] = -1;
                    continue;
                }
                if (cls < 0 || cls >= classes) {
                    throw new IllegalArgumentException("Target " + cls + " is out of bounds.");
                }
                picked[k] = (b * classes + (int) cls) * rest + r;
                out[k] = -x[picked[k]];
            }
        }
        Tensor result = Tensor.wrap(out, target.shape(), input.dtype());
        Shape inputShape = input.shape();
        DType dtype = input.dtype();
        return Op.recordUnary("NllLossBackward0", input, result, g -> {
            double[] gv = g.toArray();
            double[] gi = new double[inputShape.numel()];
            for (int k = 0; k < picked.length; k++) {
                if (picked[k] >= 0) {
                    gi[picked[k]] = -gv[k];
                }
            }
            return Tensor.fromArray(gi, inputShape, dtype);
        });
    }

    private static void checkShapes(Tensor input, Tensor target) {
        if (input.dim() < 1) {
            throw new IllegalArgumentException("Expected 1 or more dimensions (got " + input.dim() + ")");
        }
        if (input.dim() == 1 || target.dim() == 0) {
            if (input.dim() != 1 || target.dim() != 0) {
                throw sizeMismatch(input, target);
            }
            return;
        }
        if (input.size(0) != target.size(0)) {
            throw new IllegalArgumentException("Expected input batch_size (" + input.size(0)
                    + ") to match target batch_size (" + target.size(0) + ").");
        }
        if (input.dim() == 2) {
            if (target.dim() != 1) {
                throw new IllegalArgumentException("0D or 1D target tensor expected, multi-target not supported "
                        + "(got input: " + input.shape().dimsString() + ", target: " + target.shape().dimsString() + ")");
            }
            return;
        }
        int[] expected = new int[input.dim() - 1];
        expected[0] = input.size(0);
        for (int i = 2; i < input.dim(); i++) {
            expected[i - 1] = input.size(i);
        }
        if (!target.shape().equals(Shape.of(expected))) {
            throw new IllegalArgumentException("Expected target size " + Shape.of(expected).dimsString() + ", got "
                    + target.shape().dimsString());
        }
    }

    private static IllegalArgumentException sizeMismatch(Tensor input, Tensor target) {
        return new IllegalArgumentException("size mismatch (got input: " + input.shape().dimsString() + ", target: "
                + target.shape().dimsString() + ")");
    }

    /** ATen's scalar type names, as in PyTorch's "expected scalar type Long but found Float". */
    private static String scalarTypeName(DType dtype) {
        return switch (dtype) {
            case FLOAT32 -> "Float";
            case FLOAT64 -> "Double";
            case INT64 -> "Long";
            case BOOL -> "Bool";
        };
    }
}
