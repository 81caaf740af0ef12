package dev.jconv.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jconv.nn.Functional;
import dev.jconv.random.Generator;
import dev.jconv.storage.DType;
import dev.jconv.storage.Shape;
import dev.jconv.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every convolution algorithm, forced, against a plain double-precision direct loop written here, on the
 * nine benchmark shapes scaled down (fewer images, smaller planes, the same channels and kernels) plus a
 * depthwise and a grouped shape; output and all three gradients, in float32.
 */
class ConvAlgorithmsTest {
    /** Unit roundoff of float32. */
    private static final double U = 0x1p-24;

    @AfterEach
    void restore() {
        ConvAlgorithm.force(ConvAlgorithm.AUTO);
        Sgemm.setVectorized(true);
        Parallel.setThreads(Runtime.getRuntime().availableProcessors());
    }

    /** A convolution: input (n, c, h, w), o output channels, kernel kh×kw, stride, symmetric padding, groups. */
    record Case(String name, int n, int c, int h, int w, int o, int kh, int kw, int stride, int pad, int groups,
                int dilation) {
        Case(String name, int n, int c, int h, int w, int o, int kh, int kw, int stride, int pad, int groups) {
            this(name, n, c, h, w, o, kh, kw, stride, pad, groups, 1);
        }

        ConvGeometry geometry() {
            return ConvGeometry.of(n, c, h, w, o, groups, kh, kw, stride, stride, pad, pad, pad, pad, dilation,
                    dilation);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** The benchmark shapes a–i (docs/performance.md) with the batch and plane cut down for test time. */
    static final List<Case> CASES = List.of(
            new Case("a 1x1x6x8 k1x2", 1, 1, 6, 8, 1, 1, 2, 1, 0, 1),
            new Case("b 1x1x8x8 k3 s2 p1", 1, 1, 8, 8, 1, 3, 3, 2, 1, 1),
            new Case("c 8x1x28x28 o6 k5 p2", 8, 1, 28, 28, 6, 5, 5, 1, 2, 1),
            new Case("d 8x6x14x14 o16 k5", 8, 6, 14, 14, 16, 5, 5, 1, 0, 1),
            new Case("e 2x64x16x16 o64 k3 p1", 2, 64, 16, 16, 64, 3, 3, 1, 1, 1),
            new Case("f 2x128x12x12 o128 k3 p1", 2, 128, 12, 12, 128, 3, 3, 1, 1, 1),
            new Case("g 1x256x14x14 o256 k3 p1", 1, 256, 14, 14, 256, 3, 3, 1, 1, 1),
            new Case("h 2x256x14x14 o64 k1", 2, 256, 14, 14, 64, 1, 1, 1, 0, 1),
            new Case("i 2x64x19x19 o128 k3 s2 p1", 2, 64, 19, 19, 128, 3, 3, 2, 1, 1),
            new Case("depthwise 2x32x13x13 k3 p1", 2, 32, 13, 13, 32, 3, 3, 1, 1, 32),
            new Case("depthwise x2 s2 2x8x11x11 k3 p1", 2, 8, 11, 11, 16, 3, 3, 2, 1, 8),
            new Case("grouped 2x16x9x9 o8 k3 g4", 2, 16, 9, 9, 8, 3, 3, 1, 0, 4),
            // Few channels with dilation and an odd channel count: the sliding kernels' single-channel blocks,
            // dilated tap offsets and the clamped last blocks of the weight gradient.
            new Case("dilated 3x3x12x11 o5 k3 d2 p2", 3, 3, 12, 11, 5, 3, 3, 1, 2, 1, 2),
            new Case("wide kernel 2x2x9x16 o6 k7x7 p3", 2, 2, 9, 16, 6, 7, 7, 1, 3, 1),
            // Winograd blocks of tiles that span several images: 16 tiles an image (odd 7x7 planes, cropped
            // edges) and 9 tiles an image of a deep layer's 6x6 planes.
            new Case("odd planes 5x16x7x7 o16 k3 p1", 5, 16, 7, 7, 16, 3, 3, 1, 1, 1),
            new Case("deep 11x32x6x6 o48 k3 p1", 11, 32, 6, 6, 48, 3, 3, 1, 1, 1),
            // 1x1 strided shortcuts (auto: the pointwise GEMM on subsampled planes), odd planes included.
            new Case("shortcut 3x24x9x10 o40 k1 s2", 3, 24, 9, 10, 40, 1, 1, 2, 0, 1),
            new Case("shortcut 2x16x11x11 o24 k1 s3", 2, 16, 11, 11, 24, 1, 1, 3, 0, 1),
            // Small planes of deep layers (auto: one GEMM per tap over the positions it reads): whole row blocks
            // of images (runs of positions), a batch that is not (one position at a time), more outputs than a
            // panel, a plane that is not square, and a kernel wider than plane and padding.
            new Case("small plane 8x48x3x3 o40 k3 p1", 8, 48, 3, 3, 40, 3, 3, 1, 1, 1),
            new Case("small plane 5x64x3x3 o72 k3 p1", 5, 64, 3, 3, 72, 3, 3, 1, 1, 1),
            new Case("small plane 4x33x3x5 o36 k3 p1", 4, 33, 3, 5, 36, 3, 3, 1, 1, 1),
            new Case("small plane 3x32x3x3 o32 k5 p2", 3, 32, 3, 3, 32, 5, 5, 1, 2, 1),
            new Case("small plane 4x64x6x6 o64 k3 p1", 4, 64, 6, 6, 64, 3, 3, 1, 1, 1),
            // Strided layers (auto: per-tap GEMMs over phases of the input): runs of positions, a plane that is
            // not square with odd sides, and a stride of 3.
            new Case("strided 4x32x12x12 o40 k3 s2 p1", 4, 32, 12, 12, 40, 3, 3, 2, 1, 1),
            new Case("strided 8x36x9x11 o72 k3 s2 p1", 8, 36, 9, 11, 72, 3, 3, 2, 1, 1),
            new Case("strided 4x32x10x10 o32 k5 s3 p2", 4, 32, 10, 10, 32, 5, 5, 3, 2, 1),
            // More outputs than one row block and too few columns for NC-wide blocks (im2col: the forward streams
            // column blocks narrower than NC).
            new Case("strided deep 16x8x16x16 o128 k3 s2 p1", 16, 8, 16, 16, 128, 3, 3, 2, 1, 1),
            // A grouped 1x1 (auto: pointwise; its input gradient a pointwise product with the transposed weight).
            new Case("grouped pointwise 3x16x5x7 o12 k1 g4", 3, 16, 5, 7, 12, 1, 1, 1, 0, 4));

    /** The cases small enough to run twice per algorithm (the bitwise comparisons). */
    static List<Case> smallCases() {
        return CASES.stream().filter(c -> c.geometry().colRows() * (long) c.o * c.n * c.h * c.w <= 20_000_000L).toList();
    }

    static Stream<Arguments> algorithmsAndCases() {
        List<Arguments> out = new ArrayList<>();
        for (ConvAlgorithm a : ConvAlgorithm.values()) {
            for (Case c : CASES) {
                out.add(Arguments.of(a, c));
            }
        }
        return out.stream();
    }

    /** Output, input, weight and bias gradients of sum(conv(x, w, b) · r) for seeded x, w, b, r. */
    private static double[][] run(Case k, long seed) {
        Generator gen = new Generator(seed);
        Tensor x = Tensor.randn(Shape.of(k.n, k.c, k.h, k.w), DType.FLOAT32, gen).requiresGrad(true);
        Tensor w = Tensor.randn(Shape.of(k.o, k.c / k.groups, k.kh, k.kw), DType.FLOAT32, gen).requiresGrad(true);
        Tensor b = Tensor.randn(Shape.of(k.o), DType.FLOAT32, gen).requiresGrad(true);
        Tensor y = Functional.conv2d(x, w, b, new int[] {k.stride, k.stride}, new int[] {k.pad, k.pad},
                new int[] {k.dilation, k.dilation}, k.groups);
        Tensor r = Tensor.randn(y.shape(), DType.FLOAT32, gen);
        y.mul(r).sum().backward();
        return new double[][] {y.toArray(), x.grad().toArray(), w.grad().toArray(), b.grad().toArray(),
                x.toArray(), w.toArray(), b.toArray(), r.toArray()};
    }

    /**
     * Float32 tolerance. Each result is a sum of k products of float32 values; summed in float in any order
     * (blocked, chunked, fused or not) its error is at most γₖ·Σ|terms| with γₖ ≈ k·u (Higham, Accuracy and
     * Stability, §3.1), plus u·|result| for the final rounding to float. The direct loop and the GEMM paths are
     * held to that bound element by element, with Σ|terms| computed by the reference loop on |x|, |w|, |r|.
     * Winograd first transforms the tiles (sums of up to four inputs, ½-weighted sums of kernel taps) and
     * its error is the classical bound times a constant of the transforms that grows with the tile size
     * (Barabasz et al., 2020: F(2×2, 3×3) is among the accurate ones, F(4×4, 3×3) loses about a digit
     * more); it is held to 4·γₖ times the largest Σ|terms| of the output, normwise rather than elementwise,
     * since the transforms mix neighbouring outputs.
     */
    private static void assertClose(String what, double[] got, double[] ref, double[] abs, long k, boolean normwise,
                                    double factor) {
        assertThat(got).as(what + " length").hasSameSizeAs(ref);
        double maxAbs = 0;
        for (double v : abs) {
            maxAbs = Math.max(maxAbs, v);
        }
        for (int i = 0; i < got.length; i++) {
            double scale = normwise ? maxAbs : abs[i];
            double tol = factor * k * U * scale + U * Math.abs(ref[i]) + 1e-30;
            if (!(Math.abs(got[i] - ref[i]) <= tol)) {
                throw new AssertionError(what + " element " + i + ": got " + got[i] + ", reference " + ref[i]
                        + ", |error| " + Math.abs(got[i] - ref[i]) + " > tolerance " + tol);
            }
        }
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("algorithmsAndCases")
    void matchesTheDoubleDirectLoop(ConvAlgorithm algorithm, Case k) {
        ConvGeometry g = k.geometry();
        ConvAlgorithm.force(algorithm);
        if (algorithm.unsupported(g, true) != null) {
            assertThatThrownBy(() -> run(k, 1)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("convolution algorithm " + algorithm.name().toLowerCase())
                    .hasMessageContaining("cannot run this convolution");
            return;
        }
        double[][] r = run(k, 11);
        double[][] ref = REFERENCES.computeIfAbsent(k, c -> reference(c, r));
        // The algorithm that actually runs (auto picks Winograd for some shapes), for the output and for the
        // stride-1 input gradient, which is the forward convolution of Conv2dKernels.fullConvolution.
        boolean winograd = ConvAlgorithm.choose(g, true) == ConvAlgorithm.WINOGRAD;
        ConvGeometry full = Conv2dKernels.fullConvolution(g);
        boolean winogradIn = full != null && (algorithm == ConvAlgorithm.AUTO || algorithm == ConvAlgorithm.WINOGRAD)
                && ConvAlgorithm.choose(full, true) == ConvAlgorithm.WINOGRAD;
        double[] go = r[7];
        assertClose("output", r[0], ref[0], ref[1], (long) g.colRows() + 1, winograd, winograd ? 4 : 1);
        assertClose("input gradient", r[1], ref[2], ref[3], (long) g.outPerGroup() * k.kh * k.kw, winogradIn,
                winogradIn ? 4 : 1);
        long positions = (long) k.n * g.outH() * g.outW();
        // Winograd's weight gradient sums transformed tiles: normwise, as for its output.
        assertClose("weight gradient", r[2], ref[4], ref[5], positions, winograd, winograd ? 4 : 1);
        double[] gb = new double[k.o];
        double[] gbAbs = new double[k.o];
        int sp = g.outH() * g.outW();
        for (int i = 0; i < go.length; i++) {
            gb[(i / sp) % k.o] += go[i];
            gbAbs[(i / sp) % k.o] += Math.abs(go[i]);
        }
        assertClose("bias gradient", r[3], gb, gbAbs, positions, false, 1);
    }

    /** Reference results per case (the inputs come from the same seed whatever the algorithm). */
    private static final java.util.Map<Case, double[][]> REFERENCES = new java.util.concurrent.ConcurrentHashMap<>();

    /** Output, input and weight gradients and their Σ|terms|, by the double loops, from run()'s inputs. */
    private static double[][] reference(Case k, double[][] r) {
        double[] x = r[4];
        double[] w = r[5];
        double[] b = r[6];
        double[] go = r[7];
        Reference ref = new Reference(k.geometry());
        return new double[][] {ref.forward(x, w, b), ref.forward(abs(x), abs(w), abs(b)), ref.gradInput(go, w),
                ref.gradInput(abs(go), abs(w)), ref.gradWeight(go, x), ref.gradWeight(abs(go), abs(x))};
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ConvAlgorithm.class)
    void oneAndTwoThreadsGiveTheSameBits(ConvAlgorithm algorithm) {
        for (Case k : smallCases()) {
            ConvAlgorithm.force(algorithm);
            if (algorithm.unsupported(k.geometry(), true) != null) {
                continue;
            }
            Parallel.setThreads(1);
            double[][] one = run(k, 5);
            Parallel.setThreads(2);
            double[][] two = run(k, 5);
            for (int i = 0; i < 4; i++) {
                assertThat(two[i]).as("%s on %s, result %d", algorithm, k, i).containsExactly(one[i]);
            }
        }
    }

    /** The scalar fallback runs the same fused multiply-adds in the same order as the Vector API kernels. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = ConvAlgorithm.class, names = {"IM2COL", "POINTWISE", "WINOGRAD", "DEPTHWISE", "SLIDING"})
    void scalarFallbackGivesTheSameBitsAsTheVectorKernels(ConvAlgorithm algorithm) {
        ConvAlgorithm.force(algorithm);
        for (Case k : smallCases()) {
            if (algorithm.unsupported(k.geometry(), true) != null) {
                continue;
            }
            Sgemm.setVectorized(true);
            double[][] vec = run(k, 9);
            Sgemm.setVectorized(false);
            double[][] scalar = run(k, 9);
            // The bias gradient's lane-wise double sum differs in order from the scalar sum; the rest must not.
            for (int i = 0; i < 3; i++) {
                if (algorithm == ConvAlgorithm.DEPTHWISE && i == 2) {
                    continue; // depthwise weight gradient reduces vector lanes, the scalar loop does not
                }
                assertThat(scalar[i]).as("%s on %s, result %d", algorithm, k, i).containsExactly(vec[i]);
            }
        }
    }

    @Test
    void autoPicksPerShape() {
        assertThat(ConvAlgorithm.choose(CASES.get(0).geometry(), true)).isEqualTo(ConvAlgorithm.DIRECT);
        assertThat(ConvAlgorithm.choose(CASES.get(2).geometry(), true)).isEqualTo(ConvAlgorithm.SLIDING);
        assertThat(ConvAlgorithm.choose(CASES.get(3).geometry(), true)).isEqualTo(ConvAlgorithm.SLIDING);
        assertThat(ConvAlgorithm.choose(CASES.get(4).geometry(), true)).isEqualTo(ConvAlgorithm.WINOGRAD);
        assertThat(ConvAlgorithm.choose(CASES.get(7).geometry(), true)).isEqualTo(ConvAlgorithm.POINTWISE);
        assertThat(ConvAlgorithm.choose(CASES.get(8).geometry(), true)).isEqualTo(ConvAlgorithm.IM2COL);
        assertThat(ConvAlgorithm.choose(CASES.get(9).geometry(), true)).isEqualTo(ConvAlgorithm.DEPTHWISE);
        assertThat(ConvAlgorithm.choose(CASES.get(4).geometry(), false)).isEqualTo(ConvAlgorithm.IM2COL);
        assertThat(ConvAlgorithm.choose(CASES.get(12).geometry(), true)).isEqualTo(ConvAlgorithm.SLIDING);
    }

    @Test
    void float32OnlyAlgorithmsRejectFloat64WithAClearMessage() {
        ConvAlgorithm.force(ConvAlgorithm.WINOGRAD);
        Tensor x = Tensor.randn(Shape.of(1, 16, 8, 8), DType.FLOAT64, new Generator(1));
        Tensor w = Tensor.randn(Shape.of(16, 16, 3, 3), DType.FLOAT64, new Generator(2));
        assertThatThrownBy(() -> Functional.conv2d(x, w, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("winograd cannot run this convolution").hasMessageContaining("float32 only");
    }

    @Test
    void unknownAlgorithmNamesAreRejected() {
        assertThatThrownBy(() -> ConvAlgorithm.parse("fft")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown convolution algorithm 'fft'");
        assertThat(ConvAlgorithm.parse(" Im2Col ")).isEqualTo(ConvAlgorithm.IM2COL);
    }

    /** Float32 matmul (packed SGEMM, both orientations) against a double product, with the γₖ bound. */
    @ParameterizedTest(name = "{0}x{1} @ {1}x{2}")
    @MethodSource("matmulSizes")
    void float32MatmulMatchesADoubleProduct(int m, int k, int n) {
        Generator gen = new Generator(m * 31L + k * 7L + n);
        Tensor a = Tensor.randn(Shape.of(m, k), DType.FLOAT32, gen);
        Tensor b = Tensor.randn(Shape.of(k, n), DType.FLOAT32, gen);
        double[] got = a.matmul(b).toArray();
        double[] av = a.toArray();
        double[] bv = b.toArray();
        double[] ref = new double[m * n];
        double[] abs = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                for (int p = 0; p < k; p++) {
                    ref[i * n + j] += av[i * k + p] * bv[p * n + j];
                    abs[i * n + j] += Math.abs(av[i * k + p] * bv[p * n + j]);
                }
            }
        }
        assertClose("matmul", got, ref, abs, k, false, 1);
    }

    static Stream<Arguments> matmulSizes() {
        return Stream.of(Arguments.of(1, 1, 1), Arguments.of(3, 5, 7), Arguments.of(64, 784, 10),
                Arguments.of(70, 300, 290), Arguments.of(5, 0, 4), Arguments.of(33, 17, 513));
    }

    private static double[] abs(double[] v) {
        double[] a = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            a[i] = Math.abs(v[i]);
        }
        return a;
    }

    /** The textbook loops, in double, written independently of the library's kernels. */
    private record Reference(ConvGeometry g) {
        private int in(int n, int c, int y, int x) {
            return ((n * g.inChannels() + c) * g.height() + y) * g.width() + x;
        }

        private int out(int n, int o, int y, int x) {
            return ((n * g.outChannels() + o) * g.outH() + y) * g.outW() + x;
        }

        private int wt(int o, int c, int i, int j) {
            return ((o * g.inPerGroup() + c) * g.kernelH() + i) * g.kernelW() + j;
        }

        /** Calls {@code body(n, o, c, ki, kj, oy, ox, iy, ix)} for every product that reads inside the input. */
        private void each(Body body) {
            int cg = g.inPerGroup();
            int og = g.outPerGroup();
            for (int n = 0; n < g.batch(); n++) {
                for (int o = 0; o < g.outChannels(); o++) {
                    int grp = o / og;
                    for (int c = 0; c < cg; c++) {
                        for (int i = 0; i < g.kernelH(); i++) {
                            for (int j = 0; j < g.kernelW(); j++) {
                                for (int oy = 0; oy < g.outH(); oy++) {
                                    int iy = oy * g.strideH() - g.padTop() + i * g.dilationH();
                                    for (int ox = 0; ox < g.outW(); ox++) {
                                        int ix = ox * g.strideW() - g.padLeft() + j * g.dilationW();
                                        if (iy >= 0 && iy < g.height() && ix >= 0 && ix < g.width()) {
                                            body.at(n, o, grp * cg + c, c, i, j, oy, ox, iy, ix);
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }

        double[] forward(double[] x, double[] w, double[] b) {
            double[] y = new double[g.batch() * g.outChannels() * g.outH() * g.outW()];
            each((n, o, ch, c, i, j, oy, ox, iy, ix) -> y[out(n, o, oy, ox)] += w[wt(o, c, i, j)] * x[in(n, ch, iy, ix)]);
            for (int p = 0; p < y.length; p++) {
                y[p] += b[(p / (g.outH() * g.outW())) % g.outChannels()];
            }
            return y;
        }

        double[] gradInput(double[] go, double[] w) {
            double[] gi = new double[g.batch() * g.inChannels() * g.height() * g.width()];
            each((n, o, ch, c, i, j, oy, ox, iy, ix) -> gi[in(n, ch, iy, ix)] += w[wt(o, c, i, j)] * go[out(n, o, oy, ox)]);
            return gi;
        }

        double[] gradWeight(double[] go, double[] x) {
            double[] gw = new double[g.outChannels() * g.colRows()];
            each((n, o, ch, c, i, j, oy, ox, iy, ix) -> gw[wt(o, c, i, j)] += go[out(n, o, oy, ox)] * x[in(n, ch, iy, ix)]);
            return gw;
        }
    }

    @FunctionalInterface
    private interface Body {
        void at(int n, int o, int ch, int c, int i, int j, int oy, int ox, int iy, int ix);
    }
}
