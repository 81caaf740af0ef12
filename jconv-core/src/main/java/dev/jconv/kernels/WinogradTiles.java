package dev.jconv.kernels;

import static dev.jconv.kernels.Sgemm.NR;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The tile transforms of {@link Winograd}, vectorised along runs of up to VL tiles of one tile row: a tile's
 * inputs are columns 2t … 2t + 3 of four rows, so a run's rows split into even and odd columns (and the same
 * one tile on) with two-table permutes, and each of the sixteen transformed values of the run is one vector.
 * The input is first copied into zero-padded planes that hold every tile's window, so that the loads need
 * no bounds or masks. The scalar paths compute the same values in the same order: the same bits.
 */
final class WinogradTiles {
    private static final int VL = Vectors.FLOAT_LANES;

    private WinogradTiles() {
    }

    /** Input planes (all N·C of them) zero-padded to {@code hp × wp}, the window of every tile inside. */
    record Padded(float[] data, int hp, int wp) {
        int planeSize() {
            return hp * wp;
        }
    }

    /**
     * Copies the input into planes of (2·tilesH + 2) × (2·tilesW + 2), input (iy, ix) at (iy + padTop,
     * ix + padLeft), zeros elsewhere, with slack after the last plane for the vector loads' over-read. The
     * array is the calling thread's {@link Workspace#INPUT_P}.
     */
    static Padded pad(ConvGeometry g, float[] x, int tilesH, int tilesW) {
        int hp = 2 * tilesH + 2;
        int wp = 2 * tilesW + 2;
        int planes = g.batch() * g.inChannels();
        int size = planes * hp * wp;
        float[] p = Workspace.get().floats(Workspace.INPUT_P, size + 2 * VL + 4);
        java.util.Arrays.fill(p, size, size + 2 * VL + 4, 0f);
        int h = g.height();
        int w = g.width();
        int top = g.padTop();
        int left = g.padLeft();
        // Padded columns [lo, hi) hold input columns [lo − left, hi − left).
        int lo = Math.min(wp, left);
        int hi = Math.max(lo, Math.min(wp, left + w));
        Parallel.forRange(planes, 8, q -> {
            int d0 = q * hp * wp;
            int s0 = q * h * w;
            for (int py = 0; py < hp; py++) {
                int iy = py - top;
                int d = d0 + py * wp;
                if (iy < 0 || iy >= h) {
                    java.util.Arrays.fill(p, d, d + wp, 0f);
                    continue;
                }
                java.util.Arrays.fill(p, d, d + lo, 0f);
                System.arraycopy(x, s0 + iy * w + lo - left, p, d + lo, hi - lo);
                java.util.Arrays.fill(p, d + hi, d + wp, 0f);
            }
        });
        return new Padded(p, hp, wp);
    }

    /**
     * V = Bᵀ·d·B (Bᵀ = [[1,0,−1,0],[0,1,1,0],[0,−1,1,0],[0,1,0,−1]]) for tiles [t0, t0 + nt) of the {@code cg}
     * planes from padded plane {@code plane0}: element ξ of channel c's tile in column j0 + i goes to
     * {@code v[ξ·vStride + c·rowStride + j0 + i]} (a packed B panel in the forward, a row-major A operand in
     * the weight gradient).
     */
    static void input(Padded p, int plane0, int cg, int t0, int nt, int j0, int tilesW, float[] v, int vStride,
                      int rowStride) {
        boolean vec = Sgemm.vectorized();
        // Rows of at most half a vector of tiles (12×12 and 6×6 planes) go two to a run: a one-row run left more
        // than half the lanes idle.
        boolean pairs = vec && VL == 16 && tilesW <= VL / 2;
        for (int tile = t0; tile < t0 + nt; ) {
            int ty = tile / tilesW;
            int tx = tile % tilesW;
            int jt = j0 + tile - t0;
            boolean pair = pairs && tx == 0 && tile + 2 * tilesW <= t0 + nt;
            int run = pair ? 2 * tilesW : Math.min(VL, Math.min(tilesW - tx, t0 + nt - tile));
            for (int c = 0; c < cg; c++) {
                int b = (plane0 + c) * p.planeSize() + 2 * ty * p.wp() + 2 * tx;
                // Two call sites, so that one row's permutations stay constants (loaded from the pairs' table,
                // 56×56 planes ran a few percent slower in some runs, within this machine's noise in others); the
                // second load is the next VL inputs of the row, or the same inputs two padded rows down.
                if (pair) {
                    inputRun(p.data(), b, b + 2 * p.wp(), p.wp(), Species.EVEN_PAIRS[tilesW],
                            Species.ODD_PAIRS[tilesW], run, v, c * rowStride + jt, vStride);
                } else if (vec) {
                    inputRun(p.data(), b, b + VL, p.wp(), Species.EVEN, Species.ODD, run, v, c * rowStride + jt,
                            vStride);
                } else {
                    inputRunScalar(p.data(), b, p.wp(), run, v, c * rowStride + jt, vStride);
                }
            }
            tile += run;
        }
    }

