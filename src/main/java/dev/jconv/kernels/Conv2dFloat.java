package dev.jconv.kernels;

import static dev.jconv.kernels.Sgemm.MR;
import static dev.jconv.kernels.Sgemm.NC;
import static dev.jconv.kernels.Sgemm.NR;
import static dev.jconv.kernels.Sgemm.roundUp;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Float32 convolution kernels on top of {@link Sgemm}: im2col (patches written straight into packed B
 * panels), pointwise 1×1 as a plain GEMM, depthwise loops and Winograd F(2×2, 3×3). Inputs and outputs
 * are the double arrays tensors hold (float values); arithmetic is float with fused multiply-adds, and
 * every result is a float stored as a double.
 *
 * <p>Work is split into tasks whose boundaries depend only on the shape; sums that cross tasks (the
 * weight gradient over the batch) are formed per fixed chunk and added in chunk order, so the bits do not
 * depend on the thread count.
 */
final class Conv2dFloat {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private Conv2dFloat() {
    }

    // ---------------------------------------------------------------- im2col and pointwise

    /** Forward by GEMM: out[n, grp] = W[grp] · cols(x[n, grp]); {@code pointwise} reads x as the B matrix. */
    static double[] forwardGemm(ConvGeometry g, double[] x, double[] w, double[] bias, boolean pointwise) {
        int og = g.outPerGroup();
        int cg = g.inPerGroup();
        int rows = g.colRows();
        int sp = g.outH() * g.outW();
        int groups = g.groups();
        int outC = g.outChannels();
        int inPlane = g.height() * g.width();
        int aStride = roundUp(og, MR) * rows;
        // Weights converted once per call; the workers only read them (and the float input).
        float[] ap = Workspace.get().floats(Workspace.WEIGHTS, groups * aStride);
        for (int grp = 0; grp < groups; grp++) {
            Sgemm.packA(og, rows, w, grp * og * rows, rows, 1, ap, grp * aStride);
        }
        float[] xf = Sgemm.toFloats(x, Workspace.INPUT_F);
        double[] out = new double[g.batch() * outC * sp];
        int nb = (sp + NC - 1) / NC;
        Parallel.forRange(g.batch() * groups * nb, 1, t -> {
            int jb = t % nb;
            int grp = (t / nb) % groups;
            int n = t / (nb * groups);
            int j0 = jb * NC;
            int nc = Math.min(NC, sp - j0);
            int ldc = roundUp(nc, NR);
            float[] cb = Workspace.get().floats(Workspace.TILE_C, roundUp(og, MR) * ldc);
            Sgemm.PackB pb = pointwise ? Sgemm.strided(xf, (n * g.inChannels() + grp * cg) * inPlane, sp, 1)
                    : im2col(g, xf, n, grp);
            Sgemm.multiply(og, nc, rows, ap, grp * aStride, rows, pb, j0, cb, 0, ldc, false);
            for (int o = 0; o < og; o++) {
                int oc = grp * og + o;
                int dst = (n * outC + oc) * sp + j0;
                int src = o * ldc;
                if (bias == null) {
                    for (int j = 0; j < nc; j++) {
                        out[dst + j] = cb[src + j];
                    }
                } else {
                    float b = (float) bias[oc];
                    for (int j = 0; j < nc; j++) {
                        out[dst + j] = cb[src + j] + b;
                    }
                }
            }
        });
        return out;
    }

