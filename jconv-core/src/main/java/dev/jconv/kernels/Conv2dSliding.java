package dev.jconv.kernels;

import static dev.jconv.kernels.Sgemm.roundUp;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Float32 stride-1 convolution as sliding-window loops over zero-padded input planes, vectorised along the
 * plane flattened row after row. Output (y, x) is computed at index y·wp + x of a "wide" output whose rows
 * are as long as the padded input's (wp): every kernel tap is then one fixed shift of a contiguous run of
 * input, so a vector of outputs costs one load per tap and channel. The wp − outW columns past each output
 * row are computed and dropped. Nothing is unfolded: for layers with few channels (LeNet's) the im2col
 * matrix is many times the size of the work done with it, and this loop avoids it.
 *
 * <p>The input gradient is the forward of the full convolution (flipped kernel, see
 * {@link Conv2dKernels#fullConvolution}); the weight gradient is a dot product per (output channel, input
 * channel, tap) of the wide output gradient (zero in the dropped columns) with the shifted input plane.
 *
 * <p>Every output lane is one chain of fused multiply-adds in a fixed (channel, tap) order, whatever block
 * computes it; weight-gradient sums run per lane over images in chunks fixed by the shape, lanes and chunks
 * added in order. The bits do not depend on the thread count, and the scalar fallback gives the same ones.
 */
final class Conv2dSliding {
    /** Float lanes (16 without the Vector API): the wide planes' layout is built from it. */
    private static final int VL = Vectors.FLOAT_LANES;
    /**
     * Output vectors per forward register block: 3 with blocks of 4 output channels (and single channels for
     * the rest), 2 with blocks of 6 when the channels divide by 6 but not by 4. The wide output is padded to
     * whole blocks.
     */
    private static int vectorsPerBlock(int outPerGroup) {
        return outPerGroup % 4 != 0 && outPerGroup % 6 == 0 ? 2 : 3;
    }

    /** Output channels per weight-gradient register block (the last block repeats its last channel, dropped). */
    private static final int WO = 4;
    /** Taps per weight-gradient register block (the last block repeats its last tap, dropped). */
    private static final int WT = 5;

    private Conv2dSliding() {
    }

    /**
     * Sizes of a padded input plane: row length {@code wp}, rows {@code hp}, the wide output's length
     * {@code wide} (outH·wp rounded up to whole blocks) and the plane's allocated {@code length}, which
     * covers the farthest read of the last block.
     */
    record Plane(int wp, int hp, int wide, int length) {
        static Plane of(ConvGeometry g) {
            int wp = Math.max(g.width() + g.padLeft() + g.padRight(),
                    g.outW() + g.dilationW() * (g.kernelW() - 1));
            int hp = Math.max(g.height() + g.padTop() + g.padBottom(),
                    g.outH() + g.dilationH() * (g.kernelH() - 1));
            int wide = roundUp(g.outH() * wp, vectorsPerBlock(g.outPerGroup()) * VL);
            int reach = g.dilationH() * (g.kernelH() - 1) * wp + g.dilationW() * (g.kernelW() - 1);
            return new Plane(wp, hp, wide, roundUp(Math.max(hp * wp, wide + reach), VL));
        }

        /**
         * Floats the weight gradient holds at once: every image's padded input planes and widened output
         * gradient planes.
         */
        static long weightWorkspace(ConvGeometry g) {
            Plane pl = of(g);
            return (long) g.batch() * ((long) g.inChannels() * pl.length() + (long) g.outChannels() * pl.wide());
        }

        /** Offset of tap (i, j) from the output index it contributes to. */
        int[] tapOffsets(ConvGeometry g) {
            int[] offs = new int[g.kernelH() * g.kernelW()];
            for (int i = 0; i < g.kernelH(); i++) {
                for (int j = 0; j < g.kernelW(); j++) {
                    offs[i * g.kernelW() + j] = i * g.dilationH() * wp + j * g.dilationW();
                }
            }
            return offs;
        }
    }

    /** Output (N, O, outH, outW) of a stride-1 convolution; {@code bias} may be null. */
    static float[] forward(ConvGeometry g, float[] x, float[] w, float[] bias) {
        int og = g.outPerGroup();
        int cg = g.inPerGroup();
        int groups = g.groups();
        int outC = g.outChannels();
        int taps = g.kernelH() * g.kernelW();
        int oh = g.outH();
        int ow = g.outW();
        Plane pl = Plane.of(g);
        int[] offs = pl.tapOffsets(g);
        // Weights per group term-major with the output channel fastest: a block broadcasts OB neighbours.
        float[] wf = Workspace.get().floats(Workspace.WEIGHTS, groups * cg * taps * og);
        for (int oc = 0; oc < outC; oc++) {
            int grp = oc / og;
            for (int r = 0; r < cg * taps; r++) {
                wf[(grp * cg * taps + r) * og + oc % og] = w[oc * cg * taps + r];
            }
        }
        float[] out = new float[g.batch() * outC * oh * ow];
        boolean vec = Sgemm.vectorized();
        Parallel.forRange(g.batch() * groups, 1, task -> {
            int n = task / groups;
            int grp = task % groups;
            Workspace ws = Workspace.get();
            float[] in = ws.floats(Workspace.PLANE, cg * pl.length());
            for (int c = 0; c < cg; c++) {
                pad(g, x, n * g.inChannels() + grp * cg + c, in, c * pl.length(), pl.wp(), pl.length());
            }
            float[] tile = ws.floats(Workspace.TILE_C, og * pl.wide());
            int wBase = grp * cg * taps * og;
            if (vec && vectorsPerBlock(og) == 2) {
                for (int o = 0; o < og; o += 6) {
                    for (int v = 0; v < pl.wide(); v += 2 * VL) {
                        block6(in, pl.length(), cg, offs, wf, wBase + o, og, v, tile, o * pl.wide() + v, pl.wide());
                    }
                }
            } else if (vec) {
                int o = 0;
                for (; o + 4 <= og; o += 4) {
                    for (int v = 0; v < pl.wide(); v += 3 * VL) {
                        block4(in, pl.length(), cg, offs, wf, wBase + o, og, v, tile, o * pl.wide() + v, pl.wide());
                    }
                }
                for (; o < og; o++) {
                    for (int v = 0; v < pl.wide(); v += 3 * VL) {
                        block1(in, pl.length(), cg, offs, wf, wBase + o, og, v, tile, o * pl.wide() + v);
                    }
                }
            } else {
                forwardScalar(in, pl, cg, offs, wf, wBase, og, tile);
            }
            for (int o = 0; o < og; o++) {
                int oc = grp * og + o;
                float b = bias == null ? 0f : bias[oc];
                for (int y = 0; y < oh; y++) {
                    int src = o * pl.wide() + y * pl.wp();
                    int dst = ((n * outC + oc) * oh + y) * ow;
                    Sgemm.store(tile, src, out, dst, ow, bias != null, b);
                }
            }
        });
        return out;
    }

    /** Input gradient of a stride-1 convolution: the forward of its full convolution with the flipped kernel. */
    static float[] backwardInput(ConvGeometry g, float[] gradOut, float[] w) {
        ConvGeometry full = Conv2dKernels.fullConvolution(g);
        return forward(full, gradOut, Conv2dKernels.flipped(g, w), null);
    }

    /**
     * Copies input plane {@code plane} (an index over N·C) into a zero-padded float plane of {@code length}
     * floats and row length {@code wp} at {@code dst[d]} (the depthwise kernels use it too).
     */
    static void pad(ConvGeometry g, float[] src, int plane, float[] dst, int d, int wp, int length) {
        int h = g.height();
        int w = g.width();
        int s = plane * h * w;
        int row = d + g.padTop() * wp + g.padLeft();
        java.util.Arrays.fill(dst, d, row, 0f);
        for (int iy = 0; iy < h; iy++, row += wp) {
            System.arraycopy(src, s + iy * w, dst, row, w);
            // The right padding of this row and the left padding of the next.
            java.util.Arrays.fill(dst, row + w, Math.min(row + wp, d + length), 0f);
        }
        if (row < d + length) {
            java.util.Arrays.fill(dst, row, d + length, 0f);
        }
    }

    /** Four output channels × three vectors: 12 accumulators, 3 loads and 4 broadcasts per (channel, tap). */
    private static void block4(float[] in, int len, int cg, int[] offs, float[] wf, int wi, int og, int v, float[] tile,
                               int t0, int wide) {
        VectorSpecies<Float> S = Species.FLOAT;
        FloatVector a00 = FloatVector.zero(S);
        FloatVector a01 = a00;
        FloatVector a02 = a00;
        FloatVector a10 = a00;
        FloatVector a11 = a00;
        FloatVector a12 = a00;
        FloatVector a20 = a00;
        FloatVector a21 = a00;
        FloatVector a22 = a00;
        FloatVector a30 = a00;
        FloatVector a31 = a00;
        FloatVector a32 = a00;
        for (int c = 0; c < cg; c++) {
            int base = c * len + v;
            for (int off : offs) {
                int p = base + off;
                FloatVector x0 = FloatVector.fromArray(S, in, p);
                FloatVector x1 = FloatVector.fromArray(S, in, p + VL);
                FloatVector x2 = FloatVector.fromArray(S, in, p + 2 * VL);
                FloatVector w0 = FloatVector.broadcast(S, wf[wi]);
                a00 = VectorOps.fma(x0, w0, a00);
                a01 = VectorOps.fma(x1, w0, a01);
                a02 = VectorOps.fma(x2, w0, a02);
                FloatVector w1 = FloatVector.broadcast(S, wf[wi + 1]);
                a10 = VectorOps.fma(x0, w1, a10);
                a11 = VectorOps.fma(x1, w1, a11);
                a12 = VectorOps.fma(x2, w1, a12);
                FloatVector w2 = FloatVector.broadcast(S, wf[wi + 2]);
                a20 = VectorOps.fma(x0, w2, a20);
                a21 = VectorOps.fma(x1, w2, a21);
                a22 = VectorOps.fma(x2, w2, a22);
                FloatVector w3 = FloatVector.broadcast(S, wf[wi + 3]);
                a30 = VectorOps.fma(x0, w3, a30);
                a31 = VectorOps.fma(x1, w3, a31);
                a32 = VectorOps.fma(x2, w3, a32);
                wi += og;
            }
        }
        a00.intoArray(tile, t0);
        a01.intoArray(tile, t0 + VL);
        a02.intoArray(tile, t0 + 2 * VL);
        a10.intoArray(tile, t0 + wide);
        a11.intoArray(tile, t0 + wide + VL);
        a12.intoArray(tile, t0 + wide + 2 * VL);
        a20.intoArray(tile, t0 + 2 * wide);
        a21.intoArray(tile, t0 + 2 * wide + VL);
        a22.intoArray(tile, t0 + 2 * wide + 2 * VL);
        a30.intoArray(tile, t0 + 3 * wide);
        a31.intoArray(tile, t0 + 3 * wide + VL);
        a32.intoArray(tile, t0 + 3 * wide + 2 * VL);
    }

    /** Six output channels × two vectors: 12 accumulators, 2 loads and 6 broadcasts per (channel, tap). */
    private static void block6(float[] in, int len, int cg, int[] offs, float[] wf, int wi, int og, int v, float[] tile,
                               int t0, int wide) {
        VectorSpecies<Float> S = Species.FLOAT;
        FloatVector a00 = FloatVector.zero(S);
        FloatVector a01 = a00;
        FloatVector a10 = a00;
        FloatVector a11 = a00;
        FloatVector a20 = a00;
        FloatVector a21 = a00;
        FloatVector a30 = a00;
        FloatVector a31 = a00;
        FloatVector a40 = a00;
        FloatVector a41 = a00;
        FloatVector a50 = a00;
        FloatVector a51 = a00;
        for (int c = 0; c < cg; c++) {
            int base = c * len + v;
            for (int off : offs) {
                int p = base + off;
                FloatVector x0 = FloatVector.fromArray(S, in, p);
                FloatVector x1 = FloatVector.fromArray(S, in, p + VL);
                FloatVector w0 = FloatVector.broadcast(S, wf[wi]);
                a00 = VectorOps.fma(x0, w0, a00);
                a01 = VectorOps.fma(x1, w0, a01);
                FloatVector w1 = FloatVector.broadcast(S, wf[wi + 1]);
                a10 = VectorOps.fma(x0, w1, a10);
                a11 = VectorOps.fma(x1, w1, a11);
                FloatVector w2 = FloatVector.broadcast(S, wf[wi + 2]);
                a20 = VectorOps.fma(x0, w2, a20);
                a21 = VectorOps.fma(x1, w2, a21);
                FloatVector w3 = FloatVector.broadcast(S, wf[wi + 3]);
                a30 = VectorOps.fma(x0, w3, a30);
                a31 = VectorOps.fma(x1, w3, a31);
                FloatVector w4 = FloatVector.broadcast(S, wf[wi + 4]);
                a40 = VectorOps.fma(x0, w4, a40);
                a41 = VectorOps.fma(x1, w4, a41);
                FloatVector w5 = FloatVector.broadcast(S, wf[wi + 5]);
                a50 = VectorOps.fma(x0, w5, a50);
                a51 = VectorOps.fma(x1, w5, a51);
                wi += og;
            }
        }
        a00.intoArray(tile, t0);
        a01.intoArray(tile, t0 + VL);
        a10.intoArray(tile, t0 + wide);
        a11.intoArray(tile, t0 + wide + VL);
        a20.intoArray(tile, t0 + 2 * wide);
        a21.intoArray(tile, t0 + 2 * wide + VL);
        a30.intoArray(tile, t0 + 3 * wide);
        a31.intoArray(tile, t0 + 3 * wide + VL);
        a40.intoArray(tile, t0 + 4 * wide);
        a41.intoArray(tile, t0 + 4 * wide + VL);
        a50.intoArray(tile, t0 + 5 * wide);
        a51.intoArray(tile, t0 + 5 * wide + VL);
    }

    /** One output channel × three vectors. */
    private static void block1(float[] in, int len, int cg, int[] offs, float[] wf, int wi, int og, int v, float[] tile,
                               int t0) {
        VectorSpecies<Float> S = Species.FLOAT;
        FloatVector a0 = FloatVector.zero(S);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        for (int c = 0; c < cg; c++) {
            int base = c * len + v;
            for (int off : offs) {
                int p = base + off;
                FloatVector w0 = FloatVector.broadcast(S, wf[wi]);
                a0 = VectorOps.fma(FloatVector.fromArray(S, in, p), w0, a0);
                a1 = VectorOps.fma(FloatVector.fromArray(S, in, p + VL), w0, a1);
                a2 = VectorOps.fma(FloatVector.fromArray(S, in, p + 2 * VL), w0, a2);
                wi += og;
            }
        }
        a0.intoArray(tile, t0);
        a1.intoArray(tile, t0 + VL);
        a2.intoArray(tile, t0 + 2 * VL);
    }

    /** The forward blocks' fused multiply-adds, one output at a time, in the same order. */
    private static void forwardScalar(float[] in, Plane pl, int cg, int[] offs, float[] wf, int wBase, int og,
                                      float[] tile) {
        for (int o = 0; o < og; o++) {
            for (int i = 0; i < pl.wide(); i++) {
                float acc = 0f;
                int wi = wBase + o;
                for (int c = 0; c < cg; c++) {
                    for (int off : offs) {
                        acc = Math.fma(in[c * pl.length() + i + off], wf[wi], acc);
                        wi += og;
                    }
                }
                tile[o * pl.wide() + i] = acc;
            }
        }
    }

    /** Images per weight-gradient chunk: about 16 chunks, fixed by the batch size alone. */
    private static int perChunk(int batch) {
        return (batch + 3) / 4;
    }

    /**
     * Weight gradient (O, C/groups, kh, kw) of a stride-1 convolution: per chunk of images, a task per (group,
     * block of WO output channels, input channel, block of WT taps) forms lane-wise sums of gradOut · shifted
     * input over the chunk's wide planes; lanes, then chunks, are added in order.
     */
    static float[] backwardWeight(ConvGeometry g, float[] gradOut, float[] x) {
        int og = g.outPerGroup();
        int cg = g.inPerGroup();
        int groups = g.groups();
        int outC = g.outChannels();
        int inC = g.inChannels();
        int taps = g.kernelH() * g.kernelW();
        int batch = g.batch();
        int oh = g.outH();
        int ow = g.outW();
        Plane pl = Plane.of(g);
        int[] offs = pl.tapOffsets(g);
        Workspace ws = Workspace.get();
        float[] xp = ws.floats(Workspace.INPUT_P, batch * inC * pl.length());
        float[] gw = ws.floats(Workspace.GRAD_T, batch * outC * pl.wide());
        Parallel.forRange(batch * inC, 1, p -> pad(g, x, p, xp, p * pl.length(), pl.wp(), pl.length()));
        Parallel.forRange(batch * outC, 1, p -> {
            int d = p * pl.wide();
            for (int y = 0; y < oh; y++) {
                int dst = d + y * pl.wp();
                System.arraycopy(gradOut, (p * oh + y) * ow, gw, dst, ow);
                java.util.Arrays.fill(gw, dst + ow, dst + pl.wp(), 0f);
            }
            java.util.Arrays.fill(gw, d + oh * pl.wp(), d + pl.wide(), 0f);
        });
        int per = perChunk(batch);
        int chunks = (batch + per - 1) / per;
        int ocBlocks = (og + WO - 1) / WO;
        int tapBlocks = (taps + WT - 1) / WT;
        int rows = cg * taps;
        float[] part = ws.floats(Workspace.PARTIAL, chunks * outC * rows);
        boolean vec = Sgemm.vectorized();
        Parallel.forRange(chunks * groups * ocBlocks * cg * tapBlocks, 4, task -> {
            int tb = task % tapBlocks;
            int c = (task / tapBlocks) % cg;
            int ob = (task / (tapBlocks * cg)) % ocBlocks;
            int grp = (task / (tapBlocks * cg * ocBlocks)) % groups;
            int chunk = task / (tapBlocks * cg * ocBlocks * groups);
            int[] oc = new int[WO];
            for (int k = 0; k < WO; k++) {
                oc[k] = grp * og + Math.min(ob * WO + k, og - 1);
            }
            int[] tapOff = new int[WT];
            for (int k = 0; k < WT; k++) {
                tapOff[k] = offs[Math.min(tb * WT + k, taps - 1)];
            }
            int first = chunk * per;
            int last = Math.min(batch, first + per);
            float[] sums = new float[WO * WT];
            if (vec) {
                weightBlock(gw, xp, pl, outC, inC, first, last, oc, grp * cg + c, tapOff, sums);
            } else {
                weightScalar(gw, xp, pl, outC, inC, first, last, oc, grp * cg + c, tapOff, sums);
            }
            for (int i = 0; i < WO && ob * WO + i < og; i++) {
                for (int k = 0; k < WT && tb * WT + k < taps; k++) {
                    part[(chunk * outC + oc[i]) * rows + c * taps + tb * WT + k] = sums[i * WT + k];
                }
            }
        });
        float[] gradW = new float[outC * rows];
        for (int i = 0; i < outC * rows; i++) {
            float s = part[i];
            for (int ch = 1; ch < chunks; ch++) {
                s += part[ch * outC * rows + i];
            }
            gradW[i] = s;
        }
        return gradW;
    }

    /**
     * WO output channels × WT taps: 20 accumulators over the wide planes of images [first, last), WO + WT loads
     * per vector position; the lane sums of channel i and tap k go to {@code sums[i·WT + k]}.
     */
    private static void weightBlock(float[] gw, float[] xp, Plane pl, int outC, int inC, int first, int last,
                                    int[] oc, int ch, int[] tapOff, float[] sums) {
        VectorSpecies<Float> S = Species.FLOAT;
        FloatVector a00 = FloatVector.zero(S);
        FloatVector a01 = a00;
        FloatVector a02 = a00;
        FloatVector a03 = a00;
        FloatVector a04 = a00;
        FloatVector a10 = a00;
        FloatVector a11 = a00;
        FloatVector a12 = a00;
        FloatVector a13 = a00;
        FloatVector a14 = a00;
        FloatVector a20 = a00;
        FloatVector a21 = a00;
        FloatVector a22 = a00;
        FloatVector a23 = a00;
        FloatVector a24 = a00;
        FloatVector a30 = a00;
        FloatVector a31 = a00;
        FloatVector a32 = a00;
        FloatVector a33 = a00;
        FloatVector a34 = a00;
        int o0 = tapOff[0];
        int o1 = tapOff[1];
        int o2 = tapOff[2];
        int o3 = tapOff[3];
        int o4 = tapOff[4];
        int wide = pl.wide();
        for (int n = first; n < last; n++) {
            int g0 = (n * outC + oc[0]) * wide;
            int g1 = (n * outC + oc[1]) * wide;
            int g2 = (n * outC + oc[2]) * wide;
            int g3 = (n * outC + oc[3]) * wide;
            int xb = (n * inC + ch) * pl.length();
            for (int i = 0; i < wide; i += VL) {
                FloatVector q0 = FloatVector.fromArray(S, gw, g0 + i);
                FloatVector q1 = FloatVector.fromArray(S, gw, g1 + i);
                FloatVector q2 = FloatVector.fromArray(S, gw, g2 + i);
                FloatVector q3 = FloatVector.fromArray(S, gw, g3 + i);
                int p = xb + i;
                FloatVector x = FloatVector.fromArray(S, xp, p + o0);
                a00 = VectorOps.fma(q0, x, a00);
                a10 = VectorOps.fma(q1, x, a10);
                a20 = VectorOps.fma(q2, x, a20);
                a30 = VectorOps.fma(q3, x, a30);
                x = FloatVector.fromArray(S, xp, p + o1);
                a01 = VectorOps.fma(q0, x, a01);
                a11 = VectorOps.fma(q1, x, a11);
                a21 = VectorOps.fma(q2, x, a21);
                a31 = VectorOps.fma(q3, x, a31);
                x = FloatVector.fromArray(S, xp, p + o2);
                a02 = VectorOps.fma(q0, x, a02);
                a12 = VectorOps.fma(q1, x, a12);
                a22 = VectorOps.fma(q2, x, a22);
                a32 = VectorOps.fma(q3, x, a32);
                x = FloatVector.fromArray(S, xp, p + o3);
                a03 = VectorOps.fma(q0, x, a03);
                a13 = VectorOps.fma(q1, x, a13);
                a23 = VectorOps.fma(q2, x, a23);
                a33 = VectorOps.fma(q3, x, a33);
                x = FloatVector.fromArray(S, xp, p + o4);
                a04 = VectorOps.fma(q0, x, a04);
                a14 = VectorOps.fma(q1, x, a14);
                a24 = VectorOps.fma(q2, x, a24);
                a34 = VectorOps.fma(q3, x, a34);
            }
        }
        // Each accumulator reduced where it is: putting them in an array would box them in the loop.
        float[] lanes = new float[VL];
        sums[0] = laneSum(a00, lanes);
        sums[1] = laneSum(a01, lanes);
        sums[2] = laneSum(a02, lanes);
        sums[3] = laneSum(a03, lanes);
        sums[4] = laneSum(a04, lanes);
        sums[5] = laneSum(a10, lanes);
        sums[6] = laneSum(a11, lanes);
        sums[7] = laneSum(a12, lanes);
        sums[8] = laneSum(a13, lanes);
        sums[9] = laneSum(a14, lanes);
        sums[10] = laneSum(a20, lanes);
        sums[11] = laneSum(a21, lanes);
        sums[12] = laneSum(a22, lanes);
        sums[13] = laneSum(a23, lanes);
        sums[14] = laneSum(a24, lanes);
        sums[15] = laneSum(a30, lanes);
        sums[16] = laneSum(a31, lanes);
        sums[17] = laneSum(a32, lanes);
        sums[18] = laneSum(a33, lanes);
        sums[19] = laneSum(a34, lanes);
    }

    /** The lanes of v added in lane order (reduceLanes leaves the order to the JIT, and so the bits). */
    private static float laneSum(FloatVector v, float[] lanes) {
        v.intoArray(lanes, 0);
        return laneSum(lanes);
    }

    /** The weight block's sums with scalar fused multiply-adds: one lane array per (channel, tap), same order. */
    private static void weightScalar(float[] gw, float[] xp, Plane pl, int outC, int inC, int first, int last,
                                     int[] oc, int ch, int[] tapOff, float[] sums) {
        int wide = pl.wide();
        float[] lanes = new float[VL];
        for (int k = 0; k < WO * WT; k++) {
            int off = tapOff[k % WT];
            java.util.Arrays.fill(lanes, 0f);
            for (int n = first; n < last; n++) {
                int gb = (n * outC + oc[k / WT]) * wide;
                int xb = (n * inC + ch) * pl.length() + off;
                for (int i = 0; i < wide; i++) {
                    lanes[i % VL] = Math.fma(gw[gb + i], xp[xb + i], lanes[i % VL]);
                }
            }
            sums[k] = laneSum(lanes);
        }
    }

    private static float laneSum(float[] lanes) {
        float s = 0f;
        for (float l : lanes) {
            s += l;
        }
        return s;
    }
}
