package dev.jconv.kernels;

import static dev.jconv.kernels.Sgemm.MR;
import static dev.jconv.kernels.Sgemm.NR;
import static dev.jconv.kernels.Sgemm.roundUp;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Winograd F(2×2, 3×3) convolutions in float32 (Lavin and Gray, 2016): 3×3 kernels with stride 1 and dilation
 * 1, on 2×2 output tiles that read 4×4 input tiles. Each tile and channel is transformed (V = Bᵀ·d·B), each
 * kernel (U = G·g·Gᵀ), and the sixteen elements ξ of a tile become sixteen GEMMs over channels with
 * 16 multiplies per tile instead of 36. The forward (and through it the stride-1 input gradient, a forward
 * convolution of the output gradient) and the weight gradient run here.
 *
 * <p>Tiles are numbered across the whole batch and taken in blocks of {@link #TILES} (one packed GEMM panel):
 * a block may span images, so small planes fill whole panels.
 */
final class Winograd {
    /** Float lanes (16 without the Vector API); species and shuffles are in {@link Species}, used only when vectorized. */
    private static final int VL = Vectors.FLOAT_LANES;

    private Winograd() {
    }

    /** Output tiles per Winograd task: a multiple of NR so panels are whole. */
    private static final int TILES = NR;
    /** Floats added to the strides of the sixteen Winograd blocks (a cache line and a half). */
    static final int SKEW = 24;

    /**
     * Winograd F(2×2, 3×3) forward (Lavin and Gray): U = G·g·Gᵀ per (o, c), V = Bᵀ·d·B per input tile and
     * channel, sixteen GEMMs M[ξ] = U[ξ]·V[ξ] over channels, and Y = Aᵀ·M·A per output tile. V is written
     * straight into packed B panels and U into packed A panels.
     */
    static float[] forward(ConvGeometry g, float[] x, float[] w, float[] bias) {
        return run(g, x, w, bias, false);
    }

    /**
     * The stride-1 input gradient as the forward of the full convolution {@code full}
     * ({@link Conv2dKernels#fullConvolution}) of the output gradient, from the forward's own weights w: kernel
     * (o, c) of the full convolution is the forward's kernel (c, o) reversed, and the transform of a reversed
     * kernel is the transform with its rows and columns 0 and 3 swapped (G·J = P·G), so U is built from w
     * directly, with no flipped copy of the weights.
     */
    static float[] inputGradient(ConvGeometry full, float[] gradOut, float[] w) {
        return run(full, gradOut, w, null, true);
    }

    private static float[] run(ConvGeometry g, float[] x, float[] w, float[] bias, boolean flip) {
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
        // Only the padding rows past og need zeros; every other entry is written below, one output channel a task.
        for (int b = 0; b < 16 * groups; b++) {
            java.util.Arrays.fill(u, b * aStride + og * cg, (b + 1) * aStride, 0f);
        }
        boolean vec = Sgemm.vectorized();
        int xiStride = groups * aStride;
        Parallel.forRange(outC, 16, oc -> {
            int grp = oc / og;
            int o = oc % og;
            // Kernel (o, c): w[(oc·cg + c)·9]; flipped, the forward's kernel (c, o) of the group,
            // w[((grp·cg + c)·og + o)·9].
            int off = flip ? (grp * cg * og + o) * 9 : oc * cg * 9;
            int step = flip ? og * 9 : 9;
            int c = 0;
            if (vec) {
                float[] lanes = new float[9 * VL];
                for (; c + VL <= cg; c += VL) {
                    weightTransform(w, off + c * step, step, lanes, u, grp * aStride + o * cg + c, xiStride, flip);
                }
            }
            for (; c < cg; c++) {
                weightTransformScalar(w, off + c * step, u, grp * aStride + o * cg + c, xiStride, flip);
            }
        });
        float[] out = new float[g.batch() * outC * oh * ow];
        // Blocks of TILES tiles numbered across the whole batch: a block may span images, so planes whose
        // tile count is not a multiple of the block (36 tiles at 12×12, 144 at 24×24) leave no columns idle.
        int totalTiles = g.batch() * tiles;
        int nb = (totalTiles + TILES - 1) / TILES;
        // The sixteen transformed blocks are written and read side by side: pad their strides off multiples of
        // 4 KiB so that the sixteen streams do not fall into the same L1 sets.
        int vStride = TILES * cg + SKEW;
        int mStride = ogPad * TILES + SKEW;
        int ldc = TILES;
        WinogradTiles.Padded padded = WinogradTiles.pad(g, x, (oh + 1) / 2, tilesW);
        // Too few blocks to keep every core busy to the end (4.5 blocks on 6×6 planes: three tasks on one core,
        // two on the other): the output channels are split as well, each part transforming its block again.
        int parts = Math.max(1, Math.min(ogPad / (4 * MR), (4 * Parallel.threads() + groups * nb - 1) / (groups * nb)));
        int partRows = roundUp((og + parts - 1) / parts, MR);
        int splits = (og + partRows - 1) / partRows;
        Parallel.forRange(groups * nb * splits, 1, task -> {
            int part = task % splits;
            int t = task / splits;
            int jb = t % nb;
            int grp = t / nb;
            int r0 = part * partRows;
            int rows = Math.min(partRows, og - r0);
            int b0 = jb * TILES;
            int nt = Math.min(TILES, totalTiles - b0);
            Workspace ws = Workspace.get();
            float[] v = ws.floats(Workspace.WINO_V, 16 * vStride);
            float[] m = ws.floats(Workspace.TILE_C, 16 * mStride);
            for (int j = 0; j < nt; ) {
                int n = (b0 + j) / tiles;
                int t0 = (b0 + j) % tiles;
                int cnt = Math.min(nt - j, tiles - t0);
                WinogradTiles.input(padded, n * g.inChannels() + grp * cg, cg, t0, cnt, j, tilesW, v, vStride, NR);
                j += cnt;
            }
            // Columns past the last tile of a partial block: zeros, so padded panels stay finite.
            for (int c = 0; c < cg; c++) {
                for (int jt = nt; jt < roundUp(nt, NR); jt++) {
                    int dst = c * NR + jt;
                    for (int xi = 0; xi < 16; xi++) {
                        v[xi * vStride + dst] = 0f;
                    }
                }
            }
            for (int xi = 0; xi < 16; xi++) {
                for (int pc = 0; pc < cg; pc += Sgemm.KC) {
                    int kc = Math.min(Sgemm.KC, cg - pc);
                    Sgemm.loop(rows, nt, kc, u, (xi * groups + grp) * aStride + r0 * cg + pc, cg, v,
                            xi * vStride + pc * NR, cg * NR, m, xi * mStride + r0 * ldc, ldc, pc > 0);
                }
            }
            for (int j = 0; j < nt; ) {
                int n = (b0 + j) / tiles;
                int t0 = (b0 + j) % tiles;
                int cnt = Math.min(nt - j, tiles - t0);
                WinogradTiles.output(g, m, mStride, ldc, n, grp, r0, r0 + rows, t0, cnt, j, tilesW, bias, out);
                j += cnt;
            }
        });
        return out;
    }

    /**
     * Floats of the weight gradient's partial sums (4 MiB): the batch's tile blocks are cut into as many parts,
     * each summed into a dU of its own, as fit (two to eight: more parts balance the cores better, and every
     * part's dU is read once more when the parts are added).
     */
    private static final int PARTIAL_BUDGET = 1 << 20;

    /**
     * Weight gradient. With M = U ⊙ V per tile and Y = Aᵀ·M·A, the output gradient of a tile becomes
     * dM = A·dY·Aᵀ, the gradient of U[ξ] is the sum over the batch's tiles of dM[ξ] times V[ξ], sixteen GEMMs
     * whose k runs over tiles, and the kernel's gradient is Gᵀ·dU·G. Each GEMM computes dU[ξ]ᵀ (channels ×
     * outputs) = V[ξ] · dM[ξ]ᵀ: V is the row-major A operand as the forward's transform writes it, dM is written
     * into packed B panels. A task transforms one block of 64 tiles at a time and multiplies it at once, while
     * both transforms are still in its cache (transforming the whole batch first wrote and read back four times
     * the input through memory); the blocks are cut into parts fixed by the shape, each summing its blocks in
     * order into a dU of its own, and the parts are added in order: the bits do not depend on the thread count.
     */
    static float[] backwardWeight(ConvGeometry g, float[] gradOut, float[] x) {
        int og = g.outPerGroup();
        int cg = g.inPerGroup();
        int tilesW = (g.outW() + 1) / 2;
        int tiles = ((g.outH() + 1) / 2) * tilesW;
        int total = g.batch() * tiles;
        int cgPad = roundUp(cg, MR);
        int ldc = roundUp(og, NR);
        int blocks = (total + TILES - 1) / TILES;
        int vStride = cgPad * TILES + SKEW;
        int gStride = ldc * TILES + SKEW;
        int cStride = cgPad * ldc;
        int partStride = 16 * cStride;
        int parts = Math.min(blocks, Math.max(2, Math.min(8, PARTIAL_BUDGET / partStride / 2 * 2)));
        float[] du = Workspace.get().floats(Workspace.PARTIAL, parts * partStride);
        float[] gradW = new float[g.outChannels() * cg * 9];
        WinogradTiles.Padded padded = WinogradTiles.pad(g, x, (g.outH() + 1) / 2, tilesW);
        for (int grp = 0; grp < g.groups(); grp++) {
            int group = grp;
            Parallel.forRange(parts, 1, part -> {
                Workspace ws = Workspace.get();
                float[] v = ws.floats(Workspace.WINO_VT, 16 * vStride);
                float[] gt = ws.floats(Workspace.WINO_GT, 16 * gStride);
                int first = part * blocks / parts;
                for (int b = first; b < (part + 1) * blocks / parts; b++) {
                    int j0 = b * TILES;
                    int kc = Math.min(TILES, total - j0);
                    for (int j = 0; j < kc; ) {
                        int n = (j0 + j) / tiles;
                        int t0 = (j0 + j) % tiles;
                        int cnt = Math.min(kc - j, tiles - t0);
                        WinogradTiles.input(padded, n * g.inChannels() + group * cg, cg, t0, cnt, j, tilesW, v,
                                vStride, TILES);
                        WinogradTiles.outputGradient(g, gradOut, n, group, t0, cnt, j, tilesW, gt, kc);
                        j += cnt;
                    }
                    // Rows of V past the channels and panel columns of dM past the outputs: zeros, whose products
                    // land only in the padding of the result.
                    for (int xi = 0; xi < 16; xi++) {
                        java.util.Arrays.fill(v, xi * vStride + cg * TILES, xi * vStride + cgPad * TILES, 0f);
                        if (og < ldc) {
                            int base = xi * (ldc * kc + SKEW) + (ldc / NR - 1) * kc * NR;
                            for (int t = 0; t < kc; t++) {
                                java.util.Arrays.fill(gt, base + t * NR + og % NR, base + (t + 1) * NR, 0f);
                            }
                        }
                        Sgemm.multiplyPacked(cg, og, kc, v, xi * vStride, TILES, gt, xi * (ldc * kc + SKEW), du,
                                part * partStride + xi * cStride, ldc, b > first);
                    }
                }
            });
            if (parts > 1) {
                int chunk = 1 << 14;
                Parallel.forRange((partStride + chunk - 1) / chunk, 1, t -> {
                    for (int i = t * chunk, end = Math.min(partStride, i + chunk); i < end; i++) {
                        float sum = du[i];
                        for (int p = 1; p < parts; p++) {
                            sum += du[p * partStride + i];
                        }
                        du[i] = sum;
                    }
                });
            }
            Parallel.forRange(cg, 16, c -> kernelGradient(du, cStride, ldc, c, cg, og, group, gradW));
        }
        return gradW;
    }

    /**
     * dg = Gᵀ·dU·G (G = [[1,0,0],[½,½,½],[½,−½,½],[0,0,1]]) for input channel c and every output of group grp,
     * dU[ξ] for (c, o) at {@code du[ξ·cStride + c·ldc + o]}.
     */
    private static void kernelGradient(float[] du, int cStride, int ldc, int c, int cg, int og, int grp,
                                       float[] gradW) {
        float[] y = new float[12];
        for (int o = 0; o < og; o++) {
            int src = c * ldc + o;
            // Y = dU·G, row by row.
            for (int i = 0; i < 4; i++) {
                float x0 = du[(4 * i) * cStride + src];
                float x1 = du[(4 * i + 1) * cStride + src];
                float x2 = du[(4 * i + 2) * cStride + src];
                float x3 = du[(4 * i + 3) * cStride + src];
                y[3 * i] = x0 + (x1 + x2) * 0.5f;
                y[3 * i + 1] = (x1 - x2) * 0.5f;
                y[3 * i + 2] = (x1 + x2) * 0.5f + x3;
            }
            int dst = ((grp * og + o) * cg + c) * 9;
            for (int j = 0; j < 3; j++) {
                float y0 = y[j];
                float y1 = y[3 + j];
                float y2 = y[6 + j];
                float y3 = y[9 + j];
                gradW[dst + j] = y0 + (y1 + y2) * 0.5f;
                gradW[dst + 3 + j] = (y1 - y2) * 0.5f;
                gradW[dst + 6 + j] = (y1 + y2) * 0.5f + y3;
            }
        }
    }

    /**
     * U = G·k·Gᵀ with G = [[1,0,0],[½,½,½],[½,−½,½],[0,0,1]] for VL consecutive 3×3 kernels at once, one per
     * lane: their 9·VL floats at {@code w[off]} are first transposed into {@code lanes} (tap-major; the Vector
     * API's gather allocated its index vector on every call), then element ξ of kernel i goes to
     * {@code u[dst + ξ·xiStride + i]}, a vector store per ξ. Float arithmetic in the order of
     * {@link #weightTransformScalar}: the same bits.
     */
    private static void weightTransform(float[] w, int off, int step, float[] lanes, float[] u, int dst, int xiStride,
                                        boolean flip) {
        VectorSpecies<Float> S = Species.FLOAT;
        for (int i = 0; i < VL; i++) {
            for (int t = 0; t < 9; t++) {
                lanes[t * VL + i] = w[off + step * i + t];
            }
        }
        // Element (i, j) of U at slot 4·i + j, or for a reversed kernel at slot 4·p(i) + p(j), p swapping 0 and 3.
        int first = flip ? 3 * xiStride : 0;
        int last = flip ? 0 : 3 * xiStride;
        FloatVector k00 = FloatVector.fromArray(S, lanes, 0);
        FloatVector k01 = FloatVector.fromArray(S, lanes, VL);
        FloatVector k02 = FloatVector.fromArray(S, lanes, 2 * VL);
        FloatVector k10 = FloatVector.fromArray(S, lanes, 3 * VL);
        FloatVector k11 = FloatVector.fromArray(S, lanes, 4 * VL);
        FloatVector k12 = FloatVector.fromArray(S, lanes, 5 * VL);
        FloatVector k20 = FloatVector.fromArray(S, lanes, 6 * VL);
        FloatVector k21 = FloatVector.fromArray(S, lanes, 7 * VL);
        FloatVector k22 = FloatVector.fromArray(S, lanes, 8 * VL);
        // Rows of G·k, each then multiplied by Gᵀ into four elements of U. Written out rather than through a
        // helper taking vectors: where C2 did not inline such a helper, every vector argument was boxed.
        for (int i = 0; i < 4; i++) {
            FloatVector a;
            FloatVector b;
            FloatVector c;
            if (i == 0) {
                a = k00;
                b = k01;
                c = k02;
            } else if (i == 1) {
                a = VectorOps.add(VectorOps.add(k00, k10), k20).mul(0.5f);
                b = VectorOps.add(VectorOps.add(k01, k11), k21).mul(0.5f);
                c = VectorOps.add(VectorOps.add(k02, k12), k22).mul(0.5f);
            } else if (i == 2) {
                a = VectorOps.add(VectorOps.sub(k00, k10), k20).mul(0.5f);
                b = VectorOps.add(VectorOps.sub(k01, k11), k21).mul(0.5f);
                c = VectorOps.add(VectorOps.sub(k02, k12), k22).mul(0.5f);
            } else {
                a = k20;
                b = k21;
                c = k22;
            }
            // (a, b, c)·Gᵀ = (a, ½(a + b + c), ½(a − b + c), c).
            int d = dst + 4 * (flip && (i == 0 || i == 3) ? 3 - i : i) * xiStride;
            a.intoArray(u, d + first);
            VectorOps.add(VectorOps.add(a, b), c).mul(0.5f).intoArray(u, d + xiStride);
            VectorOps.add(VectorOps.sub(a, b), c).mul(0.5f).intoArray(u, d + 2 * xiStride);
            c.intoArray(u, d + last);
        }
    }

    /** {@link #weightTransform} for one kernel, element ξ to {@code u[dst + ξ·xiStride]} (slots swapped when flip). */
    private static void weightTransformScalar(float[] w, int off, float[] u, int dst, int xiStride, boolean flip) {
        int first = flip ? 3 * xiStride : 0;
        int last = flip ? 0 : 3 * xiStride;
        for (int i = 0; i < 4; i++) {
            // Row i of G·k.
            float[] t = new float[3];
            for (int j = 0; j < 3; j++) {
                float k0 = w[off + j];
                float k1 = w[off + 3 + j];
                float k2 = w[off + 6 + j];
                t[j] = switch (i) {
                    case 0 -> k0;
                    case 1 -> (k0 + k1 + k2) * 0.5f;
                    case 2 -> (k0 - k1 + k2) * 0.5f;
                    default -> k2;
                };
            }
            int d = dst + 4 * (flip && (i == 0 || i == 3) ? 3 - i : i) * xiStride;
            u[d + first] = t[0];
            u[d + xiStride] = (t[0] + t[1] + t[2]) * 0.5f;
            u[d + 2 * xiStride] = (t[0] - t[1] + t[2]) * 0.5f;
            u[d + last] = t[2];
        }
    }
}
