package dev.jconv.tensor;

import dev.jconv.kernels.SoftmaxKernels;
import dev.jconv.storage.Shape;

/**
 * {@code torch.softmax} and {@code torch.log_softmax} along one dimension, with their backward rules.
 * Both subtract the largest value along the dimension first, so logits in the thousands give finite results.
 */
final class Softmax {
    private Softmax() {
    }

    static Tensor logSoftmax(Tensor x, int dim) {
        return run(x, dim, true);
    }

    static Tensor softmax(Tensor x, int dim) {
        return run(x, dim, false);
    }

    private static Tensor run(Tensor x, int dim, boolean log) {
        if (!x.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException((log ? "log_softmax" : "softmax") + "(): expected a floating point "
                    + "input, but got a tensor of dtype " + x.dtype() + " and shape " + x.shape().dimsString());
        }
        int d = Shape.normalizeDim(dim, x.dim());
        int outer = 1;
        int size = 1; // a 0-d tensor is a run of one element
        int inner = 1;
        for (int i = 0; i < x.dim(); i++) {
            if (i < d) {
                outer *= x.size(i);
            } else if (i == d) {
                size = x.size(i);
            } else {
                inner *= x.size(i);
            }
        }
        double[] values = x.toArray();
        double[] r = log ? SoftmaxKernels.logSoftmax(values, outer, size, inner, x.dtype())
                : SoftmaxKernels.softmax(values, outer, size, inner, x.dtype());
        Tensor out = Tensor.wrap(r, x.shape(), x.dtype());
        if (!Op.needed(x)) {
            return out;
        }
        out.setGradFn(new Op(x) {
            // Both backward rules need only the output y (as PyTorch saves it), not the input.
            private final int y = save(out.detach());

            @Override
            public String name() {
                return log ? "LogSoftmaxBackward0" : "SoftmaxBackward0";
            }

            @Override
            Tensor[] gradients(Tensor g) {
                Tensor yv = saved(y);
                // log_softmax: g - exp(y)·Σg;  softmax: y·(g - Σ g·y), sums along the softmax dimension.
                Tensor grad = log ? g.sub(yv.exp().mul(g.sum(d, true))) : yv.mul(g.sub(g.mul(yv).sum(d, true)));
                return new Tensor[] {grad};
            }
        });
        return out;
    }
}
