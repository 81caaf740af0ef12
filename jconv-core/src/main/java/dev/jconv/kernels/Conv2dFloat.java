package dev.jconv.kernels;

import static dev.jconv.kernels.Sgemm.MR;
import static dev.jconv.kernels.Sgemm.NC;
import static dev.jconv.kernels.Sgemm.NR;
import static dev.jconv.kernels.Sgemm.roundUp;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Float32 convolution kernels on top of {@link Sgemm}: im2col (patches written straight into packed B
 * panels), pointwise 1×1 as a plain GEMM and depthwise loops (Winograd is in {@link Winograd}). Inputs and
 * outputs are the float arrays float32 tensors hold; arithmetic is float with fused multiply-adds, except sums over
 * the batch that end in a bias or depthwise weight gradient, which are formed in double and rounded once.
 *
 * <p>Work is split into tasks whose boundaries depend only on the shape; sums that cross tasks (the
 * weight gradient over the batch) are formed per fixed chunk and added in chunk order, so the bits do not
 * depend on the thread count.
 */
final class Conv2dFloat {
    /** Float lanes (16 without the Vector API); species and shuffles are in {@link Species}, used only when vectorized. */
    private static final int VL = Vectors.FLOAT_LANES;

    private Conv2dFloat() {
    }

    // ---------------------------------------------------------------- im2col and pointwise

    /**
     * Forward by GEMM: out[grp] = W[grp] · cols(x[grp]), the columns running over the (image, position) pairs of
     * the whole batch, so that the small planes of deep layers (3×3 positions) still fill the GEMM's column
     * panels. Tasks split the output channels and the columns; each C element sums over k in the same order
     * whatever the split, so the bits do not depend on the thread count.
     */
    static float[] forwardGemm(ConvGeometry g, float[] x, float[] w, float[] bias) {
        int og = g.outPerGroup();
        int rows = g.colRows();
        int sp = g.outH() * g.outW();
        int groups = g.groups();
        int outC = g.outChannels();
        int aStride = roundUp(og, MR) * rows;
        // The weights are the A operand as they lie when each group's rows fill whole tiles (a copy of a deep
        // layer's weights cost as much as a tenth of its multiply); else packed once per call.
        float[] ap = og % MR == 0 ? w : Workspace.get().floats(Workspace.WEIGHTS, groups * aStride);
        for (int grp = 0; grp < groups && ap != w; grp++) {
            Sgemm.packA(og, rows, w, grp * og * rows, rows, 1, ap, grp * aStride);
        }
        float[] out = new float[g.batch() * outC * sp];
        int total = g.batch() * sp;
        Unfold unfold = new Unfold(g, x);
        Blocks whole = Blocks.of(og, total);
        if (whole.rowBlocks() == 1) {
            forwardGemmStreaming(g, whole, unfold, ap, aStride, bias, out);
            return out;
        }
        // Too few columns for NC-wide blocks alone (ResNet's 12×12 → 6×6 layer: 1,152): blocks narrower than NC
        // still stream, where row blocks would share B panels packed through memory first (3.0-3.2 → 2.6 ms).
        Blocks narrow = Blocks.columns(og, total);
        if (narrow != null) {
            forwardGemmStreaming(g, narrow, unfold, ap, aStride, bias, out);
            return out;
        }
        // The unfolded columns of a chunk of the batch, packed once and shared by every row block.
        int chunkCols = Math.max(NR, Math.min(roundUp(total, NR), COLUMN_BUDGET / rows / NR * NR));
        float[] bp = Workspace.get().floats(Workspace.B_PANELS, rows * chunkCols);
        for (int grp = 0; grp < groups; grp++) {
            int group = grp;
            for (int c0 = 0; c0 < total; c0 += chunkCols) {
                int cols = Math.min(chunkCols, total - c0);
                int first = c0;
                Sgemm.packPanels(im2col(unfold, grp), c0, cols, rows, bp);
                Blocks b = Blocks.of(og, cols);
                Parallel.forRange(b.tasks(), 1, t -> {
                    int r0 = b.row0(t);
                    int j0 = b.col0(t);
                    int mc = Math.min(b.rowBlock(), og - r0);
                    int nc = Math.min(b.colBlock(), cols - j0);
                    if (mc <= 0 || nc <= 0) {
                        return;
                    }
                    int ldc = roundUp(nc, NR);
                    float[] cb = Workspace.get().floats(Workspace.TILE_C, roundUp(mc, MR) * ldc);
                    Sgemm.multiplyPacked(mc, nc, rows, ap, group * aStride + r0 * rows, rows, bp, j0 / NR, cb, 0, ldc);
                    storeColumns(cb, ldc, mc, group * og + r0, first + j0, nc, sp, outC, bias, out);
                });
            }
        }
        return out;
    }

