package dev.jconv.kernels;

/** Moves elements between strided views and contiguous arrays. */
public final class Layout {
    private Layout() {
    }

    /** {@link #gather(double[], int, int[], int[])} for float arrays. */
    public static float[] gather(float[] src, int offset, int[] shape, int[] strides) {
        int n = numel(shape);
        float[] out = new float[n];
        if (n == 0) {
            return out;
        }
        if (isContiguous(shape, strides)) {
            System.arraycopy(src, offset, out, 0, n);
            return out;
        }
        int[] idx = new int[shape.length];
        int pos = offset;
        int last = shape.length - 1;
        int inner = shape[last];
        int innerStride = strides[last];
        for (int o = 0; o < n; o += inner) {
            if (innerStride == 1) {
                System.arraycopy(src, pos, out, o, inner);
            } else {
                for (int j = 0, p = pos; j < inner; j++, p += innerStride) {
                    out[o + j] = src[p];
                }
            }
            pos = advance(idx, shape, strides, pos, last - 1);
        }
        return out;
    }

    /**
     * Adds the view (offset, shape, strides) of {@code src}, in row-major order, into {@code dst}: what
     * {@code FloatKernels.addInPlace(dst, gather(src, offset, shape, strides))} does, bit for bit, without the
     * gathered copy. Rows of the first dimension (images, for a slice of a concatenation's gradient) in parallel.
     */
    public static void addInto(float[] dst, float[] src, int offset, int[] shape, int[] strides) {
        int n = numel(shape);
        if (n == 0) {
            return;
        }
        int rows = shape.length == 0 ? 1 : shape[0];
        int perRow = n / rows;
        int rowStride = shape.length == 0 ? 0 : strides[0];
        int[] rowShape = java.util.Arrays.copyOfRange(shape, Math.min(1, shape.length), shape.length);
        int[] rowStrides = java.util.Arrays.copyOfRange(strides, Math.min(1, strides.length), strides.length);
        Parallel.forRange(rows, Math.max(1, (1 << 15) / perRow),
                r -> addRow(dst, r * perRow, src, offset + r * rowStride, rowShape, rowStrides));
    }

    /** {@link #addInto} for one row: dst[d + i] += the i-th element of the view. */
    private static void addRow(float[] dst, int d, float[] src, int pos, int[] shape, int[] strides) {
        int last = shape.length - 1;
        int inner = last < 0 ? 1 : shape[last];
        int step = last < 0 ? 1 : strides[last];
        int[] idx = new int[shape.length];
        for (int o = d, end = d + numel(shape); o < end; o += inner) {
            for (int j = 0, p = pos; j < inner; j++, p += step) {
                dst[o + j] += src[p];
            }
            pos = advance(idx, shape, strides, pos, last - 1);
        }
    }

    /** Copies the view (offset, shape, strides) of {@code src} into a new row-major array. */
    public static double[] gather(double[] src, int offset, int[] shape, int[] strides) {
        int n = numel(shape);
        double[] out = new double[n];
        if (n == 0) {
            return out;
        }
        if (isContiguous(shape, strides)) {
            System.arraycopy(src, offset, out, 0, n);
            return out;
        }
        int rank = shape.length;
        int[] idx = new int[rank];
        int pos = offset;
        int last = rank - 1;
        int inner = shape[last];
        int innerStride = strides[last];
        for (int o = 0; o < n; o += inner) {
            for (int j = 0, p = pos; j < inner; j++, p += innerStride) {
                out[o + j] = src[p];
            }
            pos = advance(idx, shape, strides, pos, last - 1);
        }
        return out;
    }

    /** Writes row-major {@code values} (or one value when its length is 1) into the view of {@code dst}. */
    public static void scatter(double[] values, double[] dst, int offset, int[] shape, int[] strides) {
        int n = numel(shape);
        if (n == 0) {
            return;
        }
        boolean single = values.length == 1 && n != 1;
        int rank = shape.length;
        if (rank == 0) {
            dst[offset] = values[0];
            return;
        }
        int[] idx = new int[rank];
        int pos = offset;
        int last = rank - 1;
        int inner = shape[last];
        int innerStride = strides[last];
        for (int o = 0; o < n; o += inner) {
            for (int j = 0, p = pos; j < inner; j++, p += innerStride) {
                dst[p] = single ? values[0] : values[o + j];
            }
            pos = advance(idx, shape, strides, pos, last - 1);
        }
    }

    /** {@link #scatter(double[], double[], int, int[], int[])} for float arrays. */
    public static void scatter(float[] values, float[] dst, int offset, int[] shape, int[] strides) {
        int n = numel(shape);
        if (n == 0) {
            return;
        }
        if (shape.length == 0) {
            dst[offset] = values[0];
            return;
        }
        boolean single = values.length == 1 && n != 1;
        int[] idx = new int[shape.length];
        int pos = offset;
        int last = shape.length - 1;
        for (int o = 0; o < n; o += shape[last]) {
            for (int j = 0, p = pos; j < shape[last]; j++, p += strides[last]) {
                dst[p] = values[single ? 0 : o + j];
            }
            pos = advance(idx, shape, strides, pos, last - 1);
        }
    }

