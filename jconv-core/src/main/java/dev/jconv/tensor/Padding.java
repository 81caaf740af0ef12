package dev.jconv.tensor;

import dev.jconv.kernels.IndexMaps;
import dev.jconv.storage.Shape;

/**
 * {@code torch.nn.functional.pad}: constant, reflect, replicate and circular padding of the last
 * dimensions, differentiable. Pads are given as PyTorch does, last dimension first:
 * {@code (left, right, top, bottom, …)}; negative constant pads crop.
 */
public final class Padding {
    /** How values beyond the edge are made up. */
    public enum Mode {
        /** A fixed value (zero by default). */
        CONSTANT,
        /** The mirror image, not repeating the edge: {@code [c b | a b c d | c b]}. */
        REFLECT,
        /** The edge value repeated: {@code [a a | a b c d | d d]}. */
        REPLICATE,
        /** Wrap-around: {@code [c d | a b c d | a b]}. */
        CIRCULAR;

        /** PyTorch's name of the mode, e.g. {@code "reflect"}. */
        public String torchName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private Padding() {
    }

    /** Pads {@code x} with {@code mode}; {@code value} is used by {@link Mode#CONSTANT} only. */
    public static Tensor pad(Tensor x, int[] pads, Mode mode, double value) {
        if (pads.length % 2 != 0 || pads.length / 2 > x.dim()) {
            throw new IllegalArgumentException("Padding length must be divisible by 2 and at most twice the number of "
                    + "dimensions of the input: got " + pads.length + " pad values for input of shape "
                    + x.shape().dimsString());
        }
        int padded = pads.length / 2;
        if (mode != Mode.CONSTANT) {
            if (padded > 3 || x.dim() < padded + 1) {
                throw new IllegalArgumentException(mode.torchName() + " padding of " + padded + " dimension(s) needs an "
                        + "input with a batch or channel dimension in front, got shape " + x.shape().dimsString());
            }
        }
        int rank = x.dim();
        int[][] maps = new int[rank][];
        int[] outSizes = x.shape().toArray();
        for (int d = 0; d < rank; d++) {
            int k = rank - 1 - d; // pads list the last dimension first
            int before = k < padded ? pads[2 * k] : 0;
            int after = k < padded ? pads[2 * k + 1] : 0;
            maps[d] = map(x.size(d), before, after, mode, d, x.shape());
            outSizes[d] = maps[d].length;
        }
        double[] out = IndexMaps.gather(x.storage.read(), x.offset, x.strides, maps, x.dtype().round(value));
        Tensor result = Tensor.wrap(out, Shape.of(outSizes), x.dtype());
        Shape source = x.shape();
        return Op.recordUnary(switch (mode) {
            case CONSTANT -> "ConstantPadNdBackward0";
            case REFLECT -> "ReflectionPad" + padded + "DBackward0";
            case REPLICATE -> "ReplicationPad" + padded + "DBackward0";
            case CIRCULAR -> "CircularPadBackward0";
        }, x, result, g -> {
            double[] grad = new double[source.numel()];
            Tensor gc = g.contiguous();
            IndexMaps.scatterAdd(gc.toArray(), grad, source.contiguousStrides(), maps);
            return Tensor.wrap(grad, source, g.dtype());
        });
    }

    /** Source index of every output position along one dimension (-1: the constant). */
    private static int[] map(int n, int before, int after, Mode mode, int dim, Shape shape) {
        int size = n + before + after;
        if (size < 0 || (size == 0 && n > 0 && mode != Mode.CONSTANT)) {
            throw new IllegalArgumentException("padding (" + before + ", " + after + ") at dimension " + dim
                    + " of input " + shape.dimsString() + " would give a negative size");
        }
        if (mode != Mode.CONSTANT) {
            if (before < 0 || after < 0) {
                throw new IllegalArgumentException(mode.torchName() + " padding must be non-negative, got (" + before
                        + ", " + after + ") at dimension " + dim);
            }
            boolean ok = switch (mode) {
                case REFLECT -> before < n && after < n;
                case CIRCULAR -> before <= n && after <= n;
                default -> n > 0;
            };
            if (!ok) {
                throw new IllegalArgumentException(mode.torchName() + " padding (" + before + ", " + after
                        + ") at dimension " + dim + " of input " + shape.dimsString() + " must be "
                        + (mode == Mode.REFLECT ? "less than" : "at most") + " the dimension's size " + n);
            }
        }
        int[] m = new int[size];
        for (int i = 0; i < size; i++) {
            int j = i - before;
            m[i] = switch (mode) {
                case CONSTANT -> j >= 0 && j < n ? j : -1;
                case REFLECT -> j < 0 ? -j : (j >= n ? 2 * (n - 1) - j : j);
                case REPLICATE -> Math.max(0, Math.min(n - 1, j));
                case CIRCULAR -> Math.floorMod(j, n);
            };
        }
        return m;
    }
}