    /**
     * Writes {@code count} consecutive entries of row r = (c, ki, kj) of the unfolded matrix of one image and
     * group, starting at output position s0, to {@code dst[d ...]}: zeros where the patch reads padding,
     * plain copies along output rows when the stride is 1.
     */
    private static void unfoldRow(ConvGeometry g, float[] xf, int planeBase, int r, int s0, int count, float[] dst,
                                  int d) {
        int h = g.height();
        int w = g.width();
        int ow = g.outW();
        int kh = g.kernelH();
        int kw = g.kernelW();
        int sw = g.strideW();
        int c = r / (kh * kw);
        int ki = (r / kw) % kh;
        int kj = r % kw;
        int plane = planeBase + c * h * w;
        int iyOff = ki * g.dilationH() - g.padTop();
        int ixOff = kj * g.dilationW() - g.padLeft();
        int t = 0;
        int oy = s0 / ow;
        int ox = s0 % ow;
        while (t < count) {
            int seg = Math.min(count - t, ow - ox);
            int iy = oy * g.strideH() + iyOff;
            int dd = d + t;
            if (iy < 0 || iy >= h) {
                java.util.Arrays.fill(dst, dd, dd + seg, 0f);
            } else {
                int row = plane + iy * w;
                int ix0 = ox * sw + ixOff;
                if (sw == 1) {
                    // Zeros left of the image, a copy of the inside, zeros right of it.
                    int lo = Math.min(seg, Math.max(0, -ix0));
                    int hi = Math.max(lo, Math.min(seg, w - ix0));
                    if (lo > 0) {
                        java.util.Arrays.fill(dst, dd, dd + lo, 0f);
                    }
                    if (hi > lo) {
                        System.arraycopy(xf, row + ix0 + lo, dst, dd + lo, hi - lo);
                    }
                    if (hi < seg) {
                        java.util.Arrays.fill(dst, dd + hi, dd + seg, 0f);
                    }
                } else {
                    for (int u = 0; u < seg; u++) {
                        int ix = ix0 + u * sw;
                        dst[dd + u] = ix >= 0 && ix < w ? xf[row + ix] : 0f;
                    }
                }
            }
            t += seg;
            ox = 0;
            oy++;
        }
    }

    /** Packs im2col columns of image n, group grp straight into B panels (row = (c, ki, kj), column = position). */
    private static Sgemm.PackB im2col(ConvGeometry g, float[] xf, int n, int grp) {
        int planeBase = (n * g.inChannels() + grp * g.inPerGroup()) * g.height() * g.width();
        return (from, count, p0, kc, dst) -> {
            int np = (count + NR - 1) / NR;
            for (int q = 0; q < np; q++) {
                int j0 = from + q * NR;
                int cnt = Math.min(NR, from + count - j0);
                int base = q * kc * NR;
                for (int p = 0; p < kc; p++) {
                    int d = base + p * NR;
                    unfoldRow(g, xf, planeBase, p0 + p, j0, cnt, dst, d);
                    if (cnt < NR) {
                        java.util.Arrays.fill(dst, d + cnt, d + NR, 0f);
                    }
                }
            }
        };
    }

    /** Input gradient by GEMM: cols = W[grp]ᵀ · gradOut[n, grp], then folded back (col2im) unless pointwise. */
    static double[] backwardInputGemm(ConvGeometry g, double[] gradOut, double[] w, boolean pointwise) {
        int og = g.outPerGroup();
        int cg = g.inPerGroup();
        int rows = g.colRows();
        int sp = g.outH() * g.outW();
        int groups = g.groups();
        int outC = g.outChannels();
        int inPlane = g.height() * g.width();
        int aStride = roundUp(rows, MR) * og;
        float[] ap = Workspace.get().floats(Workspace.WEIGHTS, groups * aStride);
        for (int grp = 0; grp < groups; grp++) {
            Sgemm.packA(rows, og, w, grp * og * rows, 1, rows, ap, grp * aStride);
        }
        float[] gf = Sgemm.toFloats(gradOut, Workspace.GRAD_F);
        double[] gradIn = new double[g.batch() * g.inChannels() * inPlane];
        int nb = (sp + NC - 1) / NC;
        if (pointwise) {
            // rows == cg and the columns are the input positions themselves: write them directly.
            Parallel.forRange(g.batch() * groups * nb, 1, t -> {
                int jb = t % nb;
                int grp = (t / nb) % groups;
                int n = t / (nb * groups);
                int j0 = jb * NC;
                int nc = Math.min(NC, sp - j0);
                int ldc = roundUp(nc, NR);
                float[] cb = Workspace.get().floats(Workspace.TILE_C, roundUp(cg, MR) * ldc);
                Sgemm.multiply(cg, nc, og, ap, grp * aStride, og,
                        Sgemm.strided(gf, (n * outC + grp * og) * sp, sp, 1), j0, cb, 0, ldc, false);
                for (int c = 0; c < cg; c++) {
                    int dst = (n * g.inChannels() + grp * cg + c) * inPlane + j0;
                    for (int j = 0; j < nc; j++) {
                        gradIn[dst + j] = cb[c * ldc + j];
                    }
                }
            });
            return gradIn;
        }
        int ldc = roundUp(sp, NR);
        // One image per task (col2im of one image must not race); within an image, column blocks in parallel.
        Parallel.forRange(g.batch(), 1, n -> {
            float[] cols = Workspace.get().floats(Workspace.COLUMNS, roundUp(rows, MR) * ldc);
            for (int grp = 0; grp < groups; grp++) {
                int group = grp;
                Parallel.forRange(nb, 1, jb -> {
                    int j0 = jb * NC;
                    Sgemm.multiply(rows, Math.min(NC, sp - j0), og, ap, group * aStride, og,
                            Sgemm.strided(gf, (n * outC + group * og) * sp, sp, 1), j0, cols, j0, ldc, false);
                });
                col2im(g, cols, ldc, n, grp, gradIn);
            }
        });
        return gradIn;
    }