    /**
     * One run of {@code run} tiles: e, o are the even and odd columns of the four rows, f, q the same one tile on;
     * Bᵀ combines the rows, B the columns. A row's columns come from two loads, at b and b2 (the next VL floats
     * of one tile row, or the second of two tile rows two padded rows down), picked by the two-table permutes
     * {@code even} and {@code odd} (constants passed in, not computed: a helper taking computed vectors boxed
     * them where C2 did not inline it). Written out rather than through such helpers.
     */
    private static void inputRun(float[] xp, int b, int b2, int wp, FloatVector even, FloatVector odd, int run,
                                 float[] v, int dst, int vStride) {
        VectorSpecies<Float> S = Species.FLOAT;
        FloatVector lo = FloatVector.fromArray(S, xp, b);
        FloatVector hi = FloatVector.fromArray(S, xp, b2);
        FloatVector lo2 = FloatVector.fromArray(S, xp, b + 2);
        FloatVector hi2 = FloatVector.fromArray(S, xp, b2 + 2);
        FloatVector e0 = VectorOps.select(even, lo, hi);
        FloatVector o0 = VectorOps.select(odd, lo, hi);
        FloatVector f0 = VectorOps.select(even, lo2, hi2);
        FloatVector q0 = VectorOps.select(odd, lo2, hi2);
        lo = FloatVector.fromArray(S, xp, b + wp);
        hi = FloatVector.fromArray(S, xp, b2 + wp);
        lo2 = FloatVector.fromArray(S, xp, b + wp + 2);
        hi2 = FloatVector.fromArray(S, xp, b2 + wp + 2);
        FloatVector e1 = VectorOps.select(even, lo, hi);
        FloatVector o1 = VectorOps.select(odd, lo, hi);
        FloatVector f1 = VectorOps.select(even, lo2, hi2);
        FloatVector q1 = VectorOps.select(odd, lo2, hi2);
        lo = FloatVector.fromArray(S, xp, b + 2 * wp);
        hi = FloatVector.fromArray(S, xp, b2 + 2 * wp);
        lo2 = FloatVector.fromArray(S, xp, b + 2 * wp + 2);
        hi2 = FloatVector.fromArray(S, xp, b2 + 2 * wp + 2);
        FloatVector e2 = VectorOps.select(even, lo, hi);
        FloatVector o2 = VectorOps.select(odd, lo, hi);
        FloatVector f2 = VectorOps.select(even, lo2, hi2);
        FloatVector q2 = VectorOps.select(odd, lo2, hi2);
        lo = FloatVector.fromArray(S, xp, b + 3 * wp);
        hi = FloatVector.fromArray(S, xp, b2 + 3 * wp);
        lo2 = FloatVector.fromArray(S, xp, b + 3 * wp + 2);
        hi2 = FloatVector.fromArray(S, xp, b2 + 3 * wp + 2);
        FloatVector e3 = VectorOps.select(even, lo, hi);
        FloatVector o3 = VectorOps.select(odd, lo, hi);
        FloatVector f3 = VectorOps.select(even, lo2, hi2);
        FloatVector q3 = VectorOps.select(odd, lo2, hi2);
        boolean full = run == VL;
        VectorMask<Float> m = full ? null : S.indexInRange(0, run);
        for (int i = 0; i < 4; i++) {
            FloatVector e;
            FloatVector o;
            FloatVector f;
            FloatVector q;
            if (i == 0) {
                e = VectorOps.sub(e0, e2);
                o = VectorOps.sub(o0, o2);
                f = VectorOps.sub(f0, f2);
                q = VectorOps.sub(q0, q2);
            } else if (i == 1) {
                e = VectorOps.add(e1, e2);
                o = VectorOps.add(o1, o2);
                f = VectorOps.add(f1, f2);
                q = VectorOps.add(q1, q2);
            } else if (i == 2) {
                e = VectorOps.sub(e2, e1);
                o = VectorOps.sub(o2, o1);
                f = VectorOps.sub(f2, f1);
                q = VectorOps.sub(q2, q1);
            } else {
                e = VectorOps.sub(e1, e3);
                o = VectorOps.sub(o1, o3);
                f = VectorOps.sub(f1, f3);
                q = VectorOps.sub(q1, q3);
            }
            int d = dst + 4 * i * vStride;
            FloatVector v0 = VectorOps.sub(e, f);
            FloatVector v1 = VectorOps.add(o, f);
            FloatVector v2 = VectorOps.sub(f, o);
            FloatVector v3 = VectorOps.sub(o, q);
            if (full) {
                v0.intoArray(v, d);
                v1.intoArray(v, d + vStride);
                v2.intoArray(v, d + 2 * vStride);
                v3.intoArray(v, d + 3 * vStride);
            } else {
                v0.intoArray(v, d, m);
                v1.intoArray(v, d + vStride, m);
                v2.intoArray(v, d + 2 * vStride, m);
                v3.intoArray(v, d + 3 * vStride, m);
            }
        }
    }

