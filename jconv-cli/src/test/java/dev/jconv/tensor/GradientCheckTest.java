package dev.jconv.tensor;

import static dev.jconv.GradCheck.check;
import static dev.jconv.GradCheck.randn;
import static dev.jconv.GradCheck.uniform;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import dev.jconv.examples.Corr2d;
import dev.jconv.nn.Conv2dOptions;
import dev.jconv.nn.Functional;
import dev.jconv.nn.Reduction;
import dev.jconv.random.Generator;
import dev.jconv.storage.DType;
import dev.jconv.storage.Shape;
import java.util.Arrays;
import java.util.Random;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every differentiable operation's backward rule, checked in float64 against central finite differences
 * of {@code sum(op(x) * w)} (see {@link dev.jconv.GradCheck}). Inputs are seeded random tensors; ops with a
 * restricted domain (log, sqrt, fractional powers) get positive inputs, ops with a kink (abs, relu, max) get
 * inputs kept well away from it, so the finite difference never straddles the kink.
 */
class GradientCheckTest {

    /** Standard normal values pushed at least 0.1 away from zero: safe for abs and relu at eps 1e-6. */
    static Tensor awayFromZero(Generator g, int... sizes) {
        double[] v = Tensor.randn(Shape.of(sizes), DType.FLOAT64, g).toArray();
        for (int i = 0; i < v.length; i++) {
            v[i] += Math.copySign(0.1, v[i]);
        }
        return Tensor.fromArray(v, Shape.of(sizes), DType.FLOAT64).requiresGrad(true);
    }