    /**
     * The storage position of each element of the view (offset, shape, strides), in row-major order: the
     * int64 and bool copies below index through it (they are never on a hot path).
     */
    public static int[] positions(int offset, int[] shape, int[] strides) {
        int n = numel(shape);
        int[] out = new int[n];
        if (n == 0) {
            return out;
        }
        int last = shape.length - 1;
        if (last < 0) {
            out[0] = offset;
            return out;
        }
        int[] idx = new int[shape.length];
        int pos = offset;
        for (int o = 0; o < n; o += shape[last]) {
            for (int j = 0, p = pos; j < shape[last]; j++, p += strides[last]) {
                out[o + j] = p;
            }
            pos = advance(idx, shape, strides, pos, last - 1);
        }
        return out;
    }

    /** {@link #gather(double[], int, int[], int[])} for int64 values. */
    public static long[] gather(long[] src, int offset, int[] shape, int[] strides) {
        int[] at = positions(offset, shape, strides);
        long[] out = new long[at.length];
        for (int i = 0; i < at.length; i++) {
            out[i] = src[at[i]];
        }
        return out;
    }

    /** {@link #gather(double[], int, int[], int[])} for bool values. */
    public static boolean[] gather(boolean[] src, int offset, int[] shape, int[] strides) {
        int[] at = positions(offset, shape, strides);
        boolean[] out = new boolean[at.length];
        for (int i = 0; i < at.length; i++) {
            out[i] = src[at[i]];
        }
        return out;
    }

    /** {@link #scatter(double[], double[], int, int[], int[])} for int64 values. */
    public static void scatter(long[] values, long[] dst, int offset, int[] shape, int[] strides) {
        int[] at = positions(offset, shape, strides);
        for (int i = 0; i < at.length; i++) {
            dst[at[i]] = values[values.length == 1 ? 0 : i];
        }
    }

    /** {@link #scatter(double[], double[], int, int[], int[])} for bool values. */
    public static void scatter(boolean[] values, boolean[] dst, int offset, int[] shape, int[] strides) {
        int[] at = positions(offset, shape, strides);
        for (int i = 0; i < at.length; i++) {
            dst[at[i]] = values[values.length == 1 ? 0 : i];
        }
    }

    /** Steps the multi-index over dimensions {@code 0..dim} (odometer order) and returns the new position. */
    private static int advance(int[] idx, int[] shape, int[] strides, int pos, int dim) {
        for (int d = dim; d >= 0; d--) {
            idx[d]++;
            pos += strides[d];
            if (idx[d] < shape[d]) {
                return pos;
            }
            pos -= strides[d] * shape[d];
            idx[d] = 0;
        }
        return pos;
    }

    /** True when the strides are the row-major strides of the shape (size-1 dimensions ignored). */
    public static boolean isContiguous(int[] shape, int[] strides) {
        int expected = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] != 1 && strides[i] != expected) {
                return false;
            }
            expected *= shape[i];
        }
        return true;
    }

    /** Product of the sizes. */
    public static int numel(int[] shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    /**
     * Concatenates row-major blocks: for each of {@code outer} rows, copies {@code chunks[i]} values from
     * each part {@code i} in turn.
     */
    public static double[] concat(double[][] parts, int[] chunks, int outer) {
        double[] out = new double[outer * rowLength(chunks)];
        concatInto(parts, chunks, outer, out);
        return out;
    }

    /** {@link #concat(double[][], int[], int)} for float arrays. */
    public static float[] concat(float[][] parts, int[] chunks, int outer) {
        float[] out = new float[outer * rowLength(chunks)];
        concatInto(parts, chunks, outer, out);
        return out;
    }

    /** {@link #concat(double[][], int[], int)} for int64 values. */
    public static long[] concat(long[][] parts, int[] chunks, int outer) {
        long[] out = new long[outer * rowLength(chunks)];
        concatInto(parts, chunks, outer, out);
        return out;
    }

    private static int rowLength(int[] chunks) {
        int rowLength = 0;
        for (int c : chunks) {
            rowLength += c;
        }
        return rowLength;
    }

    /** The copies of concat, for arrays of any one primitive type (System.arraycopy checks the types). */
    private static void concatInto(Object[] parts, int[] chunks, int outer, Object out) {
        int pos = 0;
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < parts.length; i++) {
                System.arraycopy(parts[i], o * chunks[i], out, pos, chunks[i]);
                pos += chunks[i];
            }
        }
    }

    /** Float values as doubles (exact). */
    public static double[] widen(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }

    /** Double values rounded to float. */
    public static float[] narrow(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }
}
