package dev.jconv.tensor;

import dev.jconv.storage.DType;
import dev.jconv.storage.Shape;
import java.util.Arrays;

/** Zero-copy view operations (new shape/strides/offset over the same storage) and their backward rules. */
final class Views {
    private Views() {
    }

    private static Tensor view(Tensor t, Shape shape, int[] strides, int offset) {
        return new Tensor(t.storage, shape, strides, offset);
    }

    static Tensor alias(Tensor t) {
        return Op.recordUnary("AliasBackward0", t, view(t, t.shape, t.strides, t.offset), g -> g);
    }

    static Tensor reshape(Tensor t, int[] sizes, boolean strictView) {
        Shape target = Shape.infer(t.numel(), sizes);
        Shape source = t.shape;
        if (t.isContiguous()) {
            Tensor out = view(t, target, target.contiguousStrides(), t.offset);
            return Op.recordUnary("ViewBackward0", t, out, g -> g.reshape(source));
        }
        if (strictView) {
            throw new IllegalArgumentException("view size " + target.dimsString() + " is not compatible with input tensor's "
                    + "size " + source.dimsString() + " and stride " + Arrays.toString(t.strides)
                    + " (at least one dimension spans across two contiguous subspaces). Use reshape(...) instead.");
        }
        Tensor copy = copy(t);
        Tensor out = view(copy, target, target.contiguousStrides(), 0);
        return Op.recordUnary("UnsafeViewBackward0", copy, out, g -> g.reshape(source));
    }

    static Tensor transpose(Tensor t, int dim0, int dim1) {
        return transpose(t, dim0, dim1, "TransposeBackward0");
    }

    /** Transpose recorded under {@code name} ({@code t()} records TBackward0, as PyTorch). */
    static Tensor transpose(Tensor t, int dim0, int dim1, String name) {
        int rank = t.dim();
        int a = Shape.normalizeDim(dim0, rank);
        int b = Shape.normalizeDim(dim1, rank);
        if (rank == 0) {
            return alias(t);
        }
        int[] perm = new int[rank];
        for (int i = 0; i < rank; i++) {
            perm[i] = i;
        }
        perm[a] = b;
        perm[b] = a;
        Tensor out = permuted(t, perm);
        return Op.recordUnary(name, t, out, g -> g.transpose(a, b));
    }

    static Tensor permute(Tensor t, int[] dims) {
        int rank = t.dim();
        if (dims.length != rank) {
            throw new IllegalArgumentException("permute: number of dims don't match: tensor of shape "
                    + t.shape.dimsString() + " has " + rank + " dimensions but " + dims.length + " were given");
        }
        int[] perm = new int[rank];
        boolean[] seen = new boolean[rank];
        for (int i = 0; i < rank; i++) {
            perm[i] = Shape.normalizeDim(dims[i], rank);
            if (seen[perm[i]]) {
                throw new IllegalArgumentException("permute: repeated dim " + dims[i] + " in " + Arrays.toString(dims));
            }
            seen[perm[i]] = true;
        }
        int[] inverse = new int[rank];
        for (int i = 0; i < rank; i++) {
            inverse[perm[i]] = i;
        }
        return Op.recordUnary("PermuteBackward0", t, permuted(t, perm), g -> g.permute(inverse));
    }

    private static Tensor permuted(Tensor t, int[] perm) {
        int[] sizes = new int[perm.length];
        int[] strides = new int[perm.length];
        for (int i = 0; i < perm.length; i++) {
            sizes[i] = t.shape.get(perm[i]);
            strides[i] = t.strides[perm[i]];
        }
        return view(t, Shape.of(sizes), strides, t.offset);
    }

    static Tensor slice(Tensor t, int dim, int start, int stop, int step) {
        if (t.dim() == 0) {
            throw new IllegalArgumentException("slice() cannot be applied to a 0-dim tensor");
        }
        int d = t.shape.normalizeDim(dim);
        if (step <= 0) {
            throw new IllegalArgumentException("slice step must be positive, got " + step);
        }
        int size = t.shape.get(d);
        // Python semantics: negative bounds count from the end, out-of-range bounds are clamped.
        int s = clamp(start < 0 ? start + size : start, size);
        int e = clamp(stop < 0 ? stop + size : stop, size);
        int len = e > s ? (e - s + step - 1) / step : 0;
        int[] sizes = t.shape.toArray();
        int[] strides = t.strides.clone();
        sizes[d] = len;
        strides[d] = t.strides[d] * step;
        Shape source = t.shape;
        Tensor out = view(t, Shape.of(sizes), strides, t.offset + s * t.strides[d]);
        return Op.recordUnary("SliceBackward0", t, out, g -> {
            Tensor full = Tensor.zeros(source, g.dtype());
            full.slice(d, s, s + len * step, step).copy_(g);
            return full;
        });
    }

    private static int clamp(int v, int size) {
        return Math.max(0, Math.min(size, v));
    }

