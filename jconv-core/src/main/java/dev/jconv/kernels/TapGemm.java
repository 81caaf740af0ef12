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

    /** Whether this shape runs as per-tap GEMMs: stride 1, no dilation, one group, small planes, deep layers. */
    static boolean applies(ConvGeometry g) {
        return g.groups() == 1 && g.strideH() == 1 && g.strideW() == 1 && g.dilationH() == 1 && g.dilationW() == 1
                && g.outH() * g.outW() <= MAX_POSITIONS && g.kernelH() * g.kernelW() >= 4
                && g.inChannels() >= 32 && g.outChannels() >= 32;
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
        int oh = g.outH();
        int ow = g.outW();
        int kh = g.kernelH();
        int kw = g.kernelW();
        int taps = kh * kw;
        int positions = oh * ow;
        int rows = roundUp(n, MR);
        int np = (o + NR - 1) / NR;
        int ldc = np * NR;
        Workspace ws = Workspace.get();
        // The input as (input position, image, channel) rows, with a tile's worth of spare rows at the end:
        // the last position's row block may read past its images (those rows of C are never stored).
        float[] xt = ws.floats(Workspace.COLUMNS, h * wd * n * c + MR * c);
        Parallel.forRange(n, 1, img -> {
            for (int ch = 0; ch < c; ch++) {
                int src = (img * c + ch) * h * wd;
                for (int p = 0; p < h * wd; p++) {
                    xt[(p * n + img) * c + ch] = x[src + p];
                }
            }
        });
        float[] bp = ws.floats(Workspace.B_PANELS, taps * np * c * NR);
        float[] ct = ws.floats(Workspace.PARTIAL, positions * rows * ldc);
        float[] out = new float[n * o * positions];
        Parallel.forRange(np, 1, q -> {
            int cols = Math.min(NR, o - q * NR);
            packPanel(w, q, cols, c, o, taps, flip, bp, np);
            boolean[] started = new boolean[positions];
            for (int t = 0; t < taps; t++) {
                int dy = t / kw - g.padTop();
                int dx = t % kw - g.padLeft();
                int b = (t * np + q) * c * NR;
                int x0 = Math.max(0, -dx);
                int x1 = Math.min(ow, wd - dx);
                // With whole row blocks of images, a run of output positions along a row reads a run of input
                // positions: one product of (positions × images) rows; otherwise one per position.
                int span = n == rows ? x1 - x0 : 1;
                for (int oy = Math.max(0, -dy); oy < Math.min(oh, h - dy); oy++) {
                    for (int ox = x0, len; ox < x1; ox += len) {
                        int pos = oy * ow + ox;
                        boolean first = !started[pos];
                        // A run whose positions all start here, or all have started: one overwrites, one adds.
                        len = 1;
                        while (len < span && ox + len < x1 && started[pos + len] != first) {
                            len++;
                        }
                        int a = ((oy + dy) * wd + ox + dx) * n * c;
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
            for (int oc = q * NR; oc < q * NR + cols; oc++) {
                float bv = bias == null ? 0f : bias[oc];
                for (int img = 0; img < n; img++) {
                    int dst = (img * o + oc) * positions;
                    for (int pos = 0; pos < positions; pos++) {
                        // A position no tap reaches (a kernel wider than plane and padding) stays at the bias.
                        out[dst + pos] = started[pos] ? ct[(pos * rows + img) * ldc + oc] + bv : bv;
                    }
                }
            }
        });
        return out;
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
