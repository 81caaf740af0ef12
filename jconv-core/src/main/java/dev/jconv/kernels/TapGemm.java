package dev.jconv.kernels;

import static dev.jconv.kernels.Sgemm.KC;
import static dev.jconv.kernels.Sgemm.MR;
import static dev.jconv.kernels.Sgemm.NR;
import static dev.jconv.kernels.Sgemm.roundUp;

/**
 * A stride-1 convolution on small planes (ResNet's last stage at 96×96: 3×3 planes, a 3×3 kernel, padding 1) as
 * GEMMs per kernel tap over only the output positions whose input the tap reads. im2col unfolds every tap at
 * every position, and on a 3×3 plane 32 of the 81 (tap, position) pairs read padding: 40% of its multiply-adds
 * are by zeros. Here, for each tap and each run of such positions along an output row, A is the input
 * transposed to (position, image, channel) rows, which a run reads as one block, and B the tap's weights
 * packed in panels of outputs. The forward pass and the input gradient (the full convolution, packed from the
 * forward's weights with the taps reversed) run this way; the weight gradient stays on im2col. Float32, groups
 * of 1, for {@link ConvAlgorithm#AUTO}.
 *
 * <p>Determinism: each task owns one panel of output channels and adds the taps in order, the channels in
 * KC steps, so the bits do not depend on the thread count.
 */
final class TapGemm {
    private TapGemm() {
    }

    /** Planes of at most this many output positions: larger ones lose little to padding. */
    private static final int MAX_POSITIONS = 16;

    /**
     * Whether this shape runs as per-tap GEMMs: one group, no dilation, 32 or more channels in and out, a kernel
     * of four taps or more, and either stride 1 on small planes or a stride above 1 (each tap then reads one
     * phase of the input, so nothing is unfolded).
     */
    static boolean applies(ConvGeometry g) {
        boolean strided = g.strideH() > 1 || g.strideW() > 1;
        return g.groups() == 1 && g.dilationH() == 1 && g.dilationW() == 1 && g.kernelH() * g.kernelW() >= 4
                && g.inChannels() >= 32 && g.outChannels() >= 32
                && (strided || g.outH() * g.outW() <= MAX_POSITIONS);
    }

    /** The forward pass: weight (O, C, kh, kw). */
    static float[] forward(ConvGeometry g, float[] x, float[] w, float[] bias) {
        return run(g, x, w, bias, false);
    }

    /**
     * The input gradient as the full convolution {@code full} of the output gradient (see
     * {@link Conv2dKernels#fullConvolution}), its kernel the forward's {@code w} with the taps reversed and the
     * channels swapped, packed straight from w.
     */
    static float[] inputGradient(ConvGeometry full, float[] gradOut, float[] w) {
        return run(full, gradOut, w, null, true);
    }

