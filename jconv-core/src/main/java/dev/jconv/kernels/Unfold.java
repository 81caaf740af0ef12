package dev.jconv.kernels;

/**
 * Reads rows of a convolution's unfolded (im2col) matrix for one group, its columns running over the
 * (image, output position) pairs of the whole batch. Row r = (c, ki, kj) of column (n, s) is the input value
 * that kernel tap (ki, kj) of channel c sees at output position s of image n, or 0 in the padding.
 *
 * <p>Planes with short output rows (under {@link #MAP_BELOW} positions: the 12×12, 6×6 and 3×3 planes of deep
 * layers) are read through a table of input offsets per tap and position, one lookup per element; copying
 * them output row by output row cost a call per two or three elements. Wider planes are copied row by row.
 */
final class Unfold {
    /** Output rows narrower than this are read through the offset table. */
    static final int MAP_BELOW = 16;

    private final ConvGeometry g;
    private final float[] x;
    /** Input offset within a plane per (tap, position), −1 in the padding; null for wide planes. */
    private final int[] map;

    Unfold(ConvGeometry g, float[] x) {
        this.g = g;
        this.x = x;
        this.map = g.outW() < MAP_BELOW ? offsets(g) : null;
    }

    private static int[] offsets(ConvGeometry g) {
        int sp = g.outH() * g.outW();
        int taps = g.kernelH() * g.kernelW();
        int[] m = new int[taps * sp];
        for (int t = 0; t < taps; t++) {
            int ki = t / g.kernelW();
            int kj = t % g.kernelW();
            for (int s = 0; s < sp; s++) {
                int iy = s / g.outW() * g.strideH() - g.padTop() + ki * g.dilationH();
                int ix = s % g.outW() * g.strideW() - g.padLeft() + kj * g.dilationW();
                boolean inside = iy >= 0 && iy < g.height() && ix >= 0 && ix < g.width();
                m[t * sp + s] = inside ? iy * g.width() + ix : -1;
            }
        }
        return m;
    }

    /** Writes entries {@code [j0, j0 + count)} of row r of group grp's unfolded matrix to {@code dst[d ...]}. */
    void columns(int grp, int r, int j0, int count, float[] dst, int d) {
        int sp = g.outH() * g.outW();
        int inPlane = g.height() * g.width();
        int taps = g.kernelH() * g.kernelW();
        int c = r / taps;
        int tapOff = (r % taps) * sp;
        for (int j = j0; j < j0 + count; ) {
            int n = j / sp;
            int s0 = j % sp;
            int seg = Math.min(j0 + count - j, sp - s0);
            int planeBase = (n * g.inChannels() + grp * g.inPerGroup()) * inPlane;
            int dd = d + (j - j0);
            if (map == null) {
                Conv2dFloat.unfoldRow(g, x, planeBase, r, s0, seg, dst, dd);
            } else {
                int base = planeBase + c * inPlane;
                for (int i = 0; i < seg; i++) {
                    int m = map[tapOff + s0 + i];
                    dst[dd + i] = m < 0 ? 0f : x[base + m];
                }
            }
            j += seg;
        }
    }
}
