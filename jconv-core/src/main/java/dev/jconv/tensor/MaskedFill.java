package dev.jconv.tensor;

import dev.jconv.storage.DType;
import dev.jconv.storage.Shape;

/**
 * {@code x.masked_fill(mask, value)}: {@code value} where the bool mask is true, {@code x} elsewhere. Unlike
 * multiplying by a 0/1 mask it also clears infinities and NaNs, and the gradient is exactly 0 where filled.
 */
final class MaskedFill {
    private MaskedFill() {
    }

    static Tensor maskedFill(Tensor x, Tensor mask, double value) {
        if (mask.dtype() != DType.BOOL) {
            throw new IllegalArgumentException("masked_fill only supports boolean masks, but got mask with dtype "
                    + mask.dtype() + " (shape " + mask.shape().dimsString() + ")");
        }
        Shape shape = x.shape();
        if (!broadcastsTo(mask.shape(), shape)) {
            throw new IllegalArgumentException("masked_fill: mask of shape " + mask.shape().dimsString()
                    + " cannot be broadcast to the input's shape " + shape.dimsString());
        }
        double[] m = mask.expand(shape.toArray()).toArray();
        double[] v = x.toArray();
        double fill = x.dtype().round(value);
        for (int i = 0; i < v.length; i++) {
            if (m[i] != 0) {
                v[i] = fill;
            }
        }
        Tensor out = Tensor.wrap(v, shape, x.dtype());
        return Op.recordUnary("MaskedFillBackward0", x, out, g -> {
            double[] gv = g.toArray();
            for (int i = 0; i < gv.length; i++) {
                if (m[i] != 0) {
                    gv[i] = 0;
                }
            }
            return Tensor.wrap(gv, shape, g.dtype());
        });
    }

    /** Whether {@code from} can be expanded to {@code to} (the mask may not enlarge the input). */
    private static boolean broadcastsTo(Shape from, Shape to) {
        int lead = to.rank() - from.rank();
        if (lead < 0) {
            return false;
        }
        for (int i = 0; i < from.rank(); i++) {
            if (from.get(i) != 1 && from.get(i) != to.get(lead + i)) {
                return false;
            }
        }
        return true;
    }
}
