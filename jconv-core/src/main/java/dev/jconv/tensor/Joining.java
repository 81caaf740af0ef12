package dev.jconv.tensor;

import dev.jconv.kernels.Layout;
import dev.jconv.storage.DType;
import dev.jconv.storage.Shape;

/** {@code cat} and {@code stack}: joining tensors along a dimension, and their backward rule (slicing). */
final class Joining {
    private Joining() {
    }

    static Tensor cat(Tensor[] tensors, int dim) {
        if (tensors.length == 0) {
            throw new IllegalArgumentException("cat expects a non-empty list of tensors");
        }
        Tensor first = tensors[0];
        if (first.dim() == 0) {
            throw new IllegalArgumentException("zero-dimensional tensor (at position 0) cannot be concatenated");
        }
        int d = first.shape().normalizeDim(dim);
        int[] sizes = first.shape().toArray();
        DType dtype = first.dtype();
        int total = 0;
        for (int i = 0; i < tensors.length; i++) {
            Tensor t = tensors[i];
            if (t.dim() != first.dim()) {
                throw new IllegalArgumentException("Tensors must have same number of dimensions: got " + first.dim()
                        + " and " + t.dim() + " (tensor " + i + " has shape " + t.shape().dimsString() + ")");
            }
            for (int k = 0; k < sizes.length; k++) {
                if (k != d && t.size(k) != sizes[k]) {
                    throw new IllegalArgumentException("Sizes of tensors must match except in dimension " + d
                            + ". Expected size " + sizes[k] + " but got size " + t.size(k) + " for tensor number " + i
                            + " in the list (shapes " + first.shape().dimsString() + " and " + t.shape().dimsString() + ")");
                }
            }
            dtype = DType.promote(dtype, t.dtype());
            total += t.size(d);
        }
        int outer = 1;
        for (int k = 0; k < d; k++) {
            outer *= sizes[k];
        }
        int[] chunks = new int[tensors.length];
        for (int i = 0; i < tensors.length; i++) {
            chunks[i] = outer == 0 ? 0 : tensors[i].numel() / Math.max(outer, 1);
        }
        sizes[d] = total;
        Tensor out;
        if (dtype == DType.FLOAT32) {
            float[][] parts = new float[tensors.length][];
            for (int i = 0; i < tensors.length; i++) {
                parts[i] = tensors[i].to(dtype).floatValues(); // read only: concat copies the parts
            }
            out = Tensor.wrap(Layout.concat(parts, chunks, outer), Shape.of(sizes));
        } else if (dtype == DType.FLOAT64) {
            double[][] parts = new double[tensors.length][];
            for (int i = 0; i < tensors.length; i++) {
                parts[i] = tensors[i].to(dtype).values();
            }
            out = Tensor.wrap(Layout.concat(parts, chunks, outer), Shape.of(sizes), dtype);
        } else {
            long[][] parts = new long[tensors.length][]; // int64 exactly; bool as 0/1, converted back below
            for (int i = 0; i < tensors.length; i++) {
                parts[i] = tensors[i].to(dtype).longValues();
            }
            out = Tensor.wrap(Layout.concat(parts, chunks, outer), Shape.of(sizes)).to(dtype);
        }
        if (!Op.needed(tensors)) {
            return out;
        }
        out.setGradFn(new Op(tensors) {
            @Override
            public String name() {
                return "CatBackward0";
            }

            @Override
            Tensor[] gradients(Tensor g) {
                Tensor[] grads = new Tensor[tensors.length];
                int start = 0;
                for (int i = 0; i < tensors.length; i++) {
                    int len = inputShape(i).get(d);
                    grads[i] = needsGrad(i) ? g.slice(d, start, start + len).to(tensors[i].dtype()) : null;
                    start += len;
                }
                return grads;
            }
        });
        return out;
    }

    static Tensor stack(Tensor[] tensors, int dim) {
        if (tensors.length == 0) {
            throw new IllegalArgumentException("stack expects a non-empty list of tensors");
        }
        int d = Shape.normalizeDim(dim, tensors[0].dim() + 1);
        Tensor[] expanded = new Tensor[tensors.length];
        for (int i = 0; i < tensors.length; i++) {
            if (!tensors[i].shape().equals(tensors[0].shape())) {
                throw new IllegalArgumentException("stack expects each tensor to be equal size, but got "
                        + tensors[0].shape().dimsString() + " at entry 0 and " + tensors[i].shape().dimsString()
                        + " at entry " + i);
            }
            expanded[i] = tensors[i].unsqueeze(d);
        }
        return cat(expanded, d);
    }
}