    /** {@link #inputRun} tile by tile. */
    private static void inputRunScalar(float[] xp, int b, int wp, int run, float[] v, int dst, int vStride) {
        float[] e = new float[4];
        float[] o = new float[4];
        float[] f = new float[4];
        float[] q = new float[4];
        for (int t = 0; t < run; t++) {
            for (int r = 0; r < 4; r++) {
                int s = b + r * wp + 2 * t;
                e[r] = xp[s];
                o[r] = xp[s + 1];
                f[r] = xp[s + 2];
                q[r] = xp[s + 3];
            }
            for (int i = 0; i < 4; i++) {
                float ei = rowCombination(e, i);
                float oi = rowCombination(o, i);
                float fi = rowCombination(f, i);
                float qi = rowCombination(q, i);
                int d = dst + 4 * i * vStride + t;
                v[d] = ei - fi;
                v[d + vStride] = oi + fi;
                v[d + 2 * vStride] = fi - oi;
                v[d + 3 * vStride] = oi - qi;
            }
        }
    }

    /** Row i of Bᵀ applied to (x0, x1, x2, x3). */
    private static float rowCombination(float[] x, int i) {
        return switch (i) {
            case 0 -> x[0] - x[2];
            case 1 -> x[1] + x[2];
            case 2 -> x[2] - x[1];
            default -> x[1] - x[3];
        };
    }

    /**
     * Y = Aᵀ·M·A (Aᵀ = [[1,1,1,0],[0,1,−1,−1]]), plus bias, for tiles [t0, t0 + nt) of image n held in columns
     * from j0 of M ({@code m[ξ·mStride + o·ldc + column]}), into the output planes [oFrom, oTo) of group grp,
     * cropped at odd edges. A run's two output rows are stored as its two output columns interleaved.
     */
    static void output(ConvGeometry g, float[] m, int mStride, int ldc, int n, int grp, int oFrom, int oTo, int t0,
                       int nt, int j0, int tilesW, float[] bias, float[] out) {
        int oh = g.outH();
        int ow = g.outW();
        int og = g.outPerGroup();
        boolean vec = Sgemm.vectorized();
        for (int tile = t0; tile < t0 + nt; ) {
            int ty = tile / tilesW;
            int tx = tile % tilesW;
            int run = Math.min(VL, Math.min(tilesW - tx, t0 + nt - tile));
            int jt = j0 + tile - t0;
            // Outputs of the run per output row: two per tile, fewer at an odd right edge.
            int count = Math.min(2 * run, ow - 2 * tx);
            boolean second = 2 * ty + 1 < oh;
            for (int o = oFrom; o < oTo; o++) {
                int oc = grp * og + o;
                int d = ((n * g.outChannels() + oc) * oh + 2 * ty) * ow + 2 * tx;
                int s = o * ldc + jt;
                if (vec) {
                    float bv = bias == null ? 0f : bias[oc];
                    outputRow(m, s, mStride, bv, out, d, count, false);
                    if (second) {
                        outputRow(m, s, mStride, bv, out, d + ow, count, true);
                    }
                } else {
                    outputRunScalar(m, s, mStride, bias, oc, out, d, ow, run, count, second);
                }
            }
            tile += run;
        }
    }

