package dev.jconv.tensor;

import dev.jconv.kernels.LongKernels;
import dev.jconv.kernels.Reduce;
import dev.jconv.storage.DType;
import dev.jconv.storage.Shape;

/** Sums, means, maxima and arg-maxima over all or some dimensions, with their backward rules. */
final class Reductions {
    private Reductions() {
    }

    /**
     * The input's values arranged as [kept dims..., reduced dims...], with sizes of both groups, in the input's
     * own type: floats for float32, doubles for float64, exact longs for int64 and bool (the others null).
     */
    private record Grouped(float[] floats, double[] values, long[] longs, int outer, int inner, int[] perm,
                           Shape keptShape, Shape keepDimShape) {
        /** Index within each run of its largest (or smallest) value. */
        int[] argBest(boolean max) {
            if (longs != null) {
                return LongKernels.argBest(longs, outer, inner, max);
            }
            if (floats != null) {
                return Reduce.argBest(floats, outer, inner, max);
            }
            return max ? Reduce.argmax(values, outer, inner) : Reduce.argmin(values, outer, inner);
        }

        /** The sum of each run, in double (float32 values widened exactly, summed in the same order). */
        double[] sums() {
            return floats != null ? Reduce.sum(floats, outer, inner) : Reduce.sum(values, outer, inner);
        }

        /** The values at {@code index[o]} within each run {@code o}, as a tensor of {@code dtype}. */
        Tensor picked(int[] index, boolean keepDim, DType dtype) {
            Shape shape = keepDim ? keepDimShape : keptShape;
            if (longs != null) {
                long[] out = new long[index.length];
                for (int o = 0; o < index.length; o++) {
                    out[o] = longs[o * inner + index[o]];
                }
                return Tensor.wrap(out, shape).to(dtype);
            }
            if (floats != null) {
                float[] out = new float[index.length];
                for (int o = 0; o < index.length; o++) {
                    out[o] = floats[o * inner + index[o]];
                }
                return Tensor.wrap(out, shape).to(dtype);
            }
            double[] out = new double[index.length];
            for (int o = 0; o < index.length; o++) {
                out[o] = values[o * inner + index[o]];
            }
            return Tensor.wrap(out, shape, dtype);
        }
    }

    private static Grouped group(Tensor t, int[] dims) {
        int rank = t.dim();
        boolean[] reduce = new boolean[rank];
        if (dims == null) {
            java.util.Arrays.fill(reduce, true);
        } else {
            for (int d : dims) {
                int n = Shape.normalizeDim(d, rank);
                if (rank > 0 && reduce[n]) {
                    throw new IllegalArgumentException("dim " + n + " appears multiple times in the list of dims");
                }
                if (rank > 0) {
                    reduce[n] = true;
                }
            }
        }
        int[] perm = new int[rank];
        int k = 0;
        int outer = 1;
        int inner = 1;
        int[] kept = new int[rank];
        int keptCount = 0;
        int[] keepDim = t.shape().toArray();
        for (int i = 0; i < rank; i++) {
            if (!reduce[i]) {
                perm[k++] = i;
                outer *= t.size(i);
                kept[keptCount++] = t.size(i);
            }
        }
        for (int i = 0; i < rank; i++) {
            if (reduce[i]) {
                perm[k++] = i;
                inner *= t.size(i);
                keepDim[i] = 1;
            }
        }
        Tensor permuted = t.detach().permute(perm);
        DType type = t.dtype();
        return new Grouped(type == DType.FLOAT32 ? permuted.floatValues() : null,
                type == DType.FLOAT64 ? permuted.values() : null,
                type.isFloatingPoint() ? null : permuted.longValues(), outer, inner, perm,
                Shape.of(java.util.Arrays.copyOf(kept, keptCount)), Shape.of(keepDim));
    }

    private static Tensor result(double[] values, Grouped g, boolean keepDim, DType dtype) {
        for (int i = 0; i < values.length; i++) {
            values[i] = dtype.round(values[i]);
        }
        return Tensor.wrap(values, keepDim ? g.keepDimShape() : g.keptShape(), dtype);
    }

    static Tensor sum(Tensor t, int[] dims, boolean keepDim) {
        Grouped g = group(t, dims);
        Tensor out = g.longs() != null
                ? Tensor.wrap(LongKernels.sum(g.longs(), g.outer(), g.inner()), keepDim ? g.keepDimShape() : g.keptShape())
                : result(g.sums(), g, keepDim, t.dtype());
        Shape source = t.shape();
        return Op.recordUnary("SumBackward" + (dims == null ? "0" : "1"), t, out,
                grad -> grad.reshape(g.keepDimShape()).expand(source.toArray()));
    }

