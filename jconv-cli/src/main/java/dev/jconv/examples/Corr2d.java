package dev.jconv.examples;

import dev.jconv.tensor.Tensor;

/** The chapter's teaching version of 2-D cross-correlation: a plain double loop over output positions. */
public final class Corr2d {
    private Corr2d() {
    }

    /**
     * Slides kernel {@code k} (h, w) over {@code x} (H, W) and sums the elementwise products at each position;
     * the result has shape (H - h + 1, W - w + 1). Differentiable, since it is built from tensor operations.
     */
    public static Tensor corr2d(Tensor x, Tensor k) {
        if (x.dim() != 2 || k.dim() != 2) {
            throw new IllegalArgumentException("corr2d expects a 2-D input and a 2-D kernel, got input of shape "
                    + x.shape().dimsString() + " and kernel of shape " + k.shape().dimsString());
        }
        int h = k.size(0);
        int w = k.size(1);
        int outH = x.size(0) - h + 1;
        int outW = x.size(1) - w + 1;
        if (outH <= 0 || outW <= 0) {
            throw new IllegalArgumentException("corr2d: kernel of shape " + k.shape().dimsString()
                    + " is larger than the input of shape " + x.shape().dimsString());
        }
        Tensor[] rows = new Tensor[outH];
        for (int i = 0; i < outH; i++) {
            Tensor[] row = new Tensor[outW];
            for (int j = 0; j < outW; j++) {
                row[j] = x.slice(0, i, i + h).slice(1, j, j + w).mul(k).sum();
            }
            rows[i] = Tensor.stack(row, 0);
        }
        return Tensor.stack(rows, 0);
    }
}