    /**
     * One output row of a run: {@code bottom} false gives row 0 from a = M[j] + M[4 + j] + M[8 + j], true gives
     * row 1 from b = M[4 + j] − M[8 + j] − M[12 + j]; then (a0 + a1 + a2, a1 − a2 − a3) + bias. One method per
     * row, taking no vectors: in a whole network C2 stopped inlining the Vector API calls of a method with both
     * rows (its inlining budget spent), and those ran on the Java fallback, half a gigabyte a ResNet-18 step.
     */
    private static void outputRow(float[] m, int s, int mStride, float bias, float[] out, int d, int count,
                                  boolean bottom) {
        VectorSpecies<Float> S = Species.FLOAT;
        FloatVector m4 = FloatVector.fromArray(S, m, s + 4 * mStride);
        FloatVector m5 = FloatVector.fromArray(S, m, s + 5 * mStride);
        FloatVector m6 = FloatVector.fromArray(S, m, s + 6 * mStride);
        FloatVector m7 = FloatVector.fromArray(S, m, s + 7 * mStride);
        FloatVector m8 = FloatVector.fromArray(S, m, s + 8 * mStride);
        FloatVector m9 = FloatVector.fromArray(S, m, s + 9 * mStride);
        FloatVector m10 = FloatVector.fromArray(S, m, s + 10 * mStride);
        FloatVector m11 = FloatVector.fromArray(S, m, s + 11 * mStride);
        int o = bottom ? 12 * mStride : 0;
        FloatVector x0 = FloatVector.fromArray(S, m, s + o);
        FloatVector x1 = FloatVector.fromArray(S, m, s + o + mStride);
        FloatVector x2 = FloatVector.fromArray(S, m, s + o + 2 * mStride);
        FloatVector x3 = FloatVector.fromArray(S, m, s + o + 3 * mStride);
        FloatVector a0;
        FloatVector a1;
        FloatVector a2;
        FloatVector a3;
        if (bottom) {
            a0 = VectorOps.sub(VectorOps.sub(m4, m8), x0);
            a1 = VectorOps.sub(VectorOps.sub(m5, m9), x1);
            a2 = VectorOps.sub(VectorOps.sub(m6, m10), x2);
            a3 = VectorOps.sub(VectorOps.sub(m7, m11), x3);
        } else {
            a0 = VectorOps.add(VectorOps.add(x0, m4), m8);
            a1 = VectorOps.add(VectorOps.add(x1, m5), m9);
            a2 = VectorOps.add(VectorOps.add(x2, m6), m10);
            a3 = VectorOps.add(VectorOps.add(x3, m7), m11);
        }
        FloatVector bv = FloatVector.broadcast(S, bias);
        FloatVector y0 = VectorOps.add(VectorOps.add(VectorOps.add(a0, a1), a2), bv);
        FloatVector y1 = VectorOps.add(VectorOps.sub(VectorOps.sub(a1, a2), a3), bv);
        // The row's outputs: y0 and y1 interleaved, count of them. Stored here rather than by a helper taking
        // the vectors, which C2 did not always inline (every vector then boxed).
        FloatVector lo = VectorOps.select(Species.ZIP_LO, y0, y1);
        FloatVector hi = VectorOps.select(Species.ZIP_HI, y0, y1);
        if (d + 2 * VL <= out.length) {
            if (count >= VL) {
                lo.intoArray(out, d);
                if (count > VL) {
                    hi.intoArray(out, d + VL, S.indexInRange(0, count - VL));
                }
            } else {
                lo.intoArray(out, d, S.indexInRange(0, count));
            }
        } else {
            // The array's last row: a masked store whose vector does not fit in the array takes the Vector
            // API's per-lane bounds check, which C2 left uncompiled; copy instead.
            float[] tmp = new float[2 * VL];
            lo.intoArray(tmp, 0);
            hi.intoArray(tmp, VL);
            System.arraycopy(tmp, 0, out, d, count);
        }
    }

