package dev.jconv.tensor;

import dev.jconv.random.Generator;
import dev.jconv.storage.DType;
import dev.jconv.storage.Shape;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.List;

/** Factories: tensors from Java arrays, ranges and random streams. */
final class Creation {
    private Creation() {
    }

    static Tensor arange(double start, double end, double step, DType dtype) {
        if (step == 0) {
            throw new IllegalArgumentException("arange: step must be nonzero");
        }
        if ((end - start) / step < 0) {
            throw new IllegalArgumentException("arange: upper bound and larger bound inconsistent with step sign: start="
                    + start + ", end=" + end + ", step=" + step);
        }
        int n = (int) Math.ceil((end - start) / step);
        double[] data = new double[n];
        for (int i = 0; i < n; i++) {
            data[i] = dtype.round(start + i * step);
        }
        return Tensor.wrap(data, Shape.of(n), dtype);
    }

    /** Walks nested Java arrays (any primitive or boxed element type), checking they are rectangular. */
    static Tensor fromNested(Object nested, DType dtype) {
        if (nested == null || !nested.getClass().isArray()) {
            throw new IllegalArgumentException("expected a (nested) Java array, got "
                    + (nested == null ? "null" : nested.getClass().getSimpleName()));
        }
        List<Integer> dims = new ArrayList<>();
        Object probe = nested;
        while (probe != null && probe.getClass().isArray()) {
            int len = Array.getLength(probe);
            dims.add(len);
            probe = len > 0 ? Array.get(probe, 0) : null;
        }
        int[] sizes = dims.stream().mapToInt(Integer::intValue).toArray();
        Shape shape = Shape.of(sizes);
        if (dtype == DType.INT64) {
            long[] data = new long[shape.numel()];
            fill(nested, 0, sizes, (i, item) -> data[i] = toLong(item));
            return Tensor.wrap(data, shape);
        }
        double[] data = new double[shape.numel()];
        fill(nested, 0, sizes, (i, item) -> data[i] = dtype.round(toDouble(item)));
        return Tensor.wrap(data, shape, dtype);
    }

    /** Takes the leaf element at a row-major position. */
    private interface Sink {
        void put(int position, Object item);
    }

    private static void fill(Object nested, int depth, int[] sizes, Sink sink) {
        fill(nested, depth, sizes, sink, new int[1]);
    }

    private static void fill(Object array, int depth, int[] sizes, Sink sink, int[] pos) {
        int len = Array.getLength(array);
        if (len != sizes[depth]) {
            throw new IllegalArgumentException("expected sequence of length " + sizes[depth] + " at dim " + depth
                    + " (got " + len + "): nested arrays must be rectangular");
        }
        for (int i = 0; i < len; i++) {
            Object item = Array.get(array, i);
            if (depth + 1 < sizes.length) {
                if (item == null || !item.getClass().isArray()) {
                    throw new IllegalArgumentException("expected an array at dim " + (depth + 1) + ", got " + item);
                }
                fill(item, depth + 1, sizes, sink, pos);
            } else {
                sink.put(pos[0]++, item);
            }
        }
    }

    /** A Java integer as itself; any other number truncated toward zero, as {@code torch.tensor(…, dtype=int64)}. */
    private static long toLong(Object item) {
        if (item instanceof Long || item instanceof Integer || item instanceof Short || item instanceof Byte) {
            return ((Number) item).longValue();
        }
        return (long) DType.INT64.round(toDouble(item));
    }

    private static double toDouble(Object item) {
        if (item instanceof Number n) {
            return n.doubleValue();
        }
        if (item instanceof Boolean b) {
            return b ? 1 : 0;
        }
        throw new IllegalArgumentException("cannot make a tensor element from " + item);
    }

    static Tensor rand(Shape shape, DType dtype, Generator g) {
        int n = shape.numel();
        double[] data = new double[n];
        if (dtype == DType.FLOAT32) {
            float[] f = g.uniformFloat(n, 0, 1);
            for (int i = 0; i < n; i++) {
                data[i] = f[i];
            }
        } else if (dtype == DType.FLOAT64) {
            data = g.uniformDouble(n, 0, 1);
        } else {
            throw new IllegalArgumentException("rand needs a floating point dtype, got " + dtype);
        }
        return Tensor.wrap(data, shape, dtype);
    }

    static Tensor randn(Shape shape, DType dtype, Generator g) {
        int n = shape.numel();
        double[] data = new double[n];
        if (dtype == DType.FLOAT32) {
            float[] f = g.normalFloat(n, 0, 1);
            for (int i = 0; i < n; i++) {
                data[i] = f[i];
            }
        } else if (dtype == DType.FLOAT64) {
            data = g.normalDouble(n, 0, 1);
        } else {
            throw new IllegalArgumentException("randn needs a floating point dtype, got " + dtype);
        }
        return Tensor.wrap(data, shape, dtype);
    }

    static Tensor randint(long low, long high, Shape shape, Generator g) {
        if (low >= high) {
            throw new IllegalArgumentException("randint: expected low < high, but got low=" + low + ", high=" + high);
        }
        return Tensor.wrap(g.randint(low, high, shape.numel()), shape);
    }

    static Tensor randperm(int n, Generator g) {
        if (n < 0) {
            throw new IllegalArgumentException("randperm: n must be non-negative, got " + n);
        }
        return Tensor.wrap(g.randperm(n), Shape.of(n));
    }
}