    /** Adds the float columns (row stride ldc) of image n, group grp into the input gradient. */
    private static void col2im(ConvGeometry g, float[] cols, int ldc, int n, int grp, double[] gradIn) {
        int oh = g.outH();
        int ow = g.outW();
        int h = g.height();
        int w = g.width();
        int cg = g.inPerGroup();
        int row = 0;
        for (int c = 0; c < cg; c++) {
            int plane = ((n * g.inChannels()) + grp * cg + c) * h * w;
            for (int ki = 0; ki < g.kernelH(); ki++) {
                for (int kj = 0; kj < g.kernelW(); kj++, row++) {
                    int base = row * ldc;
                    int ix0 = kj * g.dilationW() - g.padLeft();
                    int sw = g.strideW();
                    // Output columns whose input column lies inside the image.
                    int oxLo = ix0 >= 0 ? 0 : (-ix0 + sw - 1) / sw;
                    int oxHi = Math.min(ow, w - ix0 <= 0 ? 0 : (w - 1 - ix0) / sw + 1);
                    for (int oy = 0; oy < oh; oy++) {
                        int iy = oy * g.strideH() - g.padTop() + ki * g.dilationH();
                        if (iy < 0 || iy >= h) {
                            continue;
                        }
                        int dst = plane + iy * w + ix0;
                        int src = base + oy * ow;
                        for (int ox = oxLo; ox < oxHi; ox++) {
                            gradIn[dst + ox * sw] += cols[src + ox];
                        }
                    }
                }
            }
        }
    }

    /** Rows of the unfolded matrix per weight-gradient task. */
    private static final int WEIGHT_ROWS = 32 * MR;