    private static float[] run(ConvGeometry g, float[] x, float[] w, float[] bias, boolean flip) {
        int n = g.batch();
        int c = g.inChannels();
        int o = g.outChannels();
        int h = g.height();
        int wd = g.width();
        int sh = g.strideH();
        int sw = g.strideW();
        int oh = g.outH();
        int ow = g.outW();
        int kh = g.kernelH();
        int kw = g.kernelW();
        int taps = kh * kw;
        int positions = oh * ow;
        int rows = roundUp(n, MR);
        int np = (o + NR - 1) / NR;
        int ldc = np * NR;
        // The input's positions split by phase (row mod sh, column mod sw): a tap then reads one phase plane at
        // a fixed shift, so a run of outputs along a row reads a run of its positions. phase[py·sw + px] is the
        // first position of phase plane (py, px), of (h − py)/sh × (w − px)/sw positions (rounded up).
        int[] phase = new int[sh * sw + 1];
        for (int py = 0; py < sh; py++) {
            for (int px = 0; px < sw; px++) {
                phase[py * sw + px + 1] = phase[py * sw + px] + ceilDiv(h - py, sh) * ceilDiv(wd - px, sw);
            }
        }
        Workspace ws = Workspace.get();
        // The input as (position, image, channel) rows, with a tile's worth of spare rows at the end: the last
        // position's row block may read past its images (those rows of C are never stored).
        float[] xt = ws.floats(Workspace.COLUMNS, h * wd * n * c + MR * c);
        int[] row = new int[h * wd]; // input position → its row block in xt
        for (int iy = 0; iy < h; iy++) {
            for (int ix = 0; ix < wd; ix++) {
                int ph = iy % sh * sw + ix % sw;
                row[iy * wd + ix] = (phase[ph] + iy / sh * ceilDiv(wd - ix % sw, sw) + ix / sw) * n * c;
            }
        }
        int plane = h * wd;
        Parallel.forRange(n, 1, img -> {
            // In 16 × 16 blocks: position by position, the rows of xt lie n·c floats apart (a multiple of 4 KiB
            // in deep layers), and writing one element to each evicted the others from L1 (a stride-2 layer's
            // transpose took as long as its multiply).
            for (int c0 = 0; c0 < c; c0 += 16) {
                int c1 = Math.min(c, c0 + 16);
                for (int p0 = 0; p0 < plane; p0 += 16) {
                    int p1 = Math.min(plane, p0 + 16);
                    for (int p = p0; p < p1; p++) {
                        int dst = row[p] + img * c;
                        for (int ch = c0; ch < c1; ch++) {
                            xt[dst + ch] = x[(img * c + ch) * plane + p];
                        }
                    }
                }
            }
        });
        // Tap t reads phase plane tapPhase[t] at row offset tapDy[t], column offset tapDx[t].
        int[] tapPhase = new int[taps];
        int[] tapDy = new int[taps];
        int[] tapDx = new int[taps];
        for (int t = 0; t < taps; t++) {
            int u = t / kw - g.padTop();
            int v = t % kw - g.padLeft();
            tapPhase[t] = Math.floorMod(u, sh) * sw + Math.floorMod(v, sw);
            tapDy[t] = Math.floorDiv(u, sh);
            tapDx[t] = Math.floorDiv(v, sw);
        }
        float[] bp = ws.floats(Workspace.B_PANELS, taps * np * c * NR);
        float[] ct = ws.floats(Workspace.PARTIAL, positions * rows * ldc);
        float[] out = new float[n * o * positions];
        // Tasks: output-channel panels, and bands of output rows when the panels are few. Each output element
        // belongs to one task, which adds the taps in order: the bits do not depend on the split or the threads.
        Parallel.forRange(np, 1, q -> packPanel(w, q, Math.min(NR, o - q * NR), c, o, taps, flip, bp, np));
        int bands = Math.min(oh, ceilDiv(4, np));
        Parallel.forRange(np * bands, 1, task -> {
            int q = task / bands;
            int band = task % bands;
            int cols = Math.min(NR, o - q * NR);
            int y0 = band * oh / bands;
            int y1 = (band + 1) * oh / bands;
            boolean[] started = new boolean[positions];
            for (int oy = y0; oy < y1; oy++) {
                for (int t = 0; t < taps; t++) {
                    int ph = tapPhase[t];
                    int hp = ceilDiv(h - ph / sw, sh);
                    int wp = ceilDiv(wd - ph % sw, sw);
                    int ay = oy + tapDy[t];
                    if (ay < 0 || ay >= hp) {
                        continue;
                    }
                    int x0 = Math.max(0, -tapDx[t]);
                    int x1 = Math.min(ow, wp - tapDx[t]);
                    // With whole row blocks of images, a run of outputs along the row reads a run of positions:
                    // one product of (positions × images) rows; otherwise one per position.
                    int span = n == rows ? x1 - x0 : 1;
                    int b = (t * np + q) * c * NR;
                    for (int ox = x0, len; ox < x1; ox += len) {
                        int pos = oy * ow + ox;
                        boolean first = !started[pos];
                        // A run whose positions all start here, or all have started: one overwrites, one adds.
                        len = 1;
                        while (len < span && ox + len < x1 && started[pos + len] != first) {
                            len++;
                        }
                        int a = (phase[ph] + ay * wp + ox + tapDx[t]) * n * c;
                        int cOff = pos * rows * ldc + q * NR;
                        for (int pc = 0; pc < c; pc += KC) {
                            int kc = Math.min(KC, c - pc);
                            Sgemm.loop(len * n, cols, kc, xt, a + pc, c, bp, b + pc * NR, c * NR, ct, cOff, ldc,
                                    !first || pc > 0);
                        }
                        for (int i = 0; i < len; i++) {
                            started[pos + i] = true;
                        }
                    }
                }
            }
            // Channels innermost: C's rows for consecutive positions lie rows·ldc floats apart.
            for (int img = 0; img < n; img++) {
                for (int pos = y0 * ow; pos < y1 * ow; pos++) {
                    int src = (pos * rows + img) * ldc;
                    for (int oc = q * NR; oc < q * NR + cols; oc++) {
                        float bv = bias == null ? 0f : bias[oc];
                        // A position no tap reaches (a kernel wider than plane and padding) stays at the bias.
                        out[(img * o + oc) * positions + pos] = started[pos] ? ct[src + oc] + bv : bv;
                    }
                }
            }
        });
        return out;
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    /**
     * Packs panel q (outputs q·NR …) of every tap: tap t's entry for input channel ch and output j at
     * {@code bp[((t·np + q)·c + ch)·NR + j]}, zeros past the last output. The forward's weight is (o, c, t);
     * flipped, the weight of the full convolution is the forward's (c, o, taps − 1 − t).
     */
    private static void packPanel(float[] w, int q, int cols, int c, int o, int taps, boolean flip, float[] bp,
                                  int np) {
        for (int t = 0; t < taps; t++) {
            int base = (t * np + q) * c * NR;
            for (int ch = 0; ch < c; ch++) {
                java.util.Arrays.fill(bp, base + ch * NR + cols, base + (ch + 1) * NR, 0f);
            }
        }
        for (int j = 0; j < cols; j++) {
            int oc = q * NR + j;
            for (int ch = 0; ch < c; ch++) {
                // Forward: w[oc][ch][t]; flipped: the forward weight (ch, oc) at its reversed tap.
                int src = flip ? (ch * o + oc) * taps + taps - 1 : (oc * c + ch) * taps;
                int step = flip ? -1 : 1;
                for (int t = 0; t < taps; t++) {
                    bp[((t * np + q) * c + ch) * NR + j] = w[src + t * step];
                }
            }
        }
    }
}