    /**
     * The forward of a GEMM cut into column blocks only (ResNet's stem, the 24×24 → 12×12 and 12×12 → 6×6
     * layers): no B panel is shared between tasks, so each task unfolds its own column block into a
     * workspace that stays in L2 and multiplies it at once, instead of the whole batch's columns being unfolded
     * into memory first (14 MB for the stem) and read back. The same k steps, hence the same bits.
     */
    private static void forwardGemmStreaming(ConvGeometry g, Blocks b, Unfold unfold, float[] ap, int aStride,
                                             float[] bias, float[] out) {
        int og = g.outPerGroup();
        int rows = g.colRows();
        int sp = g.outH() * g.outW();
        int total = g.batch() * sp;
        Parallel.forRange(g.groups() * b.colBlocks(), 1, t -> {
            int grp = t / b.colBlocks();
            int j0 = b.col0(t % b.colBlocks());
            int nc = Math.min(b.colBlock(), total - j0); // at least 1: every column block starts inside
            int ldc = roundUp(nc, NR);
            Workspace ws = Workspace.get();
            float[] panels = ws.floats(Workspace.PACK_B, rows * ldc);
            im2col(unfold, grp).pack(j0, nc, 0, rows, panels);
            float[] cb = ws.floats(Workspace.TILE_C, roundUp(og, MR) * ldc);
            Sgemm.multiplyPacked(og, nc, rows, ap, grp * aStride, rows, panels, 0, cb, 0, ldc);
            storeColumns(cb, ldc, og, grp * og, j0, nc, sp, g.outChannels(), bias, out);
        });
    }

    /**
     * Rows of a C block (output channels oc0 …, columns j0 … of the batch's (image, position) pairs) into the
     * output planes, plus the bias.
     */
    private static void storeColumns(float[] cb, int ldc, int mc, int oc0, int j0, int nc, int sp, int outC,
                                     float[] bias, float[] out) {
        for (int o = 0; o < mc; o++) {
            int oc = oc0 + o;
            float bv = bias == null ? 0f : bias[oc];
            for (int j = j0; j < j0 + nc; ) {
                int n = j / sp;
                int s0 = j % sp;
                int seg = Math.min(j0 + nc - j, sp - s0);
                Sgemm.store(cb, o * ldc + (j - j0), out, (n * outC + oc) * sp + s0, seg, bias != null, bv);
                j += seg;
            }
        }
    }

    /** Floats of packed B panels one call may hold (16 MiB): the batch's columns are taken in chunks of this. */
    private static final int COLUMN_BUDGET = 4 << 20;