    /**
     * Weight gradient by GEMM, transposed so that the unfolded input is the row-major A operand:
     * gradW[grp]ᵀ = Σₙ cols(x[n, grp]) · gradOut[n, grp]ᵀ. The batch is cut into chunks fixed by the shape;
     * each chunk's sum is a task of its own and the chunks are added in order.
     */
    static double[] backwardWeightGemm(ConvGeometry g, double[] gradOut, double[] x, boolean pointwise) {
        int og = g.outPerGroup();
        int rows = g.colRows();
        int sp = g.outH() * g.outW();
        int groups = g.groups();
        int outC = g.outChannels();
        int batch = g.batch();
        int mb = (rows + WEIGHT_ROWS - 1) / WEIGHT_ROWS;
        // Enough tasks (about 16) to keep the cores busy, from the shape alone.
        int wanted = Math.min(batch, Math.max(1, (16 + mb * groups - 1) / (mb * groups)));
        int perChunk = (batch + wanted - 1) / wanted;
        int chunks = (batch + perChunk - 1) / perChunk;
        int ldc = roundUp(og, NR);
        int rowsPad = roundUp(rows, MR);
        int partStride = groups * rowsPad * ldc;
        float[] xf = Sgemm.toFloats(x, Workspace.INPUT_F);
        float[] gf = Sgemm.toFloats(gradOut, Workspace.GRAD_F);
        float[] part = Workspace.get().floats(Workspace.PARTIAL, chunks * partStride);
        Parallel.forRange(chunks * groups * mb, 1, t -> {
            int ib = t % mb;
            int grp = (t / mb) % groups;
            int chunk = t / (mb * groups);
            int r0 = ib * WEIGHT_ROWS;
            int mc = Math.min(WEIGHT_ROWS, rows - r0);
            int cOff = chunk * partStride + grp * rowsPad * ldc + r0 * ldc;
            int first = chunk * perChunk;
            int last = Math.min(batch, first + perChunk);
            for (int n = first; n < last; n++) {
                int planeBase = (n * g.inChannels() + grp * g.inPerGroup()) * g.height() * g.width();
                Sgemm.PackA pa = (p0, kc, dst) -> {
                    for (int i = 0; i < roundUp(mc, MR); i++) {
                        if (i >= mc) {
                            java.util.Arrays.fill(dst, i * kc, (i + 1) * kc, 0f);
                        } else if (pointwise) {
                            System.arraycopy(xf, planeBase + (r0 + i) * sp + p0, dst, i * kc, kc);
                        } else {
                            unfoldRow(g, xf, planeBase, r0 + i, p0, kc, dst, i * kc);
                        }
                    }
                };
                Sgemm.multiply(mc, og, sp, pa, Sgemm.strided(gf, (n * outC + grp * og) * sp, 1, sp), 0, part, cOff,
                        ldc, n > first);
            }
        });
        double[] gradW = new double[outC * rows];
        Parallel.forRange(outC, 1, oc -> {
            int grp = oc / og;
            int src = grp * rowsPad * ldc + oc % og;
            for (int r = 0; r < rows; r++) {
                float s = part[src + r * ldc];
                for (int ch = 1; ch < chunks; ch++) {
                    s += part[ch * partStride + src + r * ldc];
                }
                gradW[oc * rows + r] = s;
            }
        });
        return gradW;
    }

    // ---------------------------------------------------------------- bias

    /** Bias gradient: per channel, the sum over batch and positions, in double, in a fixed lane order. */
    static double[] backwardBias(ConvGeometry g, double[] gradOut) {
        int sp = g.outH() * g.outW();
        int outC = g.outChannels();
        double[] gradB = new double[outC];
        var ds = jdk.incubator.vector.DoubleVector.SPECIES_PREFERRED;
        boolean vec = Sgemm.vectorized();
        Parallel.forRange(outC, 1, o -> {
            double total = 0;
            for (int n = 0; n < g.batch(); n++) {
                int base = (n * outC + o) * sp;
                int i = 0;
                double s = 0;
                if (vec) {
                    var acc = jdk.incubator.vector.DoubleVector.zero(ds);
                    for (; i <= sp - ds.length(); i += ds.length()) {
                        acc = acc.add(jdk.incubator.vector.DoubleVector.fromArray(ds, gradOut, base + i));
                    }
                    // Lanes added in lane order: reduceLanes leaves the order to the JIT, and so the bits.
                    double[] lanes = new double[ds.length()];
                    acc.intoArray(lanes, 0);
                    for (double l : lanes) {
                        s += l;
                    }
                }
                for (; i < sp; i++) {
                    s += gradOut[base + i];
                }
                total += s;
            }
            gradB[o] = total;
        });
        return gradB;
    }

    // ---------------------------------------------------------------- depthwise

    /** Rows and columns of the zero-padded plane a depthwise kernel reads. */
    private static int paddedH(ConvGeometry g) {
        return Math.max(g.height() + g.padTop() + g.padBottom(),
                (g.outH() - 1) * g.strideH() + (g.kernelH() - 1) * g.dilationH() + 1);
    }

    private static int paddedW(ConvGeometry g) {
        return Math.max(g.width() + g.padLeft() + g.padRight(),
                (g.outW() - 1) * g.strideW() + (g.kernelW() - 1) * g.dilationW() + 1);
    }

    /** Copies input plane (n, c) into a zero-padded float plane of size ph × pw. */
    private static void padPlane(ConvGeometry g, double[] x, int n, int c, float[] plane, int pw, int ph) {
        java.util.Arrays.fill(plane, 0, ph * pw, 0f);
        int h = g.height();
        int w = g.width();
        int src = (n * g.inChannels() + c) * h * w;
        for (int iy = 0; iy < h; iy++) {
            int d = (iy + g.padTop()) * pw + g.padLeft();
            int s = src + iy * w;
            for (int ix = 0; ix < w; ix++) {
                plane[d + ix] = (float) x[s + ix];
            }
        }
    }

