package dev.jconv.examples;

import dev.jconv.tensor.Tensor;

/** The pooling chapter's teaching version of 2-D pooling: the max or mean of each window, by plain loops. */
public final class Pool2d {
    /** Which statistic of each window to keep. */
    public enum Mode { MAX, AVG }

    private Pool2d() {
    }

    /** Slides a {@code ph × pw} window over x (H, W) with stride 1 and no padding. */
    public static Tensor pool2d(Tensor x, int ph, int pw, Mode mode) {
        if (x.dim() != 2 || ph <= 0 || pw <= 0 || ph > x.size(0) || pw > x.size(1)) {
            throw new IllegalArgumentException("pool2d expects a 2-D input at least as large as the (" + ph + ", " + pw
                    + ") window, got input of shape " + x.shape().dimsString());
        }
        Tensor[] rows = new Tensor[x.size(0) - ph + 1];
        for (int i = 0; i < rows.length; i++) {
            Tensor[] row = new Tensor[x.size(1) - pw + 1];
            for (int j = 0; j < row.length; j++) {
                Tensor window = x.slice(0, i, i + ph).slice(1, j, j + pw);
                row[j] = mode == Mode.MAX ? window.max() : window.mean();
            }
            rows[i] = Tensor.stack(row, 0);
        }
        return Tensor.stack(rows, 0);
    }
}
