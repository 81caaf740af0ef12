package dev.jconv.kernels;

/**
 * Gathers and scatters through per-dimension index maps: output element (i0, i1, …) reads input element
 * (map0[i0], map1[i1], …), or a fill value where any map entry is -1. Padding in every mode (constant,
 * reflect, replicate, circular) is one such map per dimension; its backward is the matching scatter-add.
 */
public final class IndexMaps {
    private IndexMaps() {
    }

    /** Row-major output of sizes {@code maps[d].length}, read from the strided input view. */
    public static double[] gather(double[] src, int offset, int[] strides, int[][] maps, double fill) {
        int rank = maps.length;
        int[] outSizes = new int[rank];
        long[][] contrib = contributions(strides, maps, outSizes);
        int n = Layout.numel(outSizes);
        double[] out = new double[n];
        if (n == 0) {
            return out;
        }
        int[] idx = new int[rank];
        for (int o = 0; o < n; o++) {
            long pos = offset;
            for (int d = 0; d < rank; d++) {
                pos += contrib[d][idx[d]];
            }
            out[o] = pos < 0 ? fill : src[(int) pos];
            step(idx, outSizes);
        }
        return out;
    }

    /**
     * Adds each element of {@code values} (shaped like the maps) into the input-shaped array {@code dst}
     * (row-major with {@code strides}) at the mapped position; entries mapped to -1 are dropped.
     */
    public static void scatterAdd(double[] values, double[] dst, int[] strides, int[][] maps) {
        int rank = maps.length;
        int[] outSizes = new int[rank];
        long[][] contrib = contributions(strides, maps, outSizes);
        int[] idx = new int[rank];
        for (int o = 0; o < values.length; o++) {
            long pos = 0;
            for (int d = 0; d < rank; d++) {
                pos += contrib[d][idx[d]];
            }
            if (pos >= 0) {
                dst[(int) pos] += values[o];
            }
            step(idx, outSizes);
        }
    }

    /** map[i] · stride per dimension, with a large negative marker for -1 so any sum with it stays negative. */
    private static long[][] contributions(int[] strides, int[][] maps, int[] outSizes) {
        long[][] contrib = new long[maps.length][];
        for (int d = 0; d < maps.length; d++) {
            outSizes[d] = maps[d].length;
            contrib[d] = new long[maps[d].length];
            for (int i = 0; i < maps[d].length; i++) {
                contrib[d][i] = maps[d][i] < 0 ? Long.MIN_VALUE / 4 : (long) maps[d][i] * strides[d];
            }
        }
        return contrib;
    }

    private static void step(int[] idx, int[] sizes) {
        for (int d = idx.length - 1; d >= 0; d--) {
            if (++idx[d] < sizes[d]) {
                return;
            }
            idx[d] = 0;
        }
    }
}
