package dev.jconv.tensor;

import dev.jconv.kernels.Gemm;
import dev.jconv.kernels.Layout;
import dev.jconv.kernels.Sgemm;
import dev.jconv.storage.DType;
import dev.jconv.storage.Shape;

/** Matrix products with PyTorch's {@code matmul} rules and their backward rule. */
final class LinearAlgebra {
    private LinearAlgebra() {
    }

    static Tensor matmul(Tensor a, Tensor b) {
        if (a.dim() == 0 || b.dim() == 0) {
            throw new IllegalArgumentException("both arguments to matmul need to be at least 1D, but they are "
                    + a.dim() + "D and " + b.dim() + "D");
        }
        // Vectors become matrices (a row for the left, a column for the right), then the added dim goes away.
        Tensor a2 = a.dim() == 1 ? a.unsqueeze(0) : a;
        Tensor b2 = b.dim() == 1 ? b.unsqueeze(1) : b;
        Tensor out = batched(a2, b2);
        if (a.dim() == 1) {
            out = out.squeeze(-2);
        }
        if (b.dim() == 1) {
            out = out.squeeze(-1);
        }
        return out;
    }

    /** (..., m, k) @ (..., k, n) with broadcast batch dimensions. */
    private static Tensor batched(Tensor a, Tensor b) {
        int m = a.size(-2);
        int k = a.size(-1);
        int n = b.size(-1);
        if (b.size(-2) != k) {
            throw new IllegalArgumentException("mat1 and mat2 shapes cannot be multiplied (" + m + "x" + k + " and "
                    + b.size(-2) + "x" + n + "): shapes " + a.shape().dimsString() + " and " + b.shape().dimsString());
        }
        int[] aBatch = java.util.Arrays.copyOf(a.shape().toArray(), a.dim() - 2);
        int[] bBatch = java.util.Arrays.copyOf(b.shape().toArray(), b.dim() - 2);
        Shape batch = Shape.broadcast(Shape.of(aBatch), Shape.of(bBatch));
        int batches = batch.numel();
        DType dtype = DType.promote(a.dtype(), b.dtype());
        int[] outSizes = java.util.Arrays.copyOf(batch.toArray(), batch.rank() + 2);
        outSizes[batch.rank()] = m;
        outSizes[batch.rank() + 1] = n;
        Tensor out;
        if (a.dtype() == DType.FLOAT32 && b.dtype() == DType.FLOAT32) {
            // Float32 products accumulate in float, as PyTorch's do, on the packed SGEMM.
            float[] c = new float[batches * m * n];
            if (a.dim() == 2 && b.dim() == 2) {
                // Strided views (a transposed weight) go to the packing as they are, without a copy.
                Sgemm.gemm(m, n, k, a.storage.readFloats(), a.offset, a.strides[0], a.strides[1],
                        b.storage.readFloats(), b.offset, b.strides[0], b.strides[1], c, 0, n, 1);
                out = Tensor.wrap(c, Shape.of(outSizes));
                return record(a, b, out);
            }
            float[] av = floatValues(a, batch, m, k);
            float[] bv = floatValues(b, batch, k, n);
            for (int i = 0; i < batches; i++) {
                Sgemm.gemm(m, n, k, av, i * m * k, k, 1, bv, i * k * n, n, 1, c, i * m * n, n, 1);
            }
            out = Tensor.wrap(c, Shape.of(outSizes));
        } else {
            double[] av = values(a, batch, m, k);
            double[] bv = values(b, batch, k, n);
            double[] c = new double[batches * m * n];
            for (int i = 0; i < batches; i++) {
                if (dtype == DType.FLOAT32) {
                    Sgemm.gemm(m, n, k, av, i * m * k, k, 1, bv, i * k * n, n, 1, c, i * m * n, n, 1);
                } else {
                    Gemm.gemm(m, n, k, av, i * m * k, false, bv, i * k * n, false, c, i * m * n, false);
                }
            }
            for (int i = 0; i < c.length; i++) {
                c[i] = dtype.round(c[i]);
            }
            out = Tensor.wrap(c, Shape.of(outSizes), dtype);
        }
        return record(a, b, out);
    }

    private static Tensor record(Tensor a, Tensor b, Tensor out) {
        if (!Op.needed(a, b)) {
            return out;
        }
        out.setGradFn(new Op(a, b) {
            private final int sa = save(a);
            private final int sb = save(b);

            @Override
            public String name() {
                return a.dim() == 2 && b.dim() == 2 ? "MmBackward0" : "BmmBackward0";
            }

            @Override
            Tensor[] gradients(Tensor g) {
                Tensor x = saved(sa).detach();
                Tensor y = saved(sb).detach();
                Tensor ga = needsGrad(0) ? Reductions.sumTo(g.matmul(y.transpose(-1, -2)), x.shape()) : null;
                Tensor gb = needsGrad(1) ? Reductions.sumTo(x.transpose(-1, -2).matmul(g), y.shape()) : null;
                return new Tensor[] {ga, gb};
            }
        });
        return out;
    }

    private static double[] values(Tensor t, Shape batch, int rows, int cols) {
        return expanded(t, batch, rows, cols).values();
    }

    private static float[] floatValues(Tensor t, Shape batch, int rows, int cols) {
        Tensor e = expanded(t, batch, rows, cols);
        return Layout.gather(e.storage.readFloats(), e.offset, e.shape().toArray(), e.strides);
    }

    /** t seen as (batch..., rows, cols), its batch dimensions broadcast. */
    private static Tensor expanded(Tensor t, Shape batch, int rows, int cols) {
        int[] sizes = java.util.Arrays.copyOf(batch.toArray(), batch.rank() + 2);
        sizes[batch.rank()] = rows;
        sizes[batch.rank() + 1] = cols;
        return t.detach().expand(sizes);
    }
}