    /** {@link #outputRow} tile by tile: the same sums in the same order. */
    private static void outputRunScalar(float[] m, int s, int mStride, float[] bias, int oc, float[] out, int d,
                                        int ow, int run, int count, boolean second) {
        float bv = bias == null ? 0f : bias[oc];
        for (int t = 0; t < run; t++) {
            int q = s + t;
            float a0 = m[q] + m[4 * mStride + q] + m[8 * mStride + q];
            float a1 = m[mStride + q] + m[5 * mStride + q] + m[9 * mStride + q];
            float a2 = m[2 * mStride + q] + m[6 * mStride + q] + m[10 * mStride + q];
            float a3 = m[3 * mStride + q] + m[7 * mStride + q] + m[11 * mStride + q];
            out[d + 2 * t] = a0 + a1 + a2 + bv;
            if (2 * t + 1 < count) {
                out[d + 2 * t + 1] = a1 - a2 - a3 + bv;
            }
            if (second) {
                float b0 = m[4 * mStride + q] - m[8 * mStride + q] - m[12 * mStride + q];
                float b1 = m[5 * mStride + q] - m[9 * mStride + q] - m[13 * mStride + q];
                float b2 = m[6 * mStride + q] - m[10 * mStride + q] - m[14 * mStride + q];
                float b3 = m[7 * mStride + q] - m[11 * mStride + q] - m[15 * mStride + q];
                out[d + ow + 2 * t] = b0 + b1 + b2 + bv;
                if (2 * t + 1 < count) {
                    out[d + ow + 2 * t + 1] = b1 - b2 - b3 + bv;
                }
            }
        }
    }

    /**
     * dM = A·dY·Aᵀ with A = [[1,0],[1,1],[1,−1],[0,−1]] for tiles [t0, t0 + nt) of every output channel o of
     * (n, grp), the tile in column j0 + i going to packed B panel o / NR (k = tile, NR outputs per row) of
     * block ξ: {@code gt[ξ·(np·kc·NR + SKEW) + (o/NR)·kc·NR + (j0 + i)·NR + o % NR]}. Outputs past an odd edge
     * count as zero gradient. Vectorised along a run of tiles for VL channels at a time, then each block ξ of
     * the VL × VL result transposed in registers so that the panels are written a row of channels at a time.
     */
    static void outputGradient(ConvGeometry g, float[] gradOut, int n, int grp, int t0, int nt, int j0, int tilesW,
                               float[] gt, int kc) {
        if (!Sgemm.vectorized()) {
            outputGradientScalar(g, gradOut, n, grp, t0, nt, j0, tilesW, gt, kc);
            return;
        }
        int oh = g.outH();
        int ow = g.outW();
        int og = g.outPerGroup();
        int xs = ((og + NR - 1) / NR) * kc * NR + Winograd.SKEW;
        float[] scratch = Workspace.get().floats(Workspace.WINO_SCRATCH, 16 * VL * VL);
        VectorSpecies<Float> S = Species.FLOAT;
        // As in input: two whole tile rows to a run when a row is at most half a vector of tiles (even planes).
        boolean pairs = VL == 16 && 2 * tilesW <= VL && oh % 2 == 0 && ow % 2 == 0;
        for (int tile = t0; tile < t0 + nt; ) {
            int ty = tile / tilesW;
            int tx = tile % tilesW;
            boolean pair = pairs && tx == 0 && tile + 2 * tilesW <= t0 + nt;
            int run = pair ? 2 * tilesW : Math.min(VL, Math.min(tilesW - tx, t0 + nt - tile));
            int jt = j0 + tile - t0;
            int count = pair ? ow : Math.min(2 * run, ow - 2 * tx);
            boolean second = 2 * ty + 1 < oh;
            VectorMask<Float> mLo = S.indexInRange(0, count);
            VectorMask<Float> mHi = pair ? mLo : S.indexInRange(VL, count);
            FloatVector even = Species.EVEN_PAIRS[pair ? tilesW : 0]; // by index, see Species.EVEN_PAIRS
            FloatVector odd = Species.ODD_PAIRS[pair ? tilesW : 0];
            // The second load: the next VL outputs of the row, or the same outputs of the next tile row.
            int next = pair ? 2 * ow : VL;
            for (int o0 = 0; o0 < og; o0 += VL) {
                for (int oi = 0; oi < VL; oi++) {
                    int o = o0 + oi;
                    if (o >= og) {
                        for (int xi = 0; xi < 16; xi++) {
                            FloatVector.zero(S).intoArray(scratch, (xi * VL + oi) * VL);
                        }
                        continue;
                    }
                    int d = ((n * g.outChannels() + grp * og + o) * oh + 2 * ty) * ow + 2 * tx;
                    float[] src = gradOut;
                    if (d + next + ow + VL > gradOut.length) {
                        // The array's last rows: masked loads past its end take the Vector API's uncompiled
                        // per-lane check, so they read a copy.
                        src = java.util.Arrays.copyOfRange(gradOut, d, d + next + ow + VL);
                        d = 0;
                    }
                    FloatVector lo = FloatVector.fromArray(S, src, d, mLo);
                    FloatVector hi = FloatVector.fromArray(S, src, d + next, mHi);
                    FloatVector a = VectorOps.select(even, lo, hi);
                    FloatVector b = VectorOps.select(odd, lo, hi);
                    FloatVector c;
                    FloatVector e;
                    if (second) {
                        lo = FloatVector.fromArray(S, src, d + ow, mLo);
                        hi = FloatVector.fromArray(S, src, d + ow + next, mHi);
                        c = VectorOps.select(even, lo, hi);
                        e = VectorOps.select(odd, lo, hi);
                    } else {
                        c = FloatVector.zero(S);
                        e = c;
                    }
                    // Rows of A·dY: (a, b), (a + c, b + e), (a − c, b − e), (−c, −e); each row (u, v)·Aᵀ is
                    // (u, u + v, u − v, −v).
                    for (int i = 0; i < 4; i++) {
                        FloatVector u;
                        FloatVector v;
                        if (i == 0) {
                            u = a;
                            v = b;
                        } else if (i == 1) {
                            u = VectorOps.add(a, c);
                            v = VectorOps.add(b, e);
                        } else if (i == 2) {
                            u = VectorOps.sub(a, c);
                            v = VectorOps.sub(b, e);
                        } else {
                            u = c.neg();
                            v = e.neg();
                        }
                        int s = (4 * i * VL + oi) * VL;
                        u.intoArray(scratch, s);
                        VectorOps.add(u, v).intoArray(scratch, s + VL * VL);
                        VectorOps.sub(u, v).intoArray(scratch, s + 2 * VL * VL);
                        v.neg().intoArray(scratch, s + 3 * VL * VL);
                    }
                }
                int col = (o0 / NR) * kc * NR + o0 % NR;
                for (int xi = 0; xi < 16; xi++) {
                    transposeInto(scratch, xi * VL * VL, gt, xi * xs + col + jt * NR, NR, run);
                }
            }
            tile += run;
        }
    }

