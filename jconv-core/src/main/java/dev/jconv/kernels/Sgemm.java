package dev.jconv.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Single-precision matrix multiply on packed panels, GotoBLAS style, accumulating in float as PyTorch's
 * CPU kernels do.
 *
 * <p>Layouts. A is held row-major as floats, its rows padded with zeros to a multiple of {@link #MR}: the
 * micro-kernel broadcasts from MR row streams (element (i, p) at {@code i·lda + p}), so weights need no
 * interleaving and unfolded rows can be written with plain copies. B is packed in panels of {@link #NR}
 * columns: element (k-index p, column j of panel q) at {@code q·bPanelStride + p·NR + j}, zero past the
 * matrix edge. The micro-kernel always computes a full MR×NR tile and C buffers are padded to whole
 * tiles. In the loop nest one KC×NR B micro-panel (32 KiB) stays in L1 while A row blocks stream from L2.
 *
 * <p>Determinism. Each C element is accumulated over k in ascending order, in KC-sized steps, by exactly
 * one call; callers split work only along m and n (or along k at split points fixed by the shape), so the
 * bits do not depend on the thread count. The scalar fallback uses {@link Math#fma} in the same order and
 * gives the same bits as the vector kernel.
 */
public final class Sgemm {
    /** Lanes of the preferred float vector (16 with AVX-512, 8 with AVX2; 16 without the Vector API). */
    static final int VL = Vectors.FLOAT_LANES;
    /** Rows of the micro-tile. */
    static final int MR = 4;
    /** Columns of the micro-tile: four vectors. */
    static final int NR = 4 * VL;
    /** Depth of a k block: a KC×NR B micro-panel (32 KiB with 16 lanes) stays in L1. */
    static final int KC = 128;
    /** Columns of a B block: KC×NC floats (256 KiB) stay in L2. */
    static final int NC = 256;

    private static volatile boolean vector = Vectors.PRESENT
            && !"false".equalsIgnoreCase(System.getProperty("jconv.vector", "true"));

    private Sgemm() {
    }

    /** Whether the float kernels use the Vector API ({@code -Djconv.vector=false} turns it off). */
    public static boolean vectorized() {
        return vector;
    }

    /**
     * Switches between the Vector API kernels and the scalar fallback (tests; the results are the same bits).
     * Without {@code jdk.incubator.vector} the kernels stay scalar.
     */
    public static void setVectorized(boolean on) {
        vector = on && Vectors.PRESENT;
    }

    /** Packs B columns {@code [from, from + count)} for k-indices {@code [p0, p0 + kc)} into panels of NR. */
    @FunctionalInterface
    interface PackB {
        /** Writes ceil(count/NR) panels, panel q at {@code dst[q·kc·NR ...]}, zero past {@code count}. */
        void pack(int from, int count, int p0, int kc, float[] dst);
    }

    /** Writes the A block of k-indices {@code [p0, p0 + kc)}, row-major with row stride kc, rows padded to MR. */
    @FunctionalInterface
    interface PackA {
        void pack(int p0, int kc, float[] dst);
    }

    /**
     * The k step that splits k into equal steps of at most KC (196 as 98 + 98 rather than 128 + 68): a short
     * last step costs a whole pass over C for little work. Each C element still sums over k in ascending order.
     */
    static int evenStep(int k) {
        int steps = Math.max(1, (k + KC - 1) / KC);
        return (k + steps - 1) / steps;
    }

    static int roundUp(int v, int to) {
        return (v + to - 1) / to * to;
    }

    /**
     * C(mc × nc) (+)= A · B for k-indices {@code [0, k)}, with A prepacked (row-major floats, row stride
     * {@code lda}, rows padded to MR) and B packed block by block by {@code packB}, starting at B column
     * {@code bFrom}. C is a float buffer with row stride {@code ldc}, room for whole tiles, at {@code cOff}.
     *
     * @param accumulate add to C's contents instead of overwriting them
     */
    static void multiply(int mc, int nc, int k, float[] a, int aOff, int lda, PackB packB, int bFrom, float[] c,
                         int cOff, int ldc, boolean accumulate) {
        multiply(mc, nc, k, a, aOff, lda, null, packB, bFrom, c, cOff, ldc, accumulate);
    }

    /** As {@link #multiply(int, int, int, float[], int, int, PackB, int, float[], int, int, boolean)}, with A packed per k block. */
    static void multiply(int mc, int nc, int k, PackA packA, PackB packB, int bFrom, float[] c, int cOff, int ldc,
                         boolean accumulate) {
        multiply(mc, nc, k, null, 0, 0, packA, packB, bFrom, c, cOff, ldc, accumulate);
    }

    private static void multiply(int mc, int nc, int k, float[] a, int aOff, int lda, PackA packA, PackB packB,
                                 int bFrom, float[] c, int cOff, int ldc, boolean accumulate) {
        if (k == 0) {
            if (!accumulate) {
                for (int i = 0; i < roundUp(mc, MR); i++) {
                    java.util.Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + roundUp(nc, NR), 0f);
                }
            }
            return;
        }
        Workspace ws = Workspace.get();
        float[] b = ws.floats(Workspace.PACK_B, Math.min(KC, k) * roundUp(Math.min(NC, nc), NR));
        float[] ab = packA == null ? null : ws.floats(Workspace.PACK_A_BLOCK, roundUp(mc, MR) * Math.min(KC, k));
        for (int jc = 0; jc < nc; jc += NC) {
            int ncb = Math.min(NC, nc - jc);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                packB.pack(bFrom + jc, ncb, pc, kc, b);
                boolean load = accumulate || pc > 0;
                if (packA == null) {
                    loop(mc, ncb, kc, a, aOff + pc, lda, b, 0, kc * NR, c, cOff + jc, ldc, load);
                } else {
                    packA.pack(pc, kc, ab);
                    loop(mc, ncb, kc, ab, 0, kc, b, 0, kc * NR, c, cOff + jc, ldc, load);
                }
            }
        }
    }

    /**
     * Packs B columns {@code [from, from + n)} for all k once, in parallel over panels: panel q at
     * {@code dst[q·k·NR]}, k-index p at {@code +p·NR}. For products cut into row blocks, which would otherwise
     * each pack the same B again.
     */
    static void packPanels(PackB packB, int from, int n, int k, float[] dst) {
        int np = (n + NR - 1) / NR;
        Parallel.forRange(np, 1, q -> {
            int j0 = q * NR;
            float[] tmp = Workspace.get().floats(Workspace.PACK_B, k * NR);
            packB.pack(from + j0, Math.min(NR, n - j0), 0, k, tmp);
            System.arraycopy(tmp, 0, dst, q * k * NR, k * NR);
        });
    }

    /**
     * C(mc × nc) = A·B over all k, with A prepacked as for {@link #multiply} and B packed by {@link #packPanels}
     * (column 0 of this product in panel {@code q0}); the same k steps, hence the same bits, as {@link #multiply}.
     */
    static void multiplyPacked(int mc, int nc, int k, float[] a, int aOff, int lda, float[] bp, int q0, float[] c,
                               int cOff, int ldc) {
        multiplyPacked(mc, nc, k, a, aOff, lda, bp, q0 * k * NR, c, cOff, ldc, false);
    }

    /**
     * As {@link #multiplyPacked(int, int, int, float[], int, int, float[], int, float[], int, int)} with the B
     * panels starting at {@code bp[bOff]} (panel q at {@code bOff + q·k·NR}), adding to C's contents when
     * {@code accumulate}.
     */
    static void multiplyPacked(int mc, int nc, int k, float[] a, int aOff, int lda, float[] bp, int bOff, float[] c,
                               int cOff, int ldc, boolean accumulate) {
        int rows = roundUp(mc, MR);
        float[] ab = Workspace.get().floats(Workspace.PACK_A_BLOCK, rows * Math.min(KC, k));
        for (int pc = 0; pc < k; pc += KC) {
            int kc = Math.min(KC, k - pc);
            // The k block of A copied to rows of kc floats: read in place, rows lda apart (18 KiB in a deep
            // layer) fell into a few cache sets and pushed the B panel out of L1.
            for (int i = 0; i < rows; i++) {
                System.arraycopy(a, aOff + i * lda + pc, ab, i * kc, kc);
            }
            loop(mc, nc, kc, ab, 0, kc, bp, bOff + pc * NR, k * NR, c, cOff, ldc, accumulate || pc > 0);
        }
    }

    /**
     * The inner loops over one k block: every MR×NR tile of C(mc × nc) (+)= A·B with {@code kc} k-indices.
     * Each B micro-panel is used against every A row block while it is in L1.
     */
    static void loop(int mc, int nc, int kc, float[] a, int aOff, int lda, float[] b, int bOff, int bPanelStride,
                     float[] c, int cOff, int ldc, boolean load) {
        int mp = (mc + MR - 1) / MR;
        int np = (nc + NR - 1) / NR;
        boolean vec = vector;
        for (int jp = 0; jp < np; jp++) {
            int bi = bOff + jp * bPanelStride;
            int cj = cOff + jp * NR;
            for (int ip = 0; ip < mp; ip++) {
                int ai = aOff + ip * MR * lda;
                if (vec) {
                    kernel(kc, a, ai, lda, b, bi, c, cj + ip * MR * ldc, ldc, load);
                } else {
                    kernelScalar(kc, a, ai, lda, b, bi, c, cj + ip * MR * ldc, ldc, load);
                }
            }
        }
    }

    /**
     * The MR×(4 vectors) register tile: 16 accumulators (two FMA pipes of four-cycle latency need eight in
     * flight), 4 B loads and 4 A broadcasts per k step; B row p of the packed panel at {@code b[bi + p·NR]}.
     * The B index is a multiple of the loop counter with a constant factor, so the JIT hoists the bounds
     * checks of its loads out of the loop (stepping a second index variable by a stride argument kept four
     * checks per step, 12% of the kernel's time).
     */
    private static void kernel(int kc, float[] a, int ai, int lda, float[] b, int bi, float[] c, int ci, int ldc,
                               boolean load) {
        VectorSpecies<Float> S = Species.FLOAT;
        FloatVector c00;
        FloatVector c01;
        FloatVector c02;
        FloatVector c03;
        FloatVector c10;
        FloatVector c11;
        FloatVector c12;
        FloatVector c13;
        FloatVector c20;
        FloatVector c21;
        FloatVector c22;
        FloatVector c23;
        FloatVector c30;
        FloatVector c31;
        FloatVector c32;
        FloatVector c33;
        if (load) {
            c00 = FloatVector.fromArray(S, c, ci);
            c01 = FloatVector.fromArray(S, c, ci + VL);
            c02 = FloatVector.fromArray(S, c, ci + 2 * VL);
            c03 = FloatVector.fromArray(S, c, ci + 3 * VL);
            c10 = FloatVector.fromArray(S, c, ci + ldc);
            c11 = FloatVector.fromArray(S, c, ci + ldc + VL);
            c12 = FloatVector.fromArray(S, c, ci + ldc + 2 * VL);
            c13 = FloatVector.fromArray(S, c, ci + ldc + 3 * VL);
            c20 = FloatVector.fromArray(S, c, ci + 2 * ldc);
            c21 = FloatVector.fromArray(S, c, ci + 2 * ldc + VL);
            c22 = FloatVector.fromArray(S, c, ci + 2 * ldc + 2 * VL);
            c23 = FloatVector.fromArray(S, c, ci + 2 * ldc + 3 * VL);
            c30 = FloatVector.fromArray(S, c, ci + 3 * ldc);
            c31 = FloatVector.fromArray(S, c, ci + 3 * ldc + VL);
            c32 = FloatVector.fromArray(S, c, ci + 3 * ldc + 2 * VL);
            c33 = FloatVector.fromArray(S, c, ci + 3 * ldc + 3 * VL);
        } else {
            c00 = FloatVector.zero(S);
            c01 = c00;
            c02 = c00;
            c03 = c00;
            c10 = c00;
            c11 = c00;
            c12 = c00;
            c13 = c00;
            c20 = c00;
            c21 = c00;
            c22 = c00;
            c23 = c00;
            c30 = c00;
            c31 = c00;
            c32 = c00;
            c33 = c00;
        }
        int a1i = ai + 1 * lda;
        int a2i = ai + 2 * lda;
        int a3i = ai + 3 * lda;
        for (int p = 0; p < kc; p++) {
            int bp = bi + p * NR;
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector b1 = FloatVector.fromArray(S, b, bp + VL);
            FloatVector b2 = FloatVector.fromArray(S, b, bp + 2 * VL);
            FloatVector b3 = FloatVector.fromArray(S, b, bp + 3 * VL);
            FloatVector a0 = FloatVector.broadcast(S, a[ai + p]);
            c00 = VectorOps.fma(b0, a0, c00);
            c01 = VectorOps.fma(b1, a0, c01);
            c02 = VectorOps.fma(b2, a0, c02);
            c03 = VectorOps.fma(b3, a0, c03);
            FloatVector a1 = FloatVector.broadcast(S, a[a1i + p]);
            c10 = VectorOps.fma(b0, a1, c10);
            c11 = VectorOps.fma(b1, a1, c11);
            c12 = VectorOps.fma(b2, a1, c12);
            c13 = VectorOps.fma(b3, a1, c13);
            FloatVector a2 = FloatVector.broadcast(S, a[a2i + p]);
            c20 = VectorOps.fma(b0, a2, c20);
            c21 = VectorOps.fma(b1, a2, c21);
            c22 = VectorOps.fma(b2, a2, c22);
            c23 = VectorOps.fma(b3, a2, c23);
            FloatVector a3 = FloatVector.broadcast(S, a[a3i + p]);
            c30 = VectorOps.fma(b0, a3, c30);
            c31 = VectorOps.fma(b1, a3, c31);
            c32 = VectorOps.fma(b2, a3, c32);
            c33 = VectorOps.fma(b3, a3, c33);
        }
        c00.intoArray(c, ci);
        c01.intoArray(c, ci + VL);
        c02.intoArray(c, ci + 2 * VL);
        c03.intoArray(c, ci + 3 * VL);
        c10.intoArray(c, ci + ldc);
        c11.intoArray(c, ci + ldc + VL);
        c12.intoArray(c, ci + ldc + 2 * VL);
        c13.intoArray(c, ci + ldc + 3 * VL);
        c20.intoArray(c, ci + 2 * ldc);
        c21.intoArray(c, ci + 2 * ldc + VL);
        c22.intoArray(c, ci + 2 * ldc + 2 * VL);
        c23.intoArray(c, ci + 2 * ldc + 3 * VL);
        c30.intoArray(c, ci + 3 * ldc);
        c31.intoArray(c, ci + 3 * ldc + VL);
        c32.intoArray(c, ci + 3 * ldc + 2 * VL);
        c33.intoArray(c, ci + 3 * ldc + 3 * VL);
    }

    /** The same tile with scalar fused multiply-adds in the same order: the same bits, without the Vector API. */
    private static void kernelScalar(int kc, float[] a, int ai, int lda, float[] b, int bi, float[] c, int ci,
                                     int ldc, boolean load) {
        for (int r = 0; r < MR; r++) {
            int row = ci + r * ldc;
            for (int j = 0; j < NR; j++) {
                float acc = load ? c[row + j] : 0f;
                for (int p = 0, aa = ai + r * lda, bb = bi + j; p < kc; p++, aa++, bb += NR) {
                    acc = Math.fma(a[aa], b[bb], acc);
                }
                c[row + j] = acc;
            }
        }
    }

    /**
     * Copies rows {@code [0, m)} of a strided double matrix (element (i, p) at {@code off + i·rs + p·cs}), all
     * k columns, into row-major floats with row stride k at {@code dst[dOff]}, zero rows up to a multiple of MR.
     */
    static void packA(int m, int k, double[] src, int off, int rs, int cs, float[] dst, int dOff) {
        for (int i = 0; i < roundUp(m, MR); i++) {
            int d = dOff + i * k;
            if (i >= m) {
                java.util.Arrays.fill(dst, d, d + k, 0f);
                continue;
            }
            int s = off + i * rs;
            for (int p = 0; p < k; p++) {
                dst[d + p] = (float) src[s + p * cs];
            }
        }
    }

    /** {@link #packA(int, int, double[], int, int, int, float[], int)} from a strided float matrix. */
    static void packA(int m, int k, float[] src, int off, int rs, int cs, float[] dst, int dOff) {
        if (rs == k && cs == 1) {
            System.arraycopy(src, off, dst, dOff, m * k);
        } else {
            for (int i = 0; i < m; i++) {
                for (int p = 0; p < k; p++) {
                    dst[dOff + i * k + p] = src[off + i * rs + p * cs];
                }
            }
        }
        java.util.Arrays.fill(dst, dOff + m * k, dOff + roundUp(m, MR) * k, 0f);
    }

    /** A B packer for a strided float matrix: element (p, j) at {@code off + p·rs + j·cs}. */
    static PackB strided(float[] src, int off, int rs, int cs) {
        return (from, count, p0, kc, dst) -> {
            if (cs == 1) {
                packRows(src, off + p0 * rs + from, rs, count, kc, dst);
                return;
            }
            int np = (count + NR - 1) / NR;
            for (int q = 0; q < np; q++) {
                int j0 = from + q * NR;
                int cnt = Math.min(NR, from + count - j0);
                int base = q * kc * NR;
                // Read along p, write with stride NR.
                for (int j = 0; j < NR; j++) {
                    if (j >= cnt) {
                        for (int p = 0; p < kc; p++) {
                            dst[base + p * NR + j] = 0f;
                        }
                        continue;
                    }
                    int s = off + p0 * rs + (j0 + j) * cs;
                    for (int p = 0; p < kc; p++) {
                        dst[base + p * NR + j] = src[s + p * rs];
                    }
                }
            }
        };
    }

    /**
     * dst[d + i] = src[s + i] (+ bias when {@code addBias}, a float add) for i in [0, len): a result tile's row
     * stored into a tensor's floats.
     */
    static void store(float[] src, int s, float[] dst, int d, int len, boolean addBias, float bias) {
        if (!addBias) {
            System.arraycopy(src, s, dst, d, len);
            return;
        }
        int i = 0;
        if (vector) {
            VectorSpecies<Float> S = Species.FLOAT;
            for (; i <= len - VL; i += VL) {
                FloatVector.fromArray(S, src, s + i).add(bias).intoArray(dst, d + i);
            }
        }
        for (; i < len; i++) {
            dst[d + i] = src[s + i] + bias;
        }
    }

    /** A B packer for a strided double matrix: element (p, j) at {@code off + p·rs + j·cs}. */
    static PackB strided(double[] src, int off, int rs, int cs) {
        return (from, count, p0, kc, dst) -> {
            if (cs == 1) {
                packRows(src, off + p0 * rs + from, rs, count, kc, dst);
                return;
            }
            int np = (count + NR - 1) / NR;
            for (int q = 0; q < np; q++) {
                int j0 = from + q * NR;
                int cnt = Math.min(NR, from + count - j0);
                int base = q * kc * NR;
                // Read along p (contiguous when rs == 1), write with stride NR.
                for (int j = 0; j < NR; j++) {
                    if (j >= cnt) {
                        for (int p = 0; p < kc; p++) {
                            dst[base + p * NR + j] = 0f;
                        }
                        continue;
                    }
                    int s = off + p0 * rs + (j0 + j) * cs;
                    for (int p = 0; p < kc; p++) {
                        dst[base + p * NR + j] = (float) src[s + p * rs];
                    }
                }
            }
        };
    }

    /**
     * Packs kc rows of {@code count} contiguous doubles (row r at {@code s + r·rs}) into panels of NR floats,
     * zero past {@code count}: row by row across all panels, so the source streams in order.
     */
    private static void packRows(double[] src, int s, int rs, int count, int kc, float[] dst) {
        int np = (count + NR - 1) / NR;
        for (int p = 0; p < kc; p++) {
            int sp = s + p * rs;
            for (int q = 0; q < np; q++) {
                int j0 = q * NR;
                int cnt = Math.min(NR, count - j0);
                int d = q * kc * NR + p * NR;
                narrow(src, sp + j0, dst, d, cnt);
                java.util.Arrays.fill(dst, d + cnt, d + NR, 0f);
            }
        }
    }

    /**
     * {@link #packRows(double[], int, int, int, int, float[])} from floats, by System.arraycopy. Vector loads
     * and stores had been a little faster for such short rows once C2 compiled them, but a network calls this a
     * few times a step (a LeNet's linear layers), so it ran from C1 for its first steps, boxing every vector.
     */
    private static void packRows(float[] src, int s, int rs, int count, int kc, float[] dst) {
        int np = (count + NR - 1) / NR;
        for (int p = 0; p < kc; p++) {
            int sp = s + p * rs;
            for (int q = 0; q < np; q++) {
                int j0 = q * NR;
                int cnt = Math.min(NR, count - j0);
                int d = q * kc * NR + p * NR;
                System.arraycopy(src, sp + j0, dst, d, cnt);
                java.util.Arrays.fill(dst, d + cnt, d + NR, 0f);
            }
        }
    }

    /** dst[d + i] = (float) src[s + i] for i in [0, len), with vector narrowing conversions. */
    static void narrow(double[] src, int s, float[] dst, int d, int len) {
        int i = 0;
        if (vector) {
            VectorSpecies<Float> S = Species.FLOAT;
            VectorSpecies<Double> DOUBLES = Species.DOUBLE;
            VectorMask<Float> HALF = Species.HALF;
            int step = DOUBLES.length();
            for (; i <= len - step; i += step) {
                ((FloatVector) DoubleVector.fromArray(DOUBLES, src, s + i)
                        .convertShape(VectorOperators.D2F, S, 0)).intoArray(dst, d + i, HALF);
            }
        }
        for (; i < len; i++) {
            dst[d + i] = (float) src[s + i];
        }
    }

    /** Rows of a matmul task: whole A panels, so a task's rows start on a panel boundary. */
    private static final int MC = 16 * MR;

    /**
     * C = A·B in float32 arithmetic, results rounded to float into the double array C. Each operand is a
     * strided view: element (i, p) of A at {@code aOff + i·aRs + p·aCs}, and likewise for B (p, j) and C (i, j).
     * Work is split into MC×NC blocks of C, one task each.
     */
    public static void gemm(int m, int n, int k, double[] a, int aOff, int aRs, int aCs, double[] b, int bOff,
                            int bRs, int bCs, double[] c, int cOff, int cRs, int cCs) {
        if (n < NR && m > n) {
            // Skinny C (a Linear layer with few outputs): compute Cᵀ = Bᵀ·Aᵀ so the short side pads to MR, not NR.
            gemm(n, m, k, b, bOff, bCs, bRs, a, aOff, aCs, aRs, c, cOff, cCs, cRs);
            return;
        }
        blocks(m, n, k, (i0, mc, dst) -> packA(mc, k, a, aOff + i0 * aRs, aRs, aCs, dst, 0), strided(b, bOff, bRs, bCs),
                (i0, j0, mc, nc, tile, ldc) -> {
                    for (int i = 0; i < mc; i++) {
                        int dst = cOff + (i0 + i) * cRs + j0 * cCs;
                        for (int j = 0; j < nc; j++) {
                            c[dst + j * cCs] = tile[i * ldc + j];
                        }
                    }
                });
    }

    /** {@link #gemm(int, int, int, double[], int, int, int, double[], int, int, int, double[], int, int, int)} on float arrays. */
    public static void gemm(int m, int n, int k, float[] a, int aOff, int aRs, int aCs, float[] b, int bOff,
                            int bRs, int bCs, float[] c, int cOff, int cRs, int cCs) {
        if (n < NR && m > n) {
            gemm(n, m, k, b, bOff, bCs, bRs, a, aOff, aCs, aRs, c, cOff, cCs, cRs);
            return;
        }
        blocks(m, n, k, (i0, mc, dst) -> packA(mc, k, a, aOff + i0 * aRs, aRs, aCs, dst, 0), strided(b, bOff, bRs, bCs),
                (i0, j0, mc, nc, tile, ldc) -> {
                    for (int i = 0; i < mc; i++) {
                        int dst = cOff + (i0 + i) * cRs + j0 * cCs;
                        if (cCs == 1) {
                            System.arraycopy(tile, i * ldc, c, dst, nc);
                            continue;
                        }
                        for (int j = 0; j < nc; j++) {
                            c[dst + j * cCs] = tile[i * ldc + j];
                        }
                    }
                });
    }

    /** Packs rows [i0, i0 + mc) of A, all k columns, row-major with zero rows up to a multiple of MR. */
    private interface RowPacker {
        void pack(int i0, int mc, float[] dst);
    }

    /** Stores an mc×nc block of C, computed in {@code tile} (row stride ldc), at rows i0 and columns j0. */
    private interface TileStore {
        void store(int i0, int j0, int mc, int nc, float[] tile, int ldc);
    }

    private static void blocks(int m, int n, int k, RowPacker packA, PackB packB, TileStore store) {
        if (m == 0 || n == 0) {
            return;
        }
        int mBlocks = (m + MC - 1) / MC;
        int nBlocks = (n + NC - 1) / NC;
        // About 64k multiply-adds per task before splitting is worth it; the split points stay fixed.
        Parallel.forRange(mBlocks * nBlocks, (int) Math.max(1, 65536L / ((long) MC * NC * Math.max(1, k))), t -> {
            int i0 = (t / nBlocks) * MC;
            int j0 = (t % nBlocks) * NC;
            int mc = Math.min(MC, m - i0);
            int nc = Math.min(NC, n - j0);
            Workspace ws = Workspace.get();
            float[] ap = ws.floats(Workspace.PACK_A, roundUp(mc, MR) * k);
            packA.pack(i0, mc, ap);
            int ldc = roundUp(nc, NR);
            float[] cb = ws.floats(Workspace.TILE_C, roundUp(mc, MR) * ldc);
            multiply(mc, nc, k, ap, 0, k, packB, j0, cb, 0, ldc, false);
            store.store(i0, j0, mc, nc, cb, ldc);
        });
    }
}