    /** Values that are pairwise at least 0.1 apart (a shuffled ramp), so max/min pick one unique element. */
    static Tensor distinct(Generator g, int... sizes) {
        int n = Shape.of(sizes).numel();
        long[] order = Tensor.randperm(n, g).toLongArray();
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = 0.1 * order[i] - 0.05 * n;
        }
        return Tensor.fromArray(v, Shape.of(sizes), DType.FLOAT64).requiresGrad(true);
    }

    @Nested
    class TheCheckItself {
        @Test
        void failsWhenAGradientPathIsMissingAndNamesTheWorstElement() {
            // detach() hides one of the two uses of x from autograd: it reports w·x where the truth is 2·w·x,
            // so the error is largest where |x| is, at the 100.
            Tensor x = Tensor.fromArray(new double[] {0.1, -0.2, 0.3, 0.4, 100, 0.6}, Shape.of(2, 3), DType.FLOAT64)
                    .requiresGrad(true);
            assertThatThrownBy(() -> check(a -> a[0].detach().mul(a[0]), x))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("gradient of input 0 (shape [2, 3]) is wrong; worst element at index [1, 1]");
        }
    }

    @Nested
    class ElementwiseOps {
        @ParameterizedTest(name = "seed {0}")
        @ValueSource(longs = {1, 2, 3})
        void add(long seed) {
            Generator g = new Generator(seed);
            check(a -> a[0].add(a[1]), randn(g, 3, 4), randn(g, 3, 4));
        }

        @ParameterizedTest(name = "seed {0}")
        @ValueSource(longs = {1, 2, 3})
        void sub(long seed) {
            Generator g = new Generator(seed);
            check(a -> a[0].sub(a[1]), randn(g, 3, 4), randn(g, 3, 4));
        }

        @ParameterizedTest(name = "seed {0}")
        @ValueSource(longs = {1, 2, 3})
        void mul(long seed) {
            Generator g = new Generator(seed);
            check(a -> a[0].mul(a[1]), randn(g, 3, 4), randn(g, 3, 4));
        }

        @ParameterizedTest(name = "seed {0}")
        @ValueSource(longs = {1, 2, 3})
        void div(long seed) {
            Generator g = new Generator(seed);
            // The divisor stays in [0.5, 2): near 0 the quotient is too steep for a finite difference.
            check(a -> a[0].div(a[1]), randn(g, 3, 4), uniform(g, 0.5, 2, 3, 4));
        }

        @Test
        void scalarOperandsAddSubtractMultiplyAndDivide() {
            Generator g = new Generator(4);
            check(a -> a[0].add(1.5).sub(0.25).mul(-3).div(7).rsub(2), randn(g, 2, 5));
        }

        @ParameterizedTest(name = "x ** {0}")
        @ValueSource(doubles = {2, 3, -1})
        void powWithIntegerExponentAcceptsNegativeBases(double exponent) {
            Generator g = new Generator(5);
            check(a -> a[0].pow(exponent), awayFromZero(g, 3, 4));
        }

        @ParameterizedTest(name = "x ** {0}")
        @ValueSource(doubles = {0.5, 2.5, -1.5})
        void powWithFractionalExponentOnPositiveBases(double exponent) {
            Generator g = new Generator(6);
            check(a -> a[0].pow(exponent), uniform(g, 0.5, 2, 3, 4));
        }

        @ParameterizedTest(name = "seed {0}")
        @ValueSource(longs = {1, 2, 3})
        void powWithTensorExponentDifferentiatesBaseAndExponent(long seed) {
            Generator g = new Generator(seed);
            check(a -> a[0].pow(a[1]), uniform(g, 0.5, 2, 3, 4), randn(g, 3, 4));
        }

        @Test
        void anInputUsedTwiceAccumulatesTheGradientOfBothUses() {
            Generator g = new Generator(7);
            check(a -> a[0].mul(a[0]).add(a[0].exp()), randn(g, 2, 3));
        }

        /** Unary ops and the inputs their domain (and kinks) call for. */
        enum Unary {
            NEG(Tensor::neg, GradientCheckTest::randnLeaf),
            EXP(Tensor::exp, GradientCheckTest::randnLeaf),
            LOG(Tensor::log, g -> uniform(g, 0.5, 3, 3, 4)),
            SQRT(Tensor::sqrt, g -> uniform(g, 0.5, 3, 3, 4)),
            ABS(Tensor::abs, g -> awayFromZero(g, 3, 4)),
            RELU(Tensor::relu, g -> awayFromZero(g, 3, 4)),
            SIGMOID(Tensor::sigmoid, GradientCheckTest::randnLeaf),
            TANH(Tensor::tanh, GradientCheckTest::randnLeaf);

            final UnaryOperator<Tensor> op;
            final Function<Generator, Tensor> input;

            Unary(UnaryOperator<Tensor> op, Function<Generator, Tensor> input) {
                this.op = op;
                this.input = input;
            }
        }

        @ParameterizedTest
        @EnumSource(Unary.class)
        void unaryOp(Unary unary) {
            check(a -> unary.op.apply(a[0]), unary.input.apply(new Generator(8)));
        }

        @ParameterizedTest
        @EnumSource(Unary.class)
        void unaryOpOnANonContiguousView(Unary unary) {
            // The saved input is a transposed view: the backward rule must read it in logical order.
            check(a -> unary.op.apply(a[0].t()), unary.input.apply(new Generator(9)));
        }
    }

    static Tensor randnLeaf(Generator g) {
        return randn(g, 3, 4);
    }

    @Nested
    class BroadcastingBinaryOps {
        @Test
        void columnPlusRowSumsEachGradientBackToItsOwnShape() {
            Generator g = new Generator(10);
            check(a -> a[0].add(a[1]), randn(g, 3, 1), randn(g, 1, 4));
        }

        @Test
        void vectorTimesMatrixBroadcastsOverTheMissingLeadingDimension() {
            Generator g = new Generator(11);
            check(a -> a[0].mul(a[1]), randn(g, 4), randn(g, 3, 4));
        }

        @Test
        void subtractionBroadcastsBothOperandsToA3dShape() {
            Generator g = new Generator(12);
            check(a -> a[0].sub(a[1]), randn(g, 2, 1, 4), randn(g, 3, 1));
        }

        @Test
        void divisionByABroadcastRow() {
            Generator g = new Generator(13);
            check(a -> a[0].div(a[1]), randn(g, 3, 4), uniform(g, 0.5, 2, 1, 4));
        }

        @Test
        void powerWithABroadcastExponent() {
            Generator g = new Generator(14);
            check(a -> a[0].pow(a[1]), uniform(g, 0.5, 2, 2, 3), randn(g, 3));
        }

        @Test
        void zeroDimensionalTensorTimesMatrixGetsTheSummedGradient() {
            Generator g = new Generator(15);
            check(a -> a[0].mul(a[1]), randn(g), randn(g, 3, 4));
        }
    }

    @Nested
    class ReductionOps {
        @Test
        void sumOfAllElements() {
            check(a -> a[0].sum(), randn(new Generator(20), 2, 3, 4));
        }

        static Stream<Arguments> dimsAndKeepDim() {
            return Stream.of(new int[] {0}, new int[] {1}, new int[] {-1}, new int[] {0, 2}, new int[] {2, 0, 1})
                    .flatMap(dims -> Stream.of(Arguments.of(dims, true), Arguments.of(dims, false)));
        }

        @ParameterizedTest(name = "dims {0}, keepDim {1}")
        @MethodSource("dimsAndKeepDim")
        void sumOverDims(int[] dims, boolean keepDim) {
            check(a -> a[0].sum(dims, keepDim), randn(new Generator(21), 2, 3, 4));
        }

        @Test
        void meanOfAllElements() {
            check(a -> a[0].mean(), randn(new Generator(22), 2, 3, 4));
        }

        @ParameterizedTest(name = "dims {0}, keepDim {1}")
        @MethodSource("dimsAndKeepDim")
        void meanOverDims(int[] dims, boolean keepDim) {
            check(a -> a[0].mean(dims, keepDim), randn(new Generator(23), 2, 3, 4));
        }

        @Test
        void sumOverDimsOfAPermutedView() {
            check(a -> a[0].permute(2, 0, 1).sum(new int[] {1}, false), randn(new Generator(24), 2, 3, 4));
        }

        @ParameterizedTest(name = "seed {0}")
        @ValueSource(longs = {1, 2, 3})
        void maxOfAllElementsSendsTheGradientToTheLargest(long seed) {
            check(a -> a[0].max(), distinct(new Generator(seed), 3, 4));
        }

        @ParameterizedTest(name = "seed {0}")
        @ValueSource(longs = {1, 2, 3})
        void minOfAllElementsSendsTheGradientToTheSmallest(long seed) {
            check(a -> a[0].min(), distinct(new Generator(seed), 3, 4));
        }

        static Stream<Arguments> dimAndKeepDim() {
            return Stream.of(0, 1, 2, -1)
                    .flatMap(dim -> Stream.of(Arguments.of(dim, true), Arguments.of(dim, false)));
        }

        @ParameterizedTest(name = "dim {0}, keepDim {1}")
        @MethodSource("dimAndKeepDim")
        void maxAlongADim(int dim, boolean keepDim) {
            check(a -> a[0].max(dim, keepDim), distinct(new Generator(25), 2, 3, 4));
        }

        @ParameterizedTest(name = "dim {0}, keepDim {1}")
        @MethodSource("dimAndKeepDim")
        void minAlongADim(int dim, boolean keepDim) {
            check(a -> a[0].min(dim, keepDim), distinct(new Generator(26), 2, 3, 4));
        }
    }

    @Nested
    class MatMulOps {
        static Stream<Arguments> shapes() {
            return Stream.of(
                    Arguments.of("1D · 1D", new int[] {4}, new int[] {4}),
                    Arguments.of("2D · 1D", new int[] {3, 4}, new int[] {4}),
                    Arguments.of("1D · 2D", new int[] {4}, new int[] {4, 5}),
                    Arguments.of("2D · 2D", new int[] {3, 4}, new int[] {4, 5}),
                    Arguments.of("3D · 3D", new int[] {2, 3, 4}, new int[] {2, 4, 5}),
                    Arguments.of("3D · 2D, broadcast batch", new int[] {2, 3, 4}, new int[] {4, 5}),
                    Arguments.of("2D · 3D, broadcast batch", new int[] {3, 4}, new int[] {2, 4, 5}),
                    Arguments.of("3D · 3D, batch 1 against 2", new int[] {1, 3, 4}, new int[] {2, 4, 5}),
                    Arguments.of("4D · 3D, batches (2,1) and (3)", new int[] {2, 1, 3, 4}, new int[] {3, 4, 2}),
                    Arguments.of("1D · 3D", new int[] {4}, new int[] {2, 4, 3}),
                    Arguments.of("3D · 1D", new int[] {2, 3, 4}, new int[] {4}));
        }

        @ParameterizedTest(name = "{0}: {1} @ {2}")
        @MethodSource("shapes")
        void matmul(String name, int[] left, int[] right) {
            Generator g = new Generator(30);
            check(a -> a[0].matmul(a[1]), randn(g, left), randn(g, right));
        }

        @Test
        void matmulOfTransposedViews() {
            Generator g = new Generator(31);
            check(a -> a[0].t().matmul(a[1].t()), randn(g, 4, 3), randn(g, 5, 4));
        }
    }

    @Nested
    class ViewOps {
        private final Generator g = new Generator(40);

        @Test
        void reshapeOfAContiguousTensor() {
            check(a -> a[0].reshape(4, -1), randn(g, 2, 3, 4));
        }

        @Test
        void reshapeOfANonContiguousTensorCopies() {
            check(a -> a[0].transpose(0, 2).reshape(-1, 6), randn(g, 2, 3, 4));
        }

        @Test
        void view() {
            check(a -> a[0].view(3, 8), randn(g, 2, 3, 4));
        }

        @Test
        void transpose() {
            check(a -> a[0].transpose(0, 2), randn(g, 2, 3, 4));
        }

        @Test
        void t() {
            check(a -> a[0].t(), randn(g, 3, 5));
        }

        @Test
        void permute() {
            check(a -> a[0].permute(1, 2, 0), randn(g, 2, 3, 4));
        }

        @ParameterizedTest(name = "dim {0}, [{1}:{2}:{3}]")
        @MethodSource("slices")
        void sliceWithStep(int dim, int start, int stop, int step) {
            check(a -> a[0].slice(dim, start, stop, step), randn(g, 5, 7));
        }

        static Stream<Arguments> slices() {
            return Stream.of(Arguments.of(0, 1, 5, 2), Arguments.of(1, 0, 7, 3), Arguments.of(-1, -5, -1, 2),
                    Arguments.of(1, 2, 100, 1));
        }

        @Test
        void sliceOfASlice() {
            // Overlapping views in one graph: the two slice gradients must add up in the shared input.
            check(a -> a[0].slice(1, 1, 6, 2).slice(0, 1, 4).add(a[0].slice(1, 0, 3).slice(0, 0, 3)), randn(g, 5, 7));
        }

        @ParameterizedTest(name = "dim {0}, index {1}")
        @MethodSource("selections")
        void select(int dim, int index) {
            check(a -> a[0].select(dim, index), randn(g, 2, 3, 4));
        }

        static Stream<Arguments> selections() {
            return Stream.of(Arguments.of(0, 1), Arguments.of(1, -1), Arguments.of(2, 2));
        }

        @Test
        void getIndexesLeadingDimensions() {
            check(a -> a[0].get(1, 2), randn(g, 2, 3, 4));
        }

        @ParameterizedTest(name = "dim {0}")
        @ValueSource(ints = {0, 1, 2, -1})
        void unsqueeze(int dim) {
            check(a -> a[0].unsqueeze(dim), randn(g, 3, 4));
        }

        @Test
        void squeezeAll() {
            check(a -> a[0].squeeze(), randn(g, 1, 3, 1, 4));
        }

        @ParameterizedTest(name = "dim {0}")
        @ValueSource(ints = {0, 2, 1})
        void squeezeOneDim(int dim) {
            check(a -> a[0].squeeze(dim), randn(g, 1, 3, 1, 4));
        }

        @Test
        void expandSumsTheGradientOverTheRepeatedDims() {
            check(a -> a[0].expand(2, 3, 4), randn(g, 3, 1));
        }

        @Test
        void expandKeepsDimsGivenAsMinusOne() {
            check(a -> a[0].expand(-1, 5), randn(g, 3, 1));
        }

        @ParameterizedTest(name = "dims {0}..{1}")
        @MethodSource("flattenRanges")
        void flatten(int start, int end) {
            check(a -> a[0].flatten(start, end), randn(g, 2, 3, 4));
        }

        static Stream<Arguments> flattenRanges() {
            return Stream.of(Arguments.of(0, -1), Arguments.of(1, 2), Arguments.of(0, 1), Arguments.of(1, 1));
        }

        @Test
        void contiguousOfANonContiguousViewCopies() {
            check(a -> a[0].t().contiguous(), randn(g, 3, 4));
        }

        @Test
        void cloneTensor() {
            check(a -> a[0].cloneTensor().mul(a[0]), randn(g, 3, 4));
        }
    }

    @Nested
    class CatAndStack {
        private final Generator g = new Generator(50);

        @ParameterizedTest(name = "dim {0}")
        @ValueSource(ints = {0, 1, 2, -1})
        void catRoutesEachSliceOfTheGradientToItsInput(int dim) {
            int[][] shapes = {{2, 3, 4}, {2, 3, 4}, {2, 3, 4}};
            int d = dim < 0 ? dim + 3 : dim;
            for (int i = 0; i < shapes.length; i++) {
                shapes[i][d] = i + 1; // different lengths along the joined dim
            }
            check(a -> Tensor.cat(a, dim), randn(g, shapes[0]), randn(g, shapes[1]), randn(g, shapes[2]));
        }

        @ParameterizedTest(name = "dim {0}")
        @ValueSource(ints = {0, 1, 2, -1})
        void stack(int dim) {
            check(a -> Tensor.stack(a, dim), randn(g, 3, 4), randn(g, 3, 4));
        }

        @Test
        void catOfTheSameTensorTwice() {
            check(a -> Tensor.cat(new Tensor[] {a[0], a[0].t()}, 0), randn(g, 3, 3));
        }
    }

    @Nested
    class Conv2dOps {
        /** A conv2d configuration; {@link #run} applies it to (input, weight[, bias]). */
        record Config(int batch, boolean batched, int channels, int outChannels, int groups, int kh, int kw, int height,
                      int width, int[] stride, int[] padding, String paddingMode, int[] dilation, boolean bias) {

            Tensor run(Tensor[] a) {
                Tensor b = bias ? a[2] : null;
                return paddingMode != null
                        ? Functional.conv2d(a[0], a[1], b, stride, paddingMode, dilation, groups)
                        : Functional.conv2d(a[0], a[1], b, stride, padding, dilation, groups);
            }

            Tensor[] inputs(Generator g) {
                Tensor x = batched ? randn(g, batch, channels, height, width) : randn(g, channels, height, width);
                Tensor w = randn(g, outChannels, channels / groups, kh, kw);
                return bias ? new Tensor[] {x, w, randn(g, outChannels)} : new Tensor[] {x, w};
            }

            void check() {
                GradientCheckTest.checkConfig(this);
            }

            @Override
            public String toString() {
                return "input " + (batched ? "[" + batch + ", " : "[") + channels + ", " + height + ", " + width
                        + "], weight [" + outChannels + ", " + channels / groups + ", " + kh + ", " + kw + "], stride "
                        + Arrays.toString(stride) + ", padding "
                        + (paddingMode != null ? paddingMode : Arrays.toString(padding)) + ", dilation "
                        + Arrays.toString(dilation) + ", groups " + groups + (bias ? ", bias" : ", no bias");
            }
        }

        /** Batched, one group, bias, stride/padding/dilation 1/0/1 unless a test changes them. */
        static Config plain(int channels, int outChannels, int kh, int kw) {
            return new Config(2, true, channels, outChannels, 1, kh, kw, 6, 7, new int[] {1, 1}, new int[] {0, 0}, null,
                    new int[] {1, 1}, true);
        }

        @Test
        void plainConvolution() {
            plain(2, 3, 3, 3).check();
        }

        @Test
        void withoutBias() {
            new Config(2, true, 2, 3, 1, 3, 3, 6, 7, new int[] {1, 1}, new int[] {0, 0}, null, new int[] {1, 1}, false)
                    .check();
        }

        @Test
        void strideDiffersPerAxis() {
            new Config(2, true, 2, 3, 1, 3, 2, 7, 8, new int[] {2, 3}, new int[] {0, 0}, null, new int[] {1, 1}, true)
                    .check();
        }

        @Test
        void paddingDiffersPerAxis() {
            new Config(2, true, 2, 3, 1, 3, 3, 5, 4, new int[] {1, 1}, new int[] {1, 2}, null, new int[] {1, 1}, true)
                    .check();
        }

        @Test
        void dilation() {
            new Config(1, true, 2, 2, 1, 3, 2, 7, 7, new int[] {1, 1}, new int[] {1, 0}, null, new int[] {2, 3}, true)
                    .check();
        }

        @Test
        void stridePaddingAndDilationTogether() {
            new Config(2, true, 2, 2, 1, 3, 3, 7, 8, new int[] {2, 2}, new int[] {2, 1}, null, new int[] {2, 1}, true)
                    .check();
        }

        @Test
        void groups() {
            new Config(2, true, 4, 6, 2, 2, 3, 5, 6, new int[] {1, 1}, new int[] {1, 1}, null, new int[] {1, 1}, true)
                    .check();
        }

        @Test
        void depthwise() {
            // groups == channels: each channel has its own filters (here two per channel).
            new Config(2, true, 3, 6, 3, 3, 3, 5, 5, new int[] {1, 1}, new int[] {1, 1}, null, new int[] {1, 1}, true)
                    .check();
        }

        @Test
        void samePaddingWithOddKernelIsSymmetric() {
            new Config(2, true, 2, 2, 1, 3, 3, 5, 6, new int[] {1, 1}, null, "same", new int[] {1, 1}, true).check();
        }

        @Test
        void samePaddingWithEvenKernelPadsOneMoreAtTheEnd() {
            new Config(2, true, 2, 2, 1, 2, 4, 5, 6, new int[] {1, 1}, null, "same", new int[] {1, 1}, true).check();
        }

        @Test
        void samePaddingWithDilation() {
            new Config(1, true, 2, 2, 1, 2, 3, 6, 6, new int[] {1, 1}, null, "same", new int[] {3, 2}, false).check();
        }

        @Test
        void validPadding() {
            new Config(2, true, 2, 2, 1, 3, 2, 5, 6, new int[] {1, 1}, null, "valid", new int[] {1, 1}, true).check();
        }

        @Test
        void unbatchedChannelsHeightWidthInput() {
            new Config(1, false, 2, 3, 1, 3, 3, 5, 6, new int[] {1, 2}, new int[] {1, 0}, null, new int[] {1, 1}, true)
                    .check();
        }

        @Test
        void kernelAsLargeAsThePaddedInput() {
            new Config(1, true, 1, 2, 1, 4, 5, 2, 3, new int[] {1, 1}, new int[] {1, 1}, null, new int[] {1, 1}, true)
                    .check();
        }

        @ParameterizedTest(name = "seed {0}")
        @ValueSource(longs = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15})
        void randomConfiguration(long seed) {
            randomConfig(new Random(seed)).check();
        }

        /** Any valid combination of sizes, groups (incl. depthwise), stride, padding ("same" too) and dilation. */
        static Config randomConfig(Random r) {
            int groups = 1 + r.nextInt(3);
            boolean depthwise = r.nextInt(4) == 0;
            int channels = groups * (depthwise ? 1 : 1 + r.nextInt(2));
            int outChannels = groups * (1 + r.nextInt(2));
            int kh = 1 + r.nextInt(3);
            int kw = 1 + r.nextInt(3);
            int[] dilation = {1 + r.nextInt(2), 1 + r.nextInt(2)};
            String mode = r.nextInt(4) == 0 ? "same" : null;
            int[] stride = mode != null ? new int[] {1, 1} : new int[] {1 + r.nextInt(2), 1 + r.nextInt(2)};
            int[] padding = mode != null ? null : new int[] {r.nextInt(3), r.nextInt(3)};
            int padH = padding == null ? 0 : 2 * padding[0];
            int padW = padding == null ? 0 : 2 * padding[1];
            // At least one kernel extent fits, plus up to 3 more rows/columns.
            int height = Math.max(1, dilation[0] * (kh - 1) + 1 - padH + r.nextInt(4));
            int width = Math.max(1, dilation[1] * (kw - 1) + 1 - padW + r.nextInt(4));
            return new Config(1 + r.nextInt(2), r.nextInt(4) != 0, channels, outChannels, groups, kh, kw, height,
                    width, stride, padding, mode, dilation, r.nextBoolean());
        }
    }

    static void checkConfig(Conv2dOps.Config c) {
        check(c.toString(), c::run, c.inputs(new Generator(60)));
    }

    @Nested
    class PaddingAndOtherConvolutions {
        private final Generator g = new Generator(80);

        @ParameterizedTest
        @EnumSource(Padding.Mode.class)
        void padOfTheLastTwoDims(Padding.Mode mode) {
            // Reflect and circular pads reach the same source element twice: their gradients must add up.
            check(a -> Functional.pad(a[0], new int[] {1, 2, 2, 1}, mode, 0.5), randn(g, 2, 3, 4, 5));
        }

        @Test
        void constantPadWithNegativePadsCrops() {
            check(a -> Functional.pad(a[0], -1, 2, 1, -2), randn(g, 2, 4, 5));
        }

        @ParameterizedTest
        @EnumSource(value = Padding.Mode.class, names = {"REFLECT", "REPLICATE", "CIRCULAR"})
        void conv2dWithAPaddingMode(Padding.Mode mode) {
            Conv2dOptions o = Conv2dOptions.kernelSize(3, 2).padding(2, 1).stride(2, 1).paddingMode(mode);
            check(a -> Functional.conv2d(a[0], a[1], a[2], o), randn(g, 2, 2, 5, 4), randn(g, 3, 2, 3, 2),
                    randn(g, 3));
        }

        @ParameterizedTest(name = "groups {0}")
        @ValueSource(ints = {1, 2})
        void conv1d(int groups) {
            check(a -> Functional.conv1d(a[0], a[1], a[2], 2, 1, 2, groups), randn(g, 2, 4, 9),
                    randn(g, 4, 4 / groups, 3), randn(g, 4));
        }

        @Test
        void conv1dOfAnUnbatchedInput() {
            check(a -> Functional.conv1d(a[0], a[1], null, 1, 0, 1, 1), randn(g, 3, 7), randn(g, 2, 3, 2));
        }

        @ParameterizedTest(name = "seed {0}")
        @ValueSource(longs = {0, 1, 2, 3, 4, 5, 6, 7})
        void convTranspose2dRandomConfiguration(long seed) {
            Random r = new Random(seed);
            int groups = 1 + r.nextInt(2);
            int channels = groups * (1 + r.nextInt(2));
            int outPerGroup = 1 + r.nextInt(2);
            int[] k = {1 + r.nextInt(3), 1 + r.nextInt(3)};
            int[] stride = {1 + r.nextInt(2), 1 + r.nextInt(2)};
            int[] dilation = {1 + r.nextInt(2), 1 + r.nextInt(2)};
            int[] outputPadding = {r.nextInt(Math.max(stride[0], dilation[0])),
                    r.nextInt(Math.max(stride[1], dilation[1]))};
            int[] size = {1 + r.nextInt(4), 1 + r.nextInt(4)};
            int[] padding = new int[2];
            for (int i = 0; i < 2; i++) {
                padding[i] = r.nextInt(2);
                int out = (size[i] - 1) * stride[i] - 2 * padding[i] + dilation[i] * (k[i] - 1) + outputPadding[i] + 1;
                if (out <= 0) {
                    padding[i] = 0; // keep the output non-empty
                }
            }
            boolean batched = r.nextBoolean();
            Tensor x = batched ? randn(g, 2, channels, size[0], size[1]) : randn(g, channels, size[0], size[1]);
            Tensor w = randn(g, channels, outPerGroup, k[0], k[1]);
            Tensor b = randn(g, outPerGroup * groups);
            String description = "conv_transpose2d(input " + x.shape().dimsString() + ", weight "
                    + w.shape().dimsString()
                    + ", stride " + Arrays.toString(stride) + ", padding " + Arrays.toString(padding)
                    + ", output_padding " + Arrays.toString(outputPadding) + ", groups " + groups + ", dilation "
                    + Arrays.toString(dilation) + ")";
            check(description, a -> Functional.convTranspose2d(a[0], a[1], a[2], stride, padding, outputPadding, groups,
                    dilation), x, w, b);
        }

        @Test
        void batchNormInTrainingNormalisesWithTheBatchStatistics() {
            check(a -> Functional.batchNorm(a[0], null, null, a[1], a[2], true, 0.1, 1e-5, null), randn(g, 3, 2, 2, 3),
                    randn(g, 2), randn(g, 2));
        }

        @Test
        void batchNormInEvaluationUsesTheRunningStatistics() {
            Tensor runningMean = Tensor.randn(Shape.of(2), DType.FLOAT64, g);
            Tensor runningVar = Tensor.rand(Shape.of(2), DType.FLOAT64, g).add(0.5);
            check(a -> Functional.batchNorm(a[0], runningMean, runningVar, a[1], a[2], false, 0.1, 1e-5, null),
                    randn(g, 3, 2, 2, 3), randn(g, 2), randn(g, 2));
        }
    }

    @Nested
    class LossesAndLayers {
        private final Generator g = new Generator(70);

        @ParameterizedTest
        @EnumSource(value = Reduction.class, names = {"MEAN", "SUM"})
        void mseLossDifferentiatesInputAndTarget(Reduction reduction) {
            check(a -> Functional.mseLoss(a[0], a[1], reduction), randn(g, 3, 4), randn(g, 3, 4));
        }

        @Test
        void linearWithBias() {
            check(a -> Functional.linear(a[0], a[1], a[2]), randn(g, 4, 3), randn(g, 5, 3), randn(g, 5));
        }

        @Test
        void linearWithoutBias() {
            check(a -> Functional.linear(a[0], a[1], null), randn(g, 4, 3), randn(g, 5, 3));
        }

        @Test
        void linearOnABatchOfSequences() {
            check(a -> Functional.linear(a[0], a[1], a[2]), randn(g, 2, 4, 3), randn(g, 5, 3), randn(g, 5));
        }

        @Test
        void linearOnASingleVector() {
            check(a -> Functional.linear(a[0], a[1], a[2]), randn(g, 3), randn(g, 5, 3), randn(g, 5));
        }

        @Test
        void corr2dDifferentiatesInputAndKernel() {
            check(a -> Corr2d.corr2d(a[0], a[1]), randn(g, 5, 6), randn(g, 2, 3));
        }

        @Test
        void corr2dAgreesWithConv2dGradients() {
            // The teaching loop and the im2col kernel must give the same gradients, not just correct ones.
            Tensor x = randn(g, 5, 6);
            Tensor k = randn(g, 2, 3);
            Corr2d.corr2d(x, k).sum().backward();
            double[] gx = x.grad().toArray();
            double[] gk = k.grad().toArray();
            x.setGrad(null);
            k.setGrad(null);
            Functional.conv2d(x.reshape(1, 1, 5, 6), k.reshape(1, 1, 2, 3), null).sum().backward();
            assertThat(x.grad().toArray()).containsExactly(gx, offset(1e-12));
            assertThat(k.grad().toArray()).containsExactly(gk, offset(1e-12));
        }
    }
}