    /** acc[i] = fma(a, v[vOff + i], acc[i]) for i in [0, len), in vector steps with a scalar tail. */
    private static void axpy(float a, float[] v, int vOff, float[] acc, int aOff, int len, boolean vec) {
        int i = 0;
        if (vec) {
            FloatVector av = FloatVector.broadcast(S, a);
            for (; i <= len - S.length(); i += S.length()) {
                FloatVector.fromArray(S, v, vOff + i).fma(av, FloatVector.fromArray(S, acc, aOff + i))
                        .intoArray(acc, aOff + i);
            }
        }
        for (; i < len; i++) {
            acc[aOff + i] = Math.fma(v[vOff + i], a, acc[aOff + i]);
        }
    }

    /** Depthwise forward: each output channel o reads input channel o / (O / C) only. */
    static double[] forwardDepthwise(ConvGeometry g, double[] x, double[] w, double[] bias) {
        int oh = g.outH();
        int ow = g.outW();
        int sp = oh * ow;
        int outC = g.outChannels();
        int mult = g.outPerGroup();
        int ph = paddedH(g);
        int pw = paddedW(g);
        int kh = g.kernelH();
        int kw = g.kernelW();
        double[] out = new double[g.batch() * outC * sp];
        boolean vec = Sgemm.vectorized();
        Parallel.forRange(g.batch() * outC, 1, t -> {
            int n = t / outC;
            int o = t % outC;
            Workspace ws = Workspace.get();
            float[] plane = ws.floats(Workspace.PLANE, ph * pw);
            float[] acc = ws.floats(Workspace.TILE_C, sp);
            padPlane(g, x, n, o / mult, plane, pw, ph);
            java.util.Arrays.fill(acc, 0, sp, 0f);
            for (int ki = 0; ki < kh; ki++) {
                for (int kj = 0; kj < kw; kj++) {
                    float wv = (float) w[(o * kh + ki) * kw + kj];
                    for (int oy = 0; oy < oh; oy++) {
                        int src = (oy * g.strideH() + ki * g.dilationH()) * pw + kj * g.dilationW();
                        if (g.strideW() == 1) {
                            axpy(wv, plane, src, acc, oy * ow, ow, vec);
                        } else {
                            for (int ox = 0; ox < ow; ox++) {
                                acc[oy * ow + ox] = Math.fma(plane[src + ox * g.strideW()], wv, acc[oy * ow + ox]);
                            }
                        }
                    }
                }
            }
            int dst = t * sp;
            float b = bias == null ? 0f : (float) bias[o];
            for (int i = 0; i < sp; i++) {
                out[dst + i] = bias == null ? acc[i] : acc[i] + b;
            }
        });
        return out;
    }

    /** Depthwise input gradient: scatters each output gradient row back into a padded plane per channel. */
    static double[] backwardInputDepthwise(ConvGeometry g, double[] gradOut, double[] w) {
        int oh = g.outH();
        int ow = g.outW();
        int sp = oh * ow;
        int h = g.height();
        int wd = g.width();
        int inC = g.inChannels();
        int outC = g.outChannels();
        int mult = g.outPerGroup();
        int ph = paddedH(g);
        int pw = paddedW(g);
        int kh = g.kernelH();
        int kw = g.kernelW();
        double[] gradIn = new double[g.batch() * inC * h * wd];
        boolean vec = Sgemm.vectorized();
        Parallel.forRange(g.batch() * inC, 1, t -> {
            int n = t / inC;
            int c = t % inC;
            Workspace ws = Workspace.get();
            float[] plane = ws.floats(Workspace.PLANE, ph * pw);
            float[] go = ws.floats(Workspace.TILE_C, sp);
            java.util.Arrays.fill(plane, 0, ph * pw, 0f);
            for (int m = 0; m < mult; m++) {
                int o = c * mult + m;
                int src = (n * outC + o) * sp;
                for (int i = 0; i < sp; i++) {
                    go[i] = (float) gradOut[src + i];
                }
                for (int ki = 0; ki < kh; ki++) {
                    for (int kj = 0; kj < kw; kj++) {
                        float wv = (float) w[(o * kh + ki) * kw + kj];
                        for (int oy = 0; oy < oh; oy++) {
                            int dst = (oy * g.strideH() + ki * g.dilationH()) * pw + kj * g.dilationW();
                            if (g.strideW() == 1) {
                                axpy(wv, go, oy * ow, plane, dst, ow, vec);
                            } else {
                                for (int ox = 0; ox < ow; ox++) {
                                    int d = dst + ox * g.strideW();
                                    plane[d] = Math.fma(go[oy * ow + ox], wv, plane[d]);
                                }
                            }
                        }
                    }
                }
            }
            int base = t * h * wd;
            for (int iy = 0; iy < h; iy++) {
                int s = (iy + g.padTop()) * pw + g.padLeft();
                for (int ix = 0; ix < wd; ix++) {
                    gradIn[base + iy * wd + ix] = plane[s + ix];
                }
            }
        });
        return gradIn;
    }