    /**
     * Writes the transpose of the VL × VL block at {@code src[s]} (row r at s + r·VL): its column i, for i < rows,
     * to {@code dst[d + i·stride ...]}. With 16 lanes, four rounds of two-table permutes in registers, each
     * swapping the off-diagonal sub-blocks of width 1, 2, 4, 8 between paired rows (sixteen named vectors: an
     * array of vectors would not stay in registers); other widths element by element.
     */
    static void transposeInto(float[] src, int s, float[] dst, int d, int stride, int rows) {
        if (VL != 16) {
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < VL; j++) {
                    dst[d + i * stride + j] = src[s + j * VL + i];
                }
            }
            return;
        }
        VectorSpecies<Float> S = Species.FLOAT;
        FloatVector r0 = FloatVector.fromArray(S, src, s + 0 * VL);
        FloatVector r1 = FloatVector.fromArray(S, src, s + 1 * VL);
        FloatVector r2 = FloatVector.fromArray(S, src, s + 2 * VL);
        FloatVector r3 = FloatVector.fromArray(S, src, s + 3 * VL);
        FloatVector r4 = FloatVector.fromArray(S, src, s + 4 * VL);
        FloatVector r5 = FloatVector.fromArray(S, src, s + 5 * VL);
        FloatVector r6 = FloatVector.fromArray(S, src, s + 6 * VL);
        FloatVector r7 = FloatVector.fromArray(S, src, s + 7 * VL);
        FloatVector r8 = FloatVector.fromArray(S, src, s + 8 * VL);
        FloatVector r9 = FloatVector.fromArray(S, src, s + 9 * VL);
        FloatVector r10 = FloatVector.fromArray(S, src, s + 10 * VL);
        FloatVector r11 = FloatVector.fromArray(S, src, s + 11 * VL);
        FloatVector r12 = FloatVector.fromArray(S, src, s + 12 * VL);
        FloatVector r13 = FloatVector.fromArray(S, src, s + 13 * VL);
        FloatVector r14 = FloatVector.fromArray(S, src, s + 14 * VL);
        FloatVector r15 = FloatVector.fromArray(S, src, s + 15 * VL);
        FloatVector a;
        // Width 1.
        a = r0;
        r0 = VectorOps.select(Species.T1_LO, a, r1);
        r1 = VectorOps.select(Species.T1_HI, a, r1);
        a = r2;
        r2 = VectorOps.select(Species.T1_LO, a, r3);
        r3 = VectorOps.select(Species.T1_HI, a, r3);
        a = r4;
        r4 = VectorOps.select(Species.T1_LO, a, r5);
        r5 = VectorOps.select(Species.T1_HI, a, r5);
        a = r6;
        r6 = VectorOps.select(Species.T1_LO, a, r7);
        r7 = VectorOps.select(Species.T1_HI, a, r7);
        a = r8;
        r8 = VectorOps.select(Species.T1_LO, a, r9);
        r9 = VectorOps.select(Species.T1_HI, a, r9);
        a = r10;
        r10 = VectorOps.select(Species.T1_LO, a, r11);
        r11 = VectorOps.select(Species.T1_HI, a, r11);
        a = r12;
        r12 = VectorOps.select(Species.T1_LO, a, r13);
        r13 = VectorOps.select(Species.T1_HI, a, r13);
        a = r14;
        r14 = VectorOps.select(Species.T1_LO, a, r15);
        r15 = VectorOps.select(Species.T1_HI, a, r15);
        // Width 2.
        a = r0;
        r0 = VectorOps.select(Species.T2_LO, a, r2);
        r2 = VectorOps.select(Species.T2_HI, a, r2);
        a = r1;
        r1 = VectorOps.select(Species.T2_LO, a, r3);
        r3 = VectorOps.select(Species.T2_HI, a, r3);
        a = r4;
        r4 = VectorOps.select(Species.T2_LO, a, r6);
        r6 = VectorOps.select(Species.T2_HI, a, r6);
        a = r5;
        r5 = VectorOps.select(Species.T2_LO, a, r7);
        r7 = VectorOps.select(Species.T2_HI, a, r7);
        a = r8;
        r8 = VectorOps.select(Species.T2_LO, a, r10);
        r10 = VectorOps.select(Species.T2_HI, a, r10);
        a = r9;
        r9 = VectorOps.select(Species.T2_LO, a, r11);
        r11 = VectorOps.select(Species.T2_HI, a, r11);
        a = r12;
        r12 = VectorOps.select(Species.T2_LO, a, r14);
        r14 = VectorOps.select(Species.T2_HI, a, r14);
        a = r13;
        r13 = VectorOps.select(Species.T2_LO, a, r15);
        r15 = VectorOps.select(Species.T2_HI, a, r15);
        // Width 4.
        a = r0;
        r0 = VectorOps.select(Species.T4_LO, a, r4);
        r4 = VectorOps.select(Species.T4_HI, a, r4);
        a = r1;
        r1 = VectorOps.select(Species.T4_LO, a, r5);
        r5 = VectorOps.select(Species.T4_HI, a, r5);
        a = r2;
        r2 = VectorOps.select(Species.T4_LO, a, r6);
        r6 = VectorOps.select(Species.T4_HI, a, r6);
        a = r3;
        r3 = VectorOps.select(Species.T4_LO, a, r7);
        r7 = VectorOps.select(Species.T4_HI, a, r7);
        a = r8;
        r8 = VectorOps.select(Species.T4_LO, a, r12);
        r12 = VectorOps.select(Species.T4_HI, a, r12);
        a = r9;
        r9 = VectorOps.select(Species.T4_LO, a, r13);
        r13 = VectorOps.select(Species.T4_HI, a, r13);
        a = r10;
        r10 = VectorOps.select(Species.T4_LO, a, r14);
        r14 = VectorOps.select(Species.T4_HI, a, r14);
        a = r11;
        r11 = VectorOps.select(Species.T4_LO, a, r15);
        r15 = VectorOps.select(Species.T4_HI, a, r15);
        // Width 8.
        a = r0;
        r0 = VectorOps.select(Species.T8_LO, a, r8);
        r8 = VectorOps.select(Species.T8_HI, a, r8);
        a = r1;
        r1 = VectorOps.select(Species.T8_LO, a, r9);
        r9 = VectorOps.select(Species.T8_HI, a, r9);
        a = r2;
        r2 = VectorOps.select(Species.T8_LO, a, r10);
        r10 = VectorOps.select(Species.T8_HI, a, r10);
        a = r3;
        r3 = VectorOps.select(Species.T8_LO, a, r11);
        r11 = VectorOps.select(Species.T8_HI, a, r11);
        a = r4;
        r4 = VectorOps.select(Species.T8_LO, a, r12);
        r12 = VectorOps.select(Species.T8_HI, a, r12);
        a = r5;
        r5 = VectorOps.select(Species.T8_LO, a, r13);
        r13 = VectorOps.select(Species.T8_HI, a, r13);
        a = r6;
        r6 = VectorOps.select(Species.T8_LO, a, r14);
        r14 = VectorOps.select(Species.T8_HI, a, r14);
        a = r7;
        r7 = VectorOps.select(Species.T8_LO, a, r15);
        r15 = VectorOps.select(Species.T8_HI, a, r15);
        {
            r0.intoArray(dst, d + 0 * stride);
        }
        if (rows > 1) {
            r1.intoArray(dst, d + 1 * stride);
        }
        if (rows > 2) {
            r2.intoArray(dst, d + 2 * stride);
        }
        if (rows > 3) {
            r3.intoArray(dst, d + 3 * stride);
        }
        if (rows > 4) {
            r4.intoArray(dst, d + 4 * stride);
        }
        if (rows > 5) {
            r5.intoArray(dst, d + 5 * stride);
        }
        if (rows > 6) {
            r6.intoArray(dst, d + 6 * stride);
        }
        if (rows > 7) {
            r7.intoArray(dst, d + 7 * stride);
        }
        if (rows > 8) {
            r8.intoArray(dst, d + 8 * stride);
        }
        if (rows > 9) {
            r9.intoArray(dst, d + 9 * stride);
        }
        if (rows > 10) {
            r10.intoArray(dst, d + 10 * stride);
        }
        if (rows > 11) {
            r11.intoArray(dst, d + 11 * stride);
        }
        if (rows > 12) {
            r12.intoArray(dst, d + 12 * stride);
        }
        if (rows > 13) {
            r13.intoArray(dst, d + 13 * stride);
        }
        if (rows > 14) {
            r14.intoArray(dst, d + 14 * stride);
        }
        if (rows > 15) {
            r15.intoArray(dst, d + 15 * stride);
        }
    }

    /**
     * dM = A·dY·Aᵀ with A = [[1,0],[1,1],[1,−1],[0,−1]] for tiles [t0, t0 + nt) of every output channel o of
     * (n, grp), the tile in column j0 + i going to packed B panel o / NR (k = tile, NR outputs per row) of
     * block ξ: {@code gt[ξ·(np·kc·NR + SKEW) + (o/NR)·kc·NR + (j0 + i)·NR + o % NR]}. Outputs past an odd edge count as zero
     * gradient. Sixteen tiles at a time over all channels, so the lines being filled stay in L1.
     */
    private static void outputGradientScalar(ConvGeometry g, float[] gradOut, int n, int grp, int t0, int nt, int j0,
                                      int tilesW, float[] gt, int kc) {
        int oh = g.outH();
        int ow = g.outW();
        int og = g.outPerGroup();
        int np = (og + NR - 1) / NR;
        int xs = np * kc * NR + Winograd.SKEW; // the stride between blocks ξ, off multiples of 4 KiB
        for (int s0 = 0; s0 < nt; s0 += 16) {
            int s1 = Math.min(nt, s0 + 16);
            for (int o = 0; o < og; o++) {
                int plane = (n * g.outChannels() + grp * og + o) * oh * ow;
                int col = (o / NR) * kc * NR + o % NR;
                for (int i = s0; i < s1; i++) {
                    int tile = t0 + i;
                    int y = tile / tilesW * 2;
                    int xx = tile % tilesW * 2;
                    int p = plane + y * ow + xx;
                    boolean right = xx + 1 < ow;
                    boolean down = y + 1 < oh;
                    float a = gradOut[p];
                    float b = right ? gradOut[p + 1] : 0f;
                    float c = down ? gradOut[p + ow] : 0f;
                    float d = right && down ? gradOut[p + ow + 1] : 0f;
                    int dst = col + (j0 + i) * NR;
                    // Rows of A·dY: (a, b), (a + c, b + d), (a − c, b − d), (−c, −d); each row (u, v)·Aᵀ is
                    // (u, u + v, u − v, −v).
                    store4(gt, dst, xs, a, b);
                    store4(gt, dst + 4 * xs, xs, a + c, b + d);
                    store4(gt, dst + 8 * xs, xs, a - c, b - d);
                    store4(gt, dst + 12 * xs, xs, -c, -d);
                }
            }
        }
    }

    private static void store4(float[] gt, int dst, int xs, float u, float v) {
        gt[dst] = u;
        gt[dst + xs] = u + v;
        gt[dst + 2 * xs] = u - v;
        gt[dst + 3 * xs] = -v;
    }
}