    /**
     * How a GEMM of m rows and n columns is cut into tasks: column blocks of at most NC, equal in size, and,
     * when there are too few of them to keep the workers busy, row blocks as well.
     */
    record Blocks(int rowBlock, int rowBlocks, int colBlock, int colBlocks) {
        static Blocks of(int m, int n) {
            int colBlocks = (n + NC - 1) / NC;
            int colBlock = roundUp((n + colBlocks - 1) / colBlocks, NR);
            colBlocks = (n + colBlock - 1) / colBlock;
            int wanted = 4 * Parallel.threads();
            int rowBlocks = 1;
            if (colBlocks < wanted) {
                // Row blocks of at least 64 rows: each task copies its A rows per k block and starts a pass over
                // the shared B panels, which must stay small beside its multiply.
                rowBlocks = Math.max(1, Math.min((wanted + colBlocks - 1) / colBlocks, m / 64));
            }
            int rowBlock = roundUp((m + rowBlocks - 1) / rowBlocks, MR);
            rowBlocks = (m + rowBlock - 1) / rowBlock;
            return new Blocks(rowBlock, rowBlocks, colBlock, colBlocks);
        }

        /**
         * Column blocks only, narrower than NC, as many as the workers want (a multiple of the thread count), or
         * null when they would be narrower than two panels.
         */
        static Blocks columns(int m, int n) {
            int wanted = 4 * Parallel.threads();
            int colBlock = roundUp((n + wanted - 1) / wanted, NR);
            int colBlocks = (n + colBlock - 1) / colBlock;
            if (colBlock < 2 * NR || colBlocks % Parallel.threads() != 0) {
                return null;
            }
            return new Blocks(roundUp(m, MR), 1, colBlock, colBlocks);
        }

        int tasks() {
            return rowBlocks * colBlocks;
        }

        int row0(int task) {
            return task / colBlocks * rowBlock;
        }

        int col0(int task) {
            return task % colBlocks * colBlock;
        }
    }