    static Tensor mean(Tensor t, int[] dims, boolean keepDim) {
        if (!t.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("mean(): could not infer output dtype. Input dtype must be either a "
                    + "floating point or complex dtype. Got: " + t.dtype());
        }
        Grouped g = group(t, dims);
        double[] s = g.sums();
        for (int i = 0; i < s.length; i++) {
            s[i] /= g.inner();
        }
        Tensor out = result(s, g, keepDim, t.dtype());
        Shape source = t.shape();
        int count = g.inner();
        return Op.recordUnary("MeanBackward" + (dims == null ? "0" : "1"), t, out,
                grad -> grad.reshape(g.keepDimShape()).expand(source.toArray()).div(count));
    }

    /** Max or min of all elements; the gradient is shared evenly among the elements that attain it. */
    static Tensor extreme(Tensor t, boolean max) {
        if (t.numel() == 0) {
            throw new IllegalArgumentException((max ? "max" : "min") + "(): Expected reduction dim to be specified "
                    + "for input.numel() == 0. Specify the reduction dim with the 'dim' argument.");
        }
        Grouped g = group(t, null);
        Tensor out = g.picked(g.argBest(max), false, t.dtype());
        if (!Op.needed(t)) {
            return out;
        }
        String name = max ? "MaxBackward1" : "MinBackward1";
        out.setGradFn(new Op(t) {
            // The mask is rebuilt from input and result, so in-place writes to either must be caught.
            private final int x = save(t.detach());
            private final int y = save(out.detach());

            @Override
            public String name() {
                return name;
            }

            @Override
            Tensor[] gradients(Tensor grad) {
                Tensor input = saved(x);
                Tensor mask = input.eq(saved(y)).to(input.dtype());
                return new Tensor[] {mask.mul(grad.div(mask.sum()))};
            }
        });
        return out;
    }

    /** Values of the max or min along one dimension; the gradient goes to the chosen index. */
    static Tensor extremeAlong(Tensor t, int dim, boolean keepDim, boolean max) {
        Grouped g = groupAlong(t, dim);
        int[] idx = g.argBest(max);
        Tensor out = g.picked(idx, keepDim, t.dtype());
        return Op.recordUnary(max ? "MaxBackward0" : "MinBackward0", t, out, grad -> {
            Tensor mask = oneHotLike(t, g, idx);
            return mask.mul(grad.reshape(g.keepDimShape()));
        });
    }

    static Tensor argExtreme(Tensor t, int dim, boolean keepDim, boolean max) {
        Grouped g = groupAlong(t, dim);
        int[] idx = g.argBest(max);
        long[] values = new long[idx.length];
        for (int o = 0; o < idx.length; o++) {
            values[o] = idx[o];
        }
        return Tensor.wrap(values, keepDim ? g.keepDimShape() : g.keptShape());
    }

    private static Grouped groupAlong(Tensor t, int dim) {
        Shape.normalizeDim(dim, t.dim());
        if (t.dim() > 0 && t.size(dim) == 0) {
            throw new IllegalArgumentException("cannot reduce over dimension " + dim + " of size 0 (shape "
                    + t.shape().dimsString() + ")");
        }
        return group(t, new int[] {dim});
    }

    /** 1 where the reduction picked an element, in the input's layout. */
    private static Tensor oneHotLike(Tensor t, Grouped g, int[] idx) {
        int[] permutedSizes = new int[g.perm().length];
        for (int i = 0; i < permutedSizes.length; i++) {
            permutedSizes[i] = t.size(g.perm()[i]);
        }
        Tensor permuted = Tensor.wrap(Reduce.oneHot(idx, g.inner()), Shape.of(permutedSizes), t.dtype());
        int[] inverse = new int[g.perm().length];
        for (int i = 0; i < inverse.length; i++) {
            inverse[g.perm()[i]] = i;
        }
        return permuted.permute(inverse);
    }

    /** Sums a broadcast gradient back down to {@code shape} (the inverse of broadcasting). */
    static Tensor sumTo(Tensor grad, Shape shape) {
        if (grad.shape().equals(shape)) {
            return grad;
        }
        int lead = grad.dim() - shape.rank();
        int[] dims = new int[grad.dim()];
        int n = 0;
        for (int i = 0; i < grad.dim(); i++) {
            if (i < lead || (shape.get(i - lead) == 1 && grad.size(i) != 1)) {
                dims[n++] = i;
            }
        }
        Tensor summed = n == 0 ? grad : sum(grad, java.util.Arrays.copyOf(dims, n), true);
        return summed.reshape(shape);
    }
}
