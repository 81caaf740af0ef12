package dev.jconv.kernels;

import static dev.jconv.kernels.Sgemm.KC;
import static dev.jconv.kernels.Sgemm.MR;
import static dev.jconv.kernels.Sgemm.NR;
import static dev.jconv.kernels.Sgemm.roundUp;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Convolutions as GEMMs per kernel tap, each over only the output positions whose input the tap reads, with
 * nothing unfolded. For each tap and each run of such positions along an output row, A is the input transposed
 * to (position, image, channel) rows, which the run reads as one block, and B the tap's weights packed in
 * panels of outputs.
 * <ul>
 * <li>Small planes, stride 1 (ResNet's last stage at 96×96: 3×3 planes, a 3×3 kernel, padding 1): im2col
 * unfolds every tap at every position, and on a 3×3 plane 32 of the 81 (tap, position) pairs read padding, 40%
 * of its multiply-adds. The input gradient is the full convolution, packed from the forward's weights with the
 * taps reversed.</li>
 * <li>The input gradient of strided layers: one such product per phase of the input (its rows and columns
 * mod the stride), over the output gradient with the taps whose reads land in that phase (no col2im). Their
 * forward and weight gradient stay on im2col: per tap over phase planes of the input the forward was no
 * faster, and gathering the output gradient per tap made the weight gradient 3× slower.</li>
 * </ul>
 * The weight gradient of small stride-1 planes is one GEMM per tap too, its k over the (position, image) pairs
 * the tap reads. Float32, groups of 1, for {@link ConvAlgorithm#AUTO}.
 *
 * <p>Determinism: each task owns a panel of output channels (and a band of output rows) and adds the taps in
 * order, the channels in KC steps, so the bits do not depend on the thread count.
 */
final class TapGemm {
    private TapGemm() {
    }

    /**
     * Stride-1 planes of at most this many output positions (6×6): on larger ones im2col loses little to padding
     * and Winograd does fewer multiplies; on 6×6 planes of deep layers this ran 15–20% faster than Winograd.
     */
    static final int MAX_POSITIONS = 36;

    /** Output rows of a weight-gradient task. */
    private static final int ROW_BLOCK = 64;

    /**
     * Whether this shape runs as per-tap GEMMs: one group, no dilation, 32 or more channels in and out, a kernel
     * of four taps or more, and either stride 1 on small planes (every pass) or a stride above 1 (the input
     * gradient only).
     */
    static boolean applies(ConvGeometry g) {
        boolean strided = g.strideH() > 1 || g.strideW() > 1;
        return g.groups() == 1 && g.dilationH() == 1 && g.dilationW() == 1 && g.kernelH() * g.kernelW() >= 4
                && g.inChannels() >= 32 && g.outChannels() >= 32
                && (strided || g.outH() * g.outW() <= MAX_POSITIONS);
    }

    /** The forward pass of a stride-1 shape: weight (O, C, kh, kw). */
    static float[] forward(ConvGeometry g, float[] x, float[] w, float[] bias) {
        Input in = Input.of(x, g.batch(), g.inChannels(), g.height(), g.width());
        int taps = g.kernelH() * g.kernelW();
        Taps t = forwardTaps(g);
        float[] out = new float[g.batch() * g.outChannels() * g.outH() * g.outW()];
        multiply(in, t, w, taps, false, g.outChannels(), g.outH(), g.outW(), out, identity(g.outH() * g.outW()),
                bias);
        return out;
    }

    /** The taps of a stride-1 forward pass: kernel tap k reads the input shifted by (k_y − pad, k_x − pad). */
    private static Taps forwardTaps(ConvGeometry g) {
        int taps = g.kernelH() * g.kernelW();
        Taps t = new Taps(taps);
        for (int k = 0; k < taps; k++) {
            t.set(k, k, k / g.kernelW() - g.padTop(), k % g.kernelW() - g.padLeft());
        }
        return t;
    }

    /**
     * The weight gradient, for a stride-1 shape that {@link #applies}. For each tap, dW (outputs × channels) is the
     * sum over the output positions the tap reads from and the images of dY(o, position)·x(c, position read): a GEMM
     * whose k runs over those (position, image) pairs. Along an output row the positions a tap reads, and the input
     * positions it reads them from, are runs: with the output gradient laid out once as (o, position, image) rows
     * (A) and the input once as panels of channels over (position, image) rows (B), each run is a contiguous k
     * range of both, read in place. Gathering A and packing B per tap instead wrote each value up to nine times
     * (17 MB for 256 channels on 6×6 planes). One task a (tap, block of 64 outputs) over every panel; the taps'
     * products are then interleaved into the (o, c, kh, kw) layout. The k order is the positions' then the
     * images', as one product per tap.
     */
    static float[] weightGradient(ConvGeometry g, float[] gradOut, float[] x) {
        int n = g.batch();
        int c = g.inChannels();
        int o = g.outChannels();
        int ow = g.outW();
        int positions = g.outH() * ow;
        int taps = g.kernelH() * g.kernelW();
        Input in = Input.of(x, n, c, g.height(), g.width());
        Taps t = forwardTaps(g);
        Workspace ws = Workspace.get();
        int rows = roundUp(o, MR);
        int lda = positions * n;
        // A: row oc holds dY(oc, position, image), k = position·n + image; rows past o (read by the last row
        // block, their products never stored) left as they are.
        float[] ga = ws.floats(Workspace.GRAD_T, rows * lda);
        Parallel.forRange(o, 4, oc -> {
            for (int img = 0; img < n; img++) {
                int src = (img * o + oc) * positions;
                int dst = oc * lda + img;
                for (int pos = 0; pos < positions; pos++) {
                    ga[dst + pos * n] = gradOut[src + pos];
                }
            }
        });
        // B: panel q holds channels q·NR … of every (input position, image) row, zeros past the last channel.
        int np = (c + NR - 1) / NR;
        int bRows = in.h() * in.w() * n;
        float[] bp = ws.floats(Workspace.B_PANELS, np * bRows * NR);
        float[] xt = in.xt();
        Parallel.forRange(np * n, 1, task -> {
            int q = task / n;
            int cols = Math.min(NR, c - q * NR);
            for (int r = task % n; r < bRows; r += n) {
                int d = (q * bRows + r) * NR;
                System.arraycopy(xt, r * c + q * NR, bp, d, cols);
                java.util.Arrays.fill(bp, d + cols, d + NR, 0f);
            }
        });
        int ldc = np * NR;
        float[] ct = ws.floats(Workspace.PARTIAL, taps * rows * ldc);
        // The output rows and columns from which tap k reads inside the input; a tap that reads from none (a
        // kernel wider than plane and padding) has a zero gradient.
        int[] y0 = new int[taps];
        int[] y1 = new int[taps];
        int[] x0 = new int[taps];
        int[] x1 = new int[taps];
        boolean[] reads = new boolean[taps];
        for (int k = 0; k < taps; k++) {
            y0[k] = Math.max(0, -t.dy()[k]);
            y1[k] = Math.min(g.outH(), in.h() - t.dy()[k]);
            x0[k] = Math.max(0, -t.dx()[k]);
            x1[k] = Math.min(ow, in.w() - t.dx()[k]);
            reads[k] = y0[k] < y1[k] && x0[k] < x1[k];
        }
        // Tasks: (tap, block of 64 output rows), each over every panel: its A block stays in L1 and L2 while the
        // panels pass, rather than every panel's task streaming all of A again.
        int rowBlocks = (o + ROW_BLOCK - 1) / ROW_BLOCK;
        Parallel.forRange(taps * rowBlocks, 1, task -> {
            int k = task / rowBlocks;
            int r0 = task % rowBlocks * ROW_BLOCK;
            int mc = Math.min(ROW_BLOCK, o - r0);
            boolean first = true;
            for (int oy = y0[k]; oy < y1[k] && reads[k]; oy++) {
                // The run: output positions (oy, x0 … x1) read input positions (oy + dy, x0 + dx …).
                int a0 = (oy * ow + x0[k]) * n;
                int b0 = ((oy + t.dy()[k]) * in.w() + x0[k] + t.dx()[k]) * n;
                int len = (x1[k] - x0[k]) * n;
                for (int pc = 0; pc < len; pc += KC) {
                    int kc = Math.min(KC, len - pc);
                    Sgemm.loop(mc, c, kc, ga, r0 * lda + a0 + pc, lda, bp, (b0 + pc) * NR, bRows * NR, ct,
                            (k * rows + r0) * ldc, ldc, !first);
                    first = false;
                }
            }
        });
        float[] gradW = new float[o * c * taps];
        Parallel.forRange(o, 4, oc -> {
            for (int ch = 0; ch < c; ch++) {
                for (int k = 0; k < taps; k++) {
                    gradW[(oc * c + ch) * taps + k] = reads[k] ? ct[(k * rows + oc) * ldc + ch] : 0f;
                }
            }
        });
        return gradW;
    }

    /** Whether {@link #inputGradient} runs this shape (a stride above 1, or stride 1 with a full convolution). */
    static boolean runsInputGradient(ConvGeometry g) {
        ConvGeometry full = Conv2dKernels.fullConvolution(g);
        return g.strideH() > 1 || g.strideW() > 1 || full != null && applies(full);
    }

    /**
     * The input gradient, for a shape that {@link #applies} and {@link #runsInputGradient}: for stride 1 the
     * full convolution of the output gradient; otherwise one product per phase of the input.
     */
    static float[] inputGradient(ConvGeometry g, float[] gradOut, float[] w) {
        int taps = g.kernelH() * g.kernelW();
        int n = g.batch();
        if (g.strideH() == 1 && g.strideW() == 1) {
            ConvGeometry full = Conv2dKernels.fullConvolution(g);
            Input in = Input.of(gradOut, n, g.outChannels(), g.outH(), g.outW());
            Taps t = new Taps(taps);
            for (int k = 0; k < taps; k++) {
                // The full convolution's tap k is the forward's tap taps − 1 − k.
                t.set(k, taps - 1 - k, k / full.kernelW() - full.padTop(), k % full.kernelW() - full.padLeft());
            }
            float[] gi = new float[n * g.inChannels() * g.height() * g.width()];
            multiply(in, t, w, taps, true, g.inChannels(), g.height(), g.width(), gi,
                    identity(g.height() * g.width()), null);
            return gi;
        }
        int sh = g.strideH();
        int sw = g.strideW();
        int h = g.height();
        int wd = g.width();
        Input in = Input.of(gradOut, n, g.outChannels(), g.outH(), g.outW());
        float[] gi = new float[n * g.inChannels() * h * wd];
        for (int py = 0; py < sh; py++) {
            for (int px = 0; px < sw; px++) {
                // Input row s·a + py is read by output row oy through tap row ki when s·oy − pad + ki = s·a + py.
                int hp = ceilDiv(h - py, sh);
                int wp = ceilDiv(wd - px, sw);
                Taps t = new Taps(taps);
                int count = 0;
                for (int k = 0; k < taps; k++) {
                    int u = py + g.padTop() - k / g.kernelW();
                    int v = px + g.padLeft() - k % g.kernelW();
                    if (hp > 0 && wp > 0 && Math.floorMod(u, sh) == 0 && Math.floorMod(v, sw) == 0) {
                        t.set(count++, k, u / sh, v / sw);
                    }
                }
                if (count == 0) {
                    continue; // no tap reads this phase: its gradient stays zero
                }
                int[] index = new int[hp * wp];
                for (int a = 0; a < hp; a++) {
                    for (int b = 0; b < wp; b++) {
                        index[a * wp + b] = (a * sh + py) * wd + b * sw + px;
                    }
                }
                multiply(in, t.first(count), w, taps, true, g.inChannels(), hp, wp, gi, index, null);
            }
        }
        return gi;
    }

    /** The input of a product: its positions as rows of n·c floats, image by image, channel contiguous. */
    private record Input(float[] xt, int n, int c, int h, int w) {
        static Input of(float[] x, int n, int c, int h, int w) {
            int plane = h * w;
            // A tile's worth of spare rows at the end: the last row block may read past the images (those rows
            // of C are never stored).
            float[] xt = Workspace.get().floats(Workspace.COLUMNS, plane * n * c + MR * c);
            Parallel.forRange(n, 1, img -> {
                // In 16 × 16 blocks: position by position, the rows of xt lie n·c floats apart (a multiple of
                // 4 KiB in deep layers), and writing one element to each evicted the others from L1 (the
                // transpose took as long as the multiply).
                for (int c0 = 0; c0 < c; c0 += 16) {
                    int c1 = Math.min(c, c0 + 16);
                    for (int p0 = 0; p0 < plane; p0 += 16) {
                        int p1 = Math.min(plane, p0 + 16);
                        for (int p = p0; p < p1; p++) {
                            int dst = (p * n + img) * c;
                            for (int ch = c0; ch < c1; ch++) {
                                xt[dst + ch] = x[(img * c + ch) * plane + p];
                            }
                        }
                    }
                }
            });
            return new Input(xt, n, c, h, w);
        }
    }

    /** Tap i: the weights of kernel tap {@code weight[i]} times the input shifted by (dy, dx). */
    private record Taps(int[] weight, int[] dy, int[] dx) {
        Taps(int count) {
            this(new int[count], new int[count], new int[count]);
        }

        void set(int i, int weightTap, int y, int x) {
            weight[i] = weightTap;
            dy[i] = y;
            dx[i] = x;
        }

        Taps first(int count) {
            return new Taps(java.util.Arrays.copyOf(weight, count), java.util.Arrays.copyOf(dy, count),
                    java.util.Arrays.copyOf(dx, count));
        }

        int count() {
            return weight.length;
        }
    }

    private static int[] identity(int n) {
        int[] index = new int[n];
        for (int i = 0; i < n; i++) {
            index[i] = i;
        }
        return index;
    }

    /**
     * out[img, oc, index[pos]] = Σ over taps of the tap's weights times the input at pos shifted, for the
     * output grid oh × ow (+ bias); {@code out}'s planes hold {@code plane} floats. The weight w is (o, c, taps)
     * of the forward; {@code transposed} packs it as the (c, o) product of an input gradient.
     */
    private static void multiply(Input in, Taps taps, float[] w, int kernelTaps, boolean transposed, int o, int oh,
                                 int ow, float[] out, int[] index, float[] bias) {
        int n = in.n();
        int c = in.c();
        int positions = oh * ow;
        int plane = out.length / (n * o);
        int rows = roundUp(n, MR);
        int np = (o + NR - 1) / NR;
        int ldc = np * NR;
        int count = taps.count();
        Workspace ws = Workspace.get();
        float[] bp = ws.floats(Workspace.B_PANELS, count * np * c * NR);
        float[] ct = ws.floats(Workspace.PARTIAL, positions * rows * ldc);
        Parallel.forRange(np, 1, q -> packPanel(w, q, Math.min(NR, o - q * NR), c, o, kernelTaps, taps.weight(),
                transposed, bp, np));
        // Tasks: output-channel panels, and bands of output rows when the panels are few. Each output element
        // belongs to one task, which adds the taps in order: the bits do not depend on the split or the threads.
        int bands = Math.min(oh, ceilDiv(4, np));
        float[] xt = in.xt();
        Parallel.forRange(np * bands, 1, task -> {
            int q = task / bands;
            int band = task % bands;
            int cols = Math.min(NR, o - q * NR);
            int y0 = band * oh / bands;
            int y1 = (band + 1) * oh / bands;
            boolean[] started = new boolean[positions];
            for (int oy = y0; oy < y1; oy++) {
                for (int t = 0; t < count; t++) {
                    int dx = taps.dx()[t];
                    int wp = in.w();
                    int ay = oy + taps.dy()[t];
                    if (ay < 0 || ay >= in.h()) {
                        continue;
                    }
                    int x0 = Math.max(0, -dx);
                    int x1 = Math.min(ow, wp - dx);
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
                        int a = (ay * wp + ox + dx) * n * c;
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
                    int dst = img * o * plane + index[pos];
                    for (int oc = q * NR; oc < q * NR + cols; oc++) {
                        float bv = bias == null ? 0f : bias[oc];
                        // A position no tap reaches (a kernel wider than plane and padding) stays at the bias.
                        out[dst + oc * plane] = started[pos] ? ct[src + oc] + bv : bv;
                    }
                }
            }
        });
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    /**
     * Packs panel q (outputs q·NR …) of every tap: tap t's entry for input channel ch and output j at
     * {@code bp[((t·np + q)·c + ch)·NR + j]}, zeros past the last output, from kernel tap {@code weightTap[t]}
     * of the forward's weight: (o, c) as it lies, or transposed, (c, o), for an input gradient.
     */
    private static void packPanel(float[] w, int q, int cols, int c, int o, int kernelTaps, int[] weightTap,
                                  boolean transposed, float[] bp, int np) {
        int count = weightTap.length;
        for (int t = 0; t < count; t++) {
            int base = (t * np + q) * c * NR;
            for (int ch = 0; ch < c; ch++) {
                java.util.Arrays.fill(bp, base + ch * NR + cols, base + (ch + 1) * NR, 0f);
            }
        }
        int step = transposed ? kernelTaps : c * kernelTaps; // between consecutive outputs
        // The forward's outputs in whole vectors: one gather per (channel, tap) and sixteen outputs a filter apart
        // (a scalar loop walked them at 2.5 cycles an element); the rest one by one. The transposed weight's
        // outputs lie a kernel apart, and gathering them was slower than the scalar loop (4.8 against 4.2 ms for
        // 512 channels on 3×3 planes).
        int gathered = !transposed && Sgemm.vectorized() && Vectors.FLOAT_LANES == 16 ? cols - cols % 16 : 0;
        if (gathered > 0) {
            Gathers.pack(w, q, gathered, c, kernelTaps, step, weightTap, bp, np);
        }
        // Channel outermost: the lines written (one per tap) and read (one per output, or a run of them) for one
        // channel stay in L1 while the outputs fill them (outputs outermost wrote each line NR times, megabytes
        // apart: 9% of a ResNet-18 step); within a channel tap by tap, outputs innermost, one strided read and one
        // contiguous write an element (taps inner, the index recomputed per element, took 1.6 ns an element).
        for (int ch = 0; ch < c; ch++) {
            // This product's (ch, oc): the forward's w[oc][ch], or for an input gradient w[ch][oc].
            int src0 = (transposed ? ch * o + q * NR : q * NR * c + ch) * kernelTaps;
            for (int t = 0; t < count; t++) {
                int d = ((t * np + q) * c + ch) * NR;
                int s = src0 + weightTap[t];
                for (int j = gathered; j < cols; j++) {
                    bp[d + j] = w[s + j * step];
                }
            }
        }
    }

    /** The vector loop of {@link #packPanel}, in a class of its own so that the scalar path never loads the Vector API. */
    private static final class Gathers {
        private Gathers() {
        }

        /**
         * The forward's outputs [0, count) of panel q, count a multiple of 16, consecutive outputs {@code step}
         * floats apart in w: one 16-lane gather per channel, tap and 16 outputs.
         */
        static void pack(float[] w, int q, int count, int c, int kernelTaps, int step, int[] weightTap, float[] bp,
                         int np) {
            VectorSpecies<Float> s = Species.FLOAT;
            int[] map = new int[s.length()];
            for (int i = 0; i < map.length; i++) {
                map[i] = i * step;
            }
            int taps = weightTap.length;
            for (int ch = 0; ch < c; ch++) {
                for (int j0 = 0; j0 < count; j0 += s.length()) {
                    int oc = q * NR + j0;
                    int src = (oc * c + ch) * kernelTaps;
                    for (int t = 0; t < taps; t++) {
                        FloatVector.fromArray(s, w, src + weightTap[t], map, 0)
                                .intoArray(bp, ((t * np + q) * c + ch) * NR + j0);
                    }
                }
            }
        }
    }
}