    static Tensor select(Tensor t, int dim, int index) {
        if (t.dim() == 0) {
            throw new IllegalArgumentException("select() cannot be applied to a 0-dim tensor");
        }
        int d = t.shape.normalizeDim(dim);
        int size = t.shape.get(d);
        if (index < -size || index >= size) {
            throw new IllegalArgumentException("index " + index + " is out of bounds for dimension " + d + " with size "
                    + size + " (tensor of shape " + t.shape.dimsString() + ")");
        }
        int i = index < 0 ? index + size : index;
        int[] sizes = removeAt(t.shape.toArray(), d);
        int[] strides = removeAt(t.strides, d);
        Shape source = t.shape;
        Tensor out = view(t, Shape.of(sizes), strides, t.offset + i * t.strides[d]);
        return Op.recordUnary("SelectBackward0", t, out, g -> {
            Tensor full = Tensor.zeros(source, g.dtype());
            full.select(d, i).copy_(g);
            return full;
        });
    }

    static Tensor unsqueeze(Tensor t, int dim) {
        int d = Shape.normalizeDim(dim, t.dim() + 1);
        int[] sizes = insertAt(t.shape.toArray(), d, 1);
        int inner = d < t.dim() ? t.strides[d] * t.shape.get(d) : 1;
        int[] strides = insertAt(t.strides, d, inner);
        return Op.recordUnary("UnsqueezeBackward0", t, view(t, Shape.of(sizes), strides, t.offset), g -> g.squeeze(d));
    }

    static Tensor squeeze(Tensor t, int dim, boolean all) {
        int[] sizes = t.shape.toArray();
        int[] keep = new int[sizes.length];
        int n = 0;
        int only = all ? -1 : (t.dim() == 0 ? 0 : t.shape.normalizeDim(dim));
        for (int i = 0; i < sizes.length; i++) {
            boolean drop = sizes[i] == 1 && (all || i == only);
            if (!drop) {
                keep[n++] = i;
            }
        }
        int[] newSizes = new int[n];
        int[] newStrides = new int[n];
        for (int i = 0; i < n; i++) {
            newSizes[i] = sizes[keep[i]];
            newStrides[i] = t.strides[keep[i]];
        }
        Shape source = t.shape;
        Tensor out = view(t, Shape.of(newSizes), newStrides, t.offset);
        return Op.recordUnary(all ? "SqueezeBackward0" : "SqueezeBackward1", t, out, g -> g.reshape(source));
    }

    static Tensor expand(Tensor t, int[] sizes) {
        if (sizes.length < t.dim()) {
            throw new IllegalArgumentException("expand: the number of sizes provided (" + sizes.length
                    + ") must be greater or equal to the number of dimensions in the tensor (" + t.dim() + ")");
        }
        int lead = sizes.length - t.dim();
        int[] outSizes = new int[sizes.length];
        int[] strides = new int[sizes.length];
        for (int i = 0; i < sizes.length; i++) {
            int src = i - lead;
            int have = src >= 0 ? t.shape.get(src) : 1;
            int want = sizes[i] == -1 && src >= 0 ? have : sizes[i];
            if (want < 0 || (have != 1 && have != want)) {
                throw new IllegalArgumentException("The expanded size of the tensor (" + sizes[i]
                        + ") must match the existing size (" + have + ") at non-singleton dimension " + i
                        + ": target sizes " + Arrays.toString(sizes) + ", tensor shape " + t.shape.dimsString());
            }
            outSizes[i] = want;
            strides[i] = src >= 0 && have == want ? t.strides[src] : 0;
        }
        Shape source = t.shape;
        Tensor out = view(t, Shape.of(outSizes), strides, t.offset);
        return Op.recordUnary("ExpandBackward0", t, out, g -> Reductions.sumTo(g, source));
    }

    static Tensor flatten(Tensor t, int startDim, int endDim) {
        if (t.dim() == 0) {
            return t.reshape(1);
        }
        int s = t.shape.normalizeDim(startDim);
        int e = t.shape.normalizeDim(endDim);
        if (s > e) {
            throw new IllegalArgumentException("flatten() has invalid args: start_dim " + startDim
                    + " cannot come after end_dim " + endDim);
        }
        int[] sizes = t.shape.toArray();
        int[] out = new int[sizes.length - (e - s)];
        int k = 0;
        for (int i = 0; i < s; i++) {
            out[k++] = sizes[i];
        }
        int prod = 1;
        for (int i = s; i <= e; i++) {
            prod *= sizes[i];
        }
        out[k++] = prod;
        for (int i = e + 1; i < sizes.length; i++) {
            out[k++] = sizes[i];
        }
        return t.reshape(out);
    }

    /** A row-major copy with its own storage; gradient passes straight through. */
    static Tensor copy(Tensor t) {
        Tensor out = Tensor.wrapArray(t.gathered(), t.shape);
        return Op.recordUnary("CloneBackward0", t, out, g -> g);
    }

    private static int[] removeAt(int[] a, int i) {
        int[] r = new int[a.length - 1];
        System.arraycopy(a, 0, r, 0, i);
        System.arraycopy(a, i + 1, r, i, a.length - i - 1);
        return r;
    }

    private static int[] insertAt(int[] a, int i, int v) {
        int[] r = new int[a.length + 1];
        System.arraycopy(a, 0, r, 0, i);
        r[i] = v;
        System.arraycopy(a, i, r, i + 1, a.length - i);
        return r;
    }
}