    /**
     * Writes {@code count} consecutive entries of row r = (c, ki, kj) of the unfolded matrix of one image and
     * group, starting at output position s0, to {@code dst[d ...]}: zeros where the patch reads padding,
     * plain copies along output rows when the stride is 1.
     */
    static void unfoldRow(ConvGeometry g, float[] xf, int planeBase, int r, int s0, int count, float[] dst,
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
                    // Outputs u in [lo, hi) read inside the row; zeros on either side.
                    int lo = Math.min(seg, ix0 >= 0 ? 0 : (-ix0 + sw - 1) / sw);
                    int hi = Math.max(lo, Math.min(seg, w - ix0 <= 0 ? 0 : (w - 1 - ix0) / sw + 1));
                    java.util.Arrays.fill(dst, dd, dd + lo, 0f);
                    int u = lo;
                    int src = row + ix0;
                    if (sw == 2 && Sgemm.vectorized()) {
                        VectorSpecies<Float> S = Species.FLOAT;
                        // Even elements of two vectors: VL outputs per step.
                        for (; u + VL <= hi && src + 2 * u + 2 * VL <= xf.length; u += VL) {
                            FloatVector a = FloatVector.fromArray(S, xf, src + 2 * u);
                            VectorOps.select(Species.EVEN, a, FloatVector.fromArray(S, xf, src + 2 * u + VL))
                                    .intoArray(dst, dd + u);
                        }
                    }
                    for (; u < hi; u++) {
                        dst[dd + u] = xf[src + u * sw];
                    }
                    java.util.Arrays.fill(dst, dd + hi, dd + seg, 0f);
                }
            }
            t += seg;
            ox = 0;
            oy++;
        }
    }

    /** Packs im2col columns of group grp (over the whole batch) straight into B panels (row = (c, ki, kj)). */
    private static Sgemm.PackB im2col(Unfold unfold, int grp) {
        return (from, count, p0, kc, dst) -> {
            int np = (count + NR - 1) / NR;
            for (int q = 0; q < np; q++) {
                int j0 = from + q * NR;
                int cnt = Math.min(NR, from + count - j0);
                int base = q * kc * NR;
                for (int p = 0; p < kc; p++) {
                    int d = base + p * NR;
                    unfold.columns(grp, p0 + p, j0, cnt, dst, d);
                    if (cnt < NR) {
                        java.util.Arrays.fill(dst, d + cnt, d + NR, 0f);
                    }
                }
            }
        };
    }

    /** Input gradient by GEMM: cols = W[grp]ᵀ · gradOut[n, grp], then folded back (col2im). */
    static float[] backwardInputGemm(ConvGeometry g, float[] gradOut, float[] w) {
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
        float[] gradIn = new float[g.batch() * g.inChannels() * inPlane];
        // Images in chunks whose columns (image, position) fill at least one NC block: small planes share a GEMM.
        int perChunk = Math.max(1, Math.min(g.batch(), (2 * NC + sp - 1) / sp));
        int chunks = (g.batch() + perChunk - 1) / perChunk;
        int chunkImages = (g.batch() + chunks - 1) / chunks;
        int ldc = roundUp(chunkImages * sp, NR);
        float[] colBuf = Workspace.get().floats(Workspace.COLUMNS, roundUp(rows, MR) * ldc);
        float[] bp = Workspace.get().floats(Workspace.B_PANELS, og * ldc);
        // Chunks one after another; within a chunk the GEMM's row and column blocks, then its images, in parallel.
        for (int n0 = 0; n0 < g.batch(); n0 += chunkImages) {
            int first = n0;
            int images = Math.min(chunkImages, g.batch() - n0);
            int cols = images * sp;
            Blocks b = Blocks.of(rows, cols);
            for (int grp = 0; grp < groups; grp++) {
                int group = grp;
                Sgemm.packPanels(gradColumns(g, gradOut, group, first), 0, cols, og, bp);
                Parallel.forRange(b.tasks(), 1, t -> {
                    int r0 = b.row0(t);
                    int j0 = b.col0(t);
                    int mc = Math.min(b.rowBlock(), rows - r0);
                    int nc = Math.min(b.colBlock(), cols - j0);
                    if (mc > 0 && nc > 0) {
                        Sgemm.multiplyPacked(mc, nc, og, ap, group * aStride + r0 * og, og, bp, j0 / NR, colBuf,
                                r0 * ldc + j0, ldc);
                    }
                });
                Parallel.forRange(images, 1, i -> col2im(g, colBuf, ldc, i * sp, first + i, group, gradIn));
            }
        }
        return gradIn;
    }

    /**
     * A B packer over the output gradient of group grp: element (k = output channel o, column j) is position
     * j % sp of image n0 + j / sp.
     */
    private static Sgemm.PackB gradColumns(ConvGeometry g, float[] gradOut, int grp, int n0) {
        int sp = g.outH() * g.outW();
        int outC = g.outChannels();
        int og = g.outPerGroup();
        return (from, count, p0, kc, dst) -> {
            int np = (count + NR - 1) / NR;
            for (int q = 0; q < np; q++) {
                int j0 = from + q * NR;
                int cnt = Math.min(NR, from + count - j0);
                int base = q * kc * NR;
                for (int p = 0; p < kc; p++) {
                    int d = base + p * NR;
                    for (int j = j0; j < j0 + cnt; ) {
                        int n = n0 + j / sp;
                        int s0 = j % sp;
                        int seg = Math.min(j0 + cnt - j, sp - s0);
                        System.arraycopy(gradOut, (n * outC + grp * og + p0 + p) * sp + s0, dst, d + (j - j0), seg);
                        j += seg;
                    }
                    if (cnt < NR) {
                        java.util.Arrays.fill(dst, d + cnt, d + NR, 0f);
                    }
                }
            }
        };
    }

    /** Adds the float columns (row stride ldc, from column colOff) of image n, group grp into the input gradient. */
    private static void col2im(ConvGeometry g, float[] cols, int ldc, int colOff, int n, int grp, float[] gradIn) {
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
                    int base = row * ldc + colOff;
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
    private static final int WEIGHT_ROWS = 64 * MR;
    /** Positions a weight-gradient chunk sums at the least. */
    private static final int MIN_CHUNK_K = 512;
    /**
     * Row blocks a weight gradient aims for (at least 64 rows each): 16 rather than 4 balance the two cores on
     * deep strided layers, whose 9 or 5 blocks of 256 rows left one core idle at the end (2304 rows, 6×6 → 3×3:
     * 3.7–4.4 → 3.4–4.3 ms).
     */
    private static final int ROW_TASKS = 16;

    /**
     * Weight gradient by GEMM, transposed so that the unfolded input is the row-major A operand:
     * gradW[grp]ᵀ = Σₙ cols(x[n, grp]) · gradOut[n, grp]ᵀ. The batch is cut into chunks fixed by the shape;
     * each chunk's sum is a task of its own and the chunks are added in order.
     */
    static float[] backwardWeightGemm(ConvGeometry g, float[] gradOut, float[] x) {
        int og = g.outPerGroup();
        int rows = g.colRows();
        int sp = g.outH() * g.outW();
        int groups = g.groups();
        int outC = g.outChannels();
        int batch = g.batch();
        // Row blocks of 64 to WEIGHT_ROWS rows, ROW_TASKS of them when the rows allow, then batch chunks up to
        // about 16 tasks, each chunk summing at least MIN_CHUNK_K positions: chunks of a few positions each (a 3x3
        // plane) cost a pass over their partial sums for little work.
        int rowBlock = Math.min(WEIGHT_ROWS, Math.max(16 * MR, roundUp((rows + ROW_TASKS - 1) / ROW_TASKS, MR)));
        int mb = (rows + rowBlock - 1) / rowBlock;
        int wanted = Math.min(batch, Math.max(1, (16 + mb * groups - 1) / (mb * groups)));
        wanted = Math.max(1, Math.min(wanted, batch * sp / MIN_CHUNK_K));
        int perChunk = (batch + wanted - 1) / wanted;
        int chunks = (batch + perChunk - 1) / perChunk;
        int ldc = roundUp(og, NR);
        int rowsPad = roundUp(rows, MR);
        int partStride = groups * rowsPad * ldc;
        // gradOutᵀ of each group packed once into B panels whose k index runs over the (image, position) pairs
        // of the whole batch: panel q of group grp at (grp·np + q)·total·NR, shared by the row blocks.
        int np = (og + NR - 1) / NR;
        int total = batch * sp;
        float[] bt = Workspace.get().floats(Workspace.GRAD_T, groups * np * total * NR);
        Parallel.forRange(batch * groups, 1, t -> {
            int n = t / groups;
            int grp = t % groups;
            // Positions in blocks of 64, so that the panel rows being filled (one cache line per 16 channels)
            // stay in L1 while every channel writes into them.
            for (int p0 = 0; p0 < sp; p0 += 64) {
                int p1 = Math.min(sp, p0 + 64);
                for (int j = 0; j < np * NR; j++) {
                    int d = ((grp * np + j / NR) * total + n * sp) * NR + j % NR;
                    int src = (n * outC + grp * og + j) * sp;
                    for (int p = p0; p < p1; p++) {
                        bt[d + p * NR] = j < og ? gradOut[src + p] : 0f;
                    }
                }
            }
        });
        float[] part = Workspace.get().floats(Workspace.PARTIAL, chunks * partStride);
        Unfold unfold = new Unfold(g, x);
        Parallel.forRange(chunks * groups * mb, 1, t -> {
            int ib = t % mb;
            int grp = (t / mb) % groups;
            int chunk = t / (mb * groups);
            int r0 = ib * rowBlock;
            int mc = Math.min(rowBlock, rows - r0);
            int mcPad = roundUp(mc, MR);
            int cOff = chunk * partStride + grp * rowsPad * ldc + r0 * ldc;
            // The chunk's k range: its images' positions, in equal steps of at most KC (196 as 98 + 98).
            int k0 = chunk * perChunk * sp;
            int k1 = Math.min(batch, (chunk + 1) * perChunk) * sp;
            int kStep = Sgemm.evenStep(k1 - k0);
            float[] ab = Workspace.get().floats(Workspace.PACK_A_BLOCK, mcPad * Math.min(kStep, k1 - k0));
            for (int pc = k0; pc < k1; pc += kStep) {
                int kc = Math.min(kStep, k1 - pc);
                // The A block: unfolded rows r0.. for columns pc.., row stride kc.
                for (int i = 0; i < mcPad; i++) {
                    if (i >= mc) {
                        java.util.Arrays.fill(ab, i * kc, (i + 1) * kc, 0f);
                    } else {
                        unfold.columns(grp, r0 + i, pc, kc, ab, i * kc);
                    }
                }
                Sgemm.loop(mc, og, kc, ab, 0, kc, bt, (grp * np * total + pc) * NR, total * NR, part, cOff, ldc,
                        pc > k0);
            }
        });
        float[] gradW = new float[outC * rows];
        // The chunks' sums added in chunk order and transposed in 16×16 tiles: the partial sums are read a cache
        // line of channels at a time and the gradient written a cache line of positions at a time (writing one
        // element per row of the gradient hit the same few cache sets over and over). Scalar: as vectors this
        // task, run a few times a step per shape, stayed with C1 for DenseNet's first several steps, boxing
        // every vector (up to a fifth of a step's allocation samples), for 4% less time once compiled by C2.
        int ocBlocks = (og + 15) / 16;
        Parallel.forRange(groups * ocBlocks, 1, t -> {
            int grp = t / ocBlocks;
            int o0 = t % ocBlocks * 16;
            int o1 = Math.min(og, o0 + 16);
            int base = grp * rowsPad * ldc;
            float[] tile = new float[16 * 16];
            for (int r0 = 0; r0 < rows; r0 += 16) {
                int r1 = Math.min(rows, r0 + 16);
                for (int r = r0; r < r1; r++) {
                    int src = base + r * ldc;
                    for (int o = o0; o < o1; o++) {
                        float s = part[src + o];
                        for (int ch = 1; ch < chunks; ch++) {
                            s += part[ch * partStride + src + o];
                        }
                        tile[(o - o0) * 16 + r - r0] = s;
                    }
                }
                for (int o = o0; o < o1; o++) {
                    System.arraycopy(tile, (o - o0) * 16, gradW, (grp * og + o) * rows + r0, r1 - r0);
                }
            }
        });
        return gradW;
    }

    // ---------------------------------------------------------------- bias

    /**
     * Bias gradient: per channel, the sum over batch and positions, in double ({@link FloatKernels#channelSum},
     * batch norm's too); the order is fixed, so are the bits, with or without the Vector API. (Widening float
     * vectors into double ones was slower here.)
     */
    static float[] backwardBias(ConvGeometry g, float[] gradOut) {
        int sp = g.outH() * g.outW();
        int outC = g.outChannels();
        float[] gradB = new float[outC];
        Parallel.forRange(outC, 1, o -> gradB[o] = (float) FloatKernels.channelSum(gradOut, g.batch(), outC, o, sp));
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

    /** acc[i] = fma(a, v[vOff + i], acc[i]) for i in [0, len), in vector steps with a scalar tail. */
    private static void axpy(float a, float[] v, int vOff, float[] acc, int aOff, int len, boolean vec) {
        int i = 0;
        if (vec) {
            VectorSpecies<Float> S = Species.FLOAT;
            FloatVector av = FloatVector.broadcast(S, a);
            for (; i <= len - S.length(); i += S.length()) {
                VectorOps.fma(FloatVector.fromArray(S, v, vOff + i), av, FloatVector.fromArray(S, acc, aOff + i))
                        .intoArray(acc, aOff + i);
            }
        }
        for (; i < len; i++) {
            acc[aOff + i] = Math.fma(v[vOff + i], a, acc[aOff + i]);
        }
    }

    /** Depthwise forward: each output channel o reads input channel o / (O / C) only. */
    static float[] forwardDepthwise(ConvGeometry g, float[] x, float[] w, float[] bias) {
        int oh = g.outH();
        int ow = g.outW();
        int sp = oh * ow;
        int outC = g.outChannels();
        int mult = g.outPerGroup();
        int ph = paddedH(g);
        int pw = paddedW(g);
        int kh = g.kernelH();
        int kw = g.kernelW();
        float[] out = new float[g.batch() * outC * sp];
        boolean vec = Sgemm.vectorized();
        Parallel.forRange(g.batch() * outC, 1, t -> {
            int n = t / outC;
            int o = t % outC;
            Workspace ws = Workspace.get();
            float[] plane = ws.floats(Workspace.PLANE, ph * pw);
            float[] acc = ws.floats(Workspace.TILE_C, sp);
            Conv2dSliding.pad(g, x, n * g.inChannels() + o / mult, plane, 0, pw, ph * pw);
            java.util.Arrays.fill(acc, 0, sp, 0f);
            for (int ki = 0; ki < kh; ki++) {
                for (int kj = 0; kj < kw; kj++) {
                    float wv = w[(o * kh + ki) * kw + kj];
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
            Sgemm.store(acc, 0, out, dst, sp, bias != null, bias == null ? 0f : bias[o]);
        });
        return out;
    }

    /** Depthwise input gradient: scatters each output gradient row back into a padded plane per channel. */
    static float[] backwardInputDepthwise(ConvGeometry g, float[] gradOut, float[] w) {
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
        float[] gradIn = new float[g.batch() * inC * h * wd];
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
                System.arraycopy(gradOut, (n * outC + o) * sp, go, 0, sp);
                for (int ki = 0; ki < kh; ki++) {
                    for (int kj = 0; kj < kw; kj++) {
                        float wv = w[(o * kh + ki) * kw + kj];
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
                System.arraycopy(plane, (iy + g.padTop()) * pw + g.padLeft(), gradIn, base + iy * wd, wd);
            }
        });
        return gradIn;
    }

    /** Depthwise weight gradient: per output channel, one dot product per tap and image, images in order. */
    static float[] backwardWeightDepthwise(ConvGeometry g, float[] gradOut, float[] x) {
        int oh = g.outH();
        int ow = g.outW();
        int sp = oh * ow;
        int outC = g.outChannels();
        int mult = g.outPerGroup();
        int ph = paddedH(g);
        int pw = paddedW(g);
        int kh = g.kernelH();
        int kw = g.kernelW();
        // Summed over the batch in double, rounded once at the end.
        double[] sums = new double[outC * kh * kw];
        boolean vec = Sgemm.vectorized();
        Parallel.forRange(outC, 1, o -> {
            Workspace ws = Workspace.get();
            float[] plane = ws.floats(Workspace.PLANE, ph * pw);
            float[] go = ws.floats(Workspace.TILE_C, sp);
            VectorSpecies<Float> S = vec ? Species.FLOAT : null;
            float[] lanes = new float[VL];
            for (int n = 0; n < g.batch(); n++) {
                Conv2dSliding.pad(g, x, n * g.inChannels() + o / mult, plane, 0, pw, ph * pw);
                System.arraycopy(gradOut, (n * outC + o) * sp, go, 0, sp);
                for (int ki = 0; ki < kh; ki++) {
                    for (int kj = 0; kj < kw; kj++) {
                        float s = 0f;
                        FloatVector acc = vec && g.strideW() == 1 ? FloatVector.zero(S) : null;
                        for (int oy = 0; oy < oh; oy++) {
                            int p = (oy * g.strideH() + ki * g.dilationH()) * pw + kj * g.dilationW();
                            int ox = 0;
                            if (acc != null) {
                                for (; ox <= ow - S.length(); ox += S.length()) {
                                    acc = VectorOps.fma(FloatVector.fromArray(S, go, oy * ow + ox),
                                            FloatVector.fromArray(S, plane, p + ox), acc);
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
                        sums[(o * kh + ki) * kw + kj] += s;
                    }
                }
            }
        });
        float[] gradW = new float[sums.length];
        for (int i = 0; i < sums.length; i++) {
            gradW[i] = (float) sums[i];
        }
        return gradW;
    }
}