    /** Depthwise weight gradient: per output channel, one dot product per tap and image, images in order. */
    static double[] backwardWeightDepthwise(ConvGeometry g, double[] gradOut, double[] x) {
        int oh = g.outH();
        int ow = g.outW();
        int sp = oh * ow;
        int outC = g.outChannels();
        int mult = g.outPerGroup();
        int ph = paddedH(g);
        int pw = paddedW(g);
        int kh = g.kernelH();
        int kw = g.kernelW();
        double[] gradW = new double[outC * kh * kw];
        boolean vec = Sgemm.vectorized();
        Parallel.forRange(outC, 1, o -> {
            Workspace ws = Workspace.get();
            float[] plane = ws.floats(Workspace.PLANE, ph * pw);
            float[] go = ws.floats(Workspace.TILE_C, sp);
            float[] lanes = new float[S.length()];
            for (int n = 0; n < g.batch(); n++) {
                padPlane(g, x, n, o / mult, plane, pw, ph);
                int src = (n * outC + o) * sp;
                for (int i = 0; i < sp; i++) {
                    go[i] = (float) gradOut[src + i];
                }
                for (int ki = 0; ki < kh; ki++) {
                    for (int kj = 0; kj < kw; kj++) {
                        float s = 0f;
                        FloatVector acc = vec && g.strideW() == 1 ? FloatVector.zero(S) : null;
                        for (int oy = 0; oy < oh; oy++) {
                            int p = (oy * g.strideH() + ki * g.dilationH()) * pw + kj * g.dilationW();
                            int ox = 0;
                            if (acc != null) {
                                for (; ox <= ow - S.length(); ox += S.length()) {
                                    acc = FloatVector.fromArray(S, go, oy * ow + ox)
                                            .fma(FloatVector.fromArray(S, plane, p + ox), acc);
                                }
                            }
                            for (; ox < ow; ox++) {
                                s = Math.fma(go[oy * ow + ox], plane[p + ox * g.strideW()], s);
                            }
                        }
                        if (acc != null) {
                            // Lanes added in lane order: reduceLanes leaves the order to the JIT, and so the bits.
                            acc.intoArray(lanes, 0);
                            for (float l : lanes) {
                                s += l;
                            }
                        }
                        gradW[(o * kh + ki) * kw + kj] += s;
                    }
                }
            }
        });
        return gradW;
    }

    // ---------------------------------------------------------------- Winograd F(2x2, 3x3)

    /** Output tiles per Winograd task: a multiple of NR so panels are whole. */
    private static final int WINO_TILES = 2 * NR;

    /**
     * Winograd F(2×2, 3×3) forward (Lavin and Gray): U = G·g·Gᵀ per (o, c), V = Bᵀ·d·B per input tile and
     * channel, sixteen GEMMs M[ξ] = U[ξ]·V[ξ] over channels, and Y = Aᵀ·M·A per output tile. V is written
     * straight into packed B panels and U into packed A panels.
     */
    static double[] forwardWinograd(ConvGeometry g, double[] x, double[] w, double[] bias) {
        int og = g.outPerGroup();
        int cg = g.inPerGroup();
        int groups = g.groups();
        int outC = g.outChannels();
        int oh = g.outH();
        int ow = g.outW();
        int tilesW = (ow + 1) / 2;
        int tiles = ((oh + 1) / 2) * tilesW;
        int ogPad = roundUp(og, MR);
        int aStride = ogPad * cg;
        float[] u = Workspace.get().floats(Workspace.WEIGHTS, 16 * groups * aStride);
        java.util.Arrays.fill(u, 0, 16 * groups * aStride, 0f);
        for (int oc = 0; oc < outC; oc++) {
            int grp = oc / og;
            int o = oc % og;
            for (int c = 0; c < cg; c++) {
                double[] k = new double[9];
                System.arraycopy(w, (oc * cg + c) * 9, k, 0, 9);
                float[] t = weightTransform(k);
                for (int xi = 0; xi < 16; xi++) {
                    u[(xi * groups + grp) * aStride + o * cg + c] = t[xi];
                }
            }
        }
        double[] out = new double[g.batch() * outC * oh * ow];
        int nb = (tiles + WINO_TILES - 1) / WINO_TILES;
        int vStride = WINO_TILES * cg;
        int ldc = WINO_TILES;
        Parallel.forRange(g.batch() * groups * nb, 1, t -> {
            int jb = t % nb;
            int grp = (t / nb) % groups;
            int n = t / (nb * groups);
            int t0 = jb * WINO_TILES;
            int nt = Math.min(WINO_TILES, tiles - t0);
            Workspace ws = Workspace.get();
            float[] v = ws.floats(Workspace.WINO_V, 16 * vStride);
            float[] m = ws.floats(Workspace.TILE_C, 16 * ogPad * ldc);
            inputTransform(g, x, n, grp, t0, nt, tilesW, v, vStride);
            for (int xi = 0; xi < 16; xi++) {
                for (int pc = 0; pc < cg; pc += Sgemm.KC) {
                    int kc = Math.min(Sgemm.KC, cg - pc);
                    Sgemm.loop(og, nt, kc, u, (xi * groups + grp) * aStride + pc, cg, v,
                            xi * vStride + pc * NR, cg * NR, m, xi * ogPad * ldc, ldc, pc > 0);
                }
            }
            outputTransform(g, m, ogPad * ldc, ldc, n, grp, t0, nt, tilesW, bias, out);
        });
        return out;
    }

    /** U = G·k·Gᵀ for one 3×3 kernel, in double then rounded: G = [[1,0,0],[½,½,½],[½,−½,½],[0,0,1]]. */
    private static float[] weightTransform(double[] k) {
        double[] gk = new double[12];
        for (int j = 0; j < 3; j++) {
            double a = k[j];
            double b = k[3 + j];
            double c = k[6 + j];
            gk[j] = a;
            gk[3 + j] = 0.5 * (a + b + c);
            gk[6 + j] = 0.5 * (a - b + c);
            gk[9 + j] = c;
        }
        float[] u = new float[16];
        for (int i = 0; i < 4; i++) {
            double a = gk[i * 3];
            double b = gk[i * 3 + 1];
            double c = gk[i * 3 + 2];
            u[i * 4] = (float) a;
            u[i * 4 + 1] = (float) (0.5 * (a + b + c));
            u[i * 4 + 2] = (float) (0.5 * (a - b + c));
            u[i * 4 + 3] = (float) c;
        }
        return u;
    }

    /** V = Bᵀ·d·B for tiles [t0, t0 + nt) of every channel of (n, grp), into 16 packed B blocks. */
    private static void inputTransform(ConvGeometry g, double[] x, int n, int grp, int t0, int nt, int tilesW,
                                       float[] v, int vStride) {
        int h = g.height();
        int w = g.width();
        int cg = g.inPerGroup();
        float[] d = new float[16];
        for (int c = 0; c < cg; c++) {
            int plane = (n * g.inChannels() + grp * cg + c) * h * w;
            for (int jt = 0; jt < WINO_TILES; jt++) {
                int dst = (jt / NR) * cg * NR + c * NR + jt % NR;
                if (jt >= nt) {
                    for (int xi = 0; xi < 16; xi++) {
                        v[xi * vStride + dst] = 0f;
                    }
                    continue;
                }
                int tile = t0 + jt;
                int y0 = (tile / tilesW) * 2 - g.padTop();
                int x0 = (tile % tilesW) * 2 - g.padLeft();
                if (y0 >= 0 && y0 + 4 <= h && x0 >= 0 && x0 + 4 <= w) {
                    for (int i = 0; i < 4; i++) {
                        int s = plane + (y0 + i) * w + x0;
                        d[i * 4] = (float) x[s];
                        d[i * 4 + 1] = (float) x[s + 1];
                        d[i * 4 + 2] = (float) x[s + 2];
                        d[i * 4 + 3] = (float) x[s + 3];
                    }
                } else {
                    for (int i = 0; i < 4; i++) {
                        int iy = y0 + i;
                        for (int j = 0; j < 4; j++) {
                            int ix = x0 + j;
                            d[i * 4 + j] = iy >= 0 && iy < h && ix >= 0 && ix < w ? (float) x[plane + iy * w + ix] : 0f;
                        }
                    }
                }
                // Bᵀ = [[1,0,−1,0],[0,1,1,0],[0,−1,1,0],[0,1,0,−1]] on the rows, then on the columns.
                for (int j = 0; j < 4; j++) {
                    float r0 = d[j];
                    float r1 = d[4 + j];
                    float r2 = d[8 + j];
                    float r3 = d[12 + j];
                    d[j] = r0 - r2;
                    d[4 + j] = r1 + r2;
                    d[8 + j] = r2 - r1;
                    d[12 + j] = r1 - r3;
                }
                for (int i = 0; i < 4; i++) {
                    float e0 = d[i * 4];
                    float e1 = d[i * 4 + 1];
                    float e2 = d[i * 4 + 2];
                    float e3 = d[i * 4 + 3];
                    int b = i * 4 * vStride + dst;
                    v[b] = e0 - e2;
                    v[b + vStride] = e1 + e2;
                    v[b + 2 * vStride] = e2 - e1;
                    v[b + 3 * vStride] = e1 - e3;
                }
            }
        }
    }

    /** Y = Aᵀ·M·A with Aᵀ = [[1,1,1,0],[0,1,−1,−1]], plus bias, into the output (cropped at odd edges). */
    private static void outputTransform(ConvGeometry g, float[] m, int mStride, int ldc, int n, int grp, int t0,
                                        int nt, int tilesW, double[] bias, double[] out) {
        int oh = g.outH();
        int ow = g.outW();
        int og = g.outPerGroup();
        for (int o = 0; o < og; o++) {
            int oc = grp * og + o;
            float b = bias == null ? 0f : (float) bias[oc];
            int plane = (n * g.outChannels() + oc) * oh * ow;
            for (int jt = 0; jt < nt; jt++) {
                int s = o * ldc + jt;
                // Aᵀ·M: two rows of four, kept in locals.
                float t00 = m[s] + m[4 * mStride + s] + m[8 * mStride + s];
                float t01 = m[mStride + s] + m[5 * mStride + s] + m[9 * mStride + s];
                float t02 = m[2 * mStride + s] + m[6 * mStride + s] + m[10 * mStride + s];
                float t03 = m[3 * mStride + s] + m[7 * mStride + s] + m[11 * mStride + s];
                float t10 = m[4 * mStride + s] - m[8 * mStride + s] - m[12 * mStride + s];
                float t11 = m[5 * mStride + s] - m[9 * mStride + s] - m[13 * mStride + s];
                float t12 = m[6 * mStride + s] - m[10 * mStride + s] - m[14 * mStride + s];
                float t13 = m[7 * mStride + s] - m[11 * mStride + s] - m[15 * mStride + s];
                int tile = t0 + jt;
                int y = (tile / tilesW) * 2;
                int xo = (tile % tilesW) * 2;
                for (int i = 0; i < 2; i++) {
                    if (y + i >= oh) {
                        break;
                    }
                    float y0 = i == 0 ? t00 + t01 + t02 : t10 + t11 + t12;
                    float y1 = i == 0 ? t01 - t02 - t03 : t11 - t12 - t13;
                    int d = plane + (y + i) * ow + xo;
                    out[d] = bias == null ? y0 : y0 + b;
                    if (xo + 1 < ow) {
                        out[d + 1] = bias == null ? y1 : y1 + b;
                    }
                }
            }
        }
    }
}
