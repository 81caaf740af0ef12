package dev.jconv.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.fail;

import dev.jconv.examples.Corr2d;
import dev.jconv.nn.Functional;
import dev.jconv.nn.Reduction;
import dev.jconv.storage.DType;
import dev.jconv.storage.Shape;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bad arguments fail fast with {@link IllegalArgumentException} (autograd misuse with
 * {@link IllegalStateException}), and the message names the offending shapes or values, in PyTorch's words
 * where PyTorch has them. Never an {@link ArrayIndexOutOfBoundsException} from deep inside a kernel.
 */
class BadInputTest {
    private static final int[] ONE = {1, 1};
    private static final int[] ZERO = {0, 0};

    private static Tensor conv(Tensor input, Tensor weight, int[] stride, int[] padding, int[] dilation, int groups) {
        return Functional.conv2d(input, weight, null, stride, padding, dilation, groups);
    }

    @Nested
    class Conv2dArguments {
        @Test
        void inputOfRankTwoIsRejectedNamingItsSize() {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> conv(Tensor.zeros(5, 5), Tensor.zeros(1, 1, 2, 2), ONE, ZERO, ONE, 1))
                    .withMessage("Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of size: "
                            + "[5, 5]");
        }

        @Test
        void inputOfRankFiveIsRejectedNamingItsSize() {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> conv(Tensor.zeros(1, 1, 1, 5, 5), Tensor.zeros(1, 1, 2, 2), ONE, ZERO, ONE, 1))
                    .withMessageContaining("but got input of size: [1, 1, 1, 5, 5]");
        }

        @Test
        void weightOfRankThreeIsRejectedNamingItsSize() {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> conv(Tensor.zeros(1, 1, 5, 5), Tensor.zeros(1, 2, 2), ONE, ZERO, ONE, 1))
                    .withMessageContaining("Expected 4D weight")
                    .withMessageContaining("but got weight of size [1, 2, 2]");
        }

        @Test
        void inputChannelsMustMatchTheWeight() {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> conv(Tensor.zeros(1, 2, 6, 8), Tensor.zeros(1, 1, 1, 2), ONE, ZERO, ONE, 1))
                    .withMessage("Given groups=1, weight of size [1, 1, 1, 2], expected input[1, 2, 6, 8] to have 1 "
                            + "channels, but got 2 channels instead");
        }

        @Test
        void unbatchedInputChannelsAreReportedWithTheBatchDimensionPyTorchAdds() {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> conv(Tensor.zeros(2, 6, 8), Tensor.zeros(1, 1, 1, 2), ONE, ZERO, ONE, 1))
                    .withMessageContaining("expected input[1, 2, 6, 8] to have 1 channels, but got 2 channels instead");
        }

        @Test
        void kernelLargerThanThePaddedInputIsRejectedWithBothSizes() {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> conv(Tensor.zeros(1, 1, 3, 3), Tensor.zeros(1, 1, 4, 6), ONE, new int[] {0, 1},
                            ONE, 1))
                    .withMessageStartingWith("Calculated padded input size per channel: (3 x 5). Kernel size: (4 x 6). "
                            + "Kernel size can't be greater than actual input size");
        }

        @Test
        void dilationCountsTowardsTheKernelSize() {
            // A 3x3 kernel at dilation 2 spans 5x5, more than the 4x4 input.
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> conv(Tensor.zeros(1, 1, 4, 4), Tensor.zeros(1, 1, 3, 3), ONE, ZERO,
                            new int[] {2, 2}, 1))
                    .withMessageContaining("Kernel size: (5 x 5)");
        }

        @ParameterizedTest(name = "stride ({0}, 1)")
        @ValueSource(ints = {0, -1})
        void nonPositiveStrideIsRejectedNamingIt(int stride) {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> conv(Tensor.zeros(1, 1, 5, 5), Tensor.zeros(1, 1, 2, 2), new int[] {stride, 1},
                            ZERO, ONE, 1))
                    .withMessage("non-positive stride is not supported: stride=(" + stride + ", 1)");
        }

        @Test
        void nonPositiveStrideIsRejectedWithStringPaddingToo() {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> Functional.conv2d(Tensor.zeros(1, 1, 5, 5), Tensor.zeros(1, 1, 2, 2), null,
                            new int[] {1, 0}, "valid", ONE, 1))
                    .withMessageContaining("stride")
                    .withMessageContaining("(1, 0)");
        }

        @Test
        void negativePaddingIsRejectedNamingIt() {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> conv(Tensor.zeros(1, 1, 5, 5), Tensor.zeros(1, 1, 2, 2), ONE, new int[] {1, -2},
                            ONE, 1))
                    .withMessageContaining("negative padding")
                    .withMessageContaining("-2");
        }

        @Test
        void zeroDilationIsRejectedNamingIt() {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> conv(Tensor.zeros(1, 1, 5, 5), Tensor.zeros(1, 1, 2, 2), ONE, ZERO,
                            new int[] {0, 1}, 1))
                    .withMessageContaining("dilation=(0, 1)");
        }

        @Test
        void strideMustBeAPair() {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> conv(Tensor.zeros(1, 1, 5, 5), Tensor.zeros(1, 1, 2, 2), new int[] {1, 1, 1},
                            ZERO, ONE, 1))
                    .withMessageContaining("stride")
                    .withMessageContaining("[1, 1, 1]");
        }

        @Test
        void unknownPaddingStringIsRejectedNamingIt() {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> Functional.conv2d(Tensor.zeros(1, 1, 5, 5), Tensor.zeros(1, 1, 2, 2), null, ONE,
                            "full", ONE, 1))
                    .withMessageContaining("'full'");
        }

        @Test
        void samePaddingWithStrideIsRejected() {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> Functional.conv2d(Tensor.zeros(1, 1, 5, 5), Tensor.zeros(1, 1, 2, 2), null,
                            new int[] {2, 1}, "same", ONE, 1))
                    .withMessageContaining("padding='same' is not supported for strided convolutions (stride=(2, 1))");
        }

        @Test
        void groupsMustDivideTheOutputChannels() {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> conv(Tensor.zeros(1, 2, 5, 5), Tensor.zeros(3, 1, 2, 2), ONE, ZERO, ONE, 2))
                    .withMessage("Given groups=2, expected weight to be divisible by 2 at dimension 0, but got weight "
                            + "of size [3, 1, 2, 2] instead");
        }

        @Test
        void groupsMustDivideTheInputChannels() {
            // 3 input channels cannot be split into 2 groups of weight.size(1) = 1 channel.
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> conv(Tensor.zeros(1, 3, 5, 5), Tensor.zeros(2, 1, 2, 2), ONE, ZERO, ONE, 2))
                    .withMessage("Given groups=2, weight of size [2, 1, 2, 2], expected input[1, 3, 5, 5] to have 2 "
                            + "channels, but got 3 channels instead");
        }

        @ParameterizedTest(name = "groups {0}")
        @ValueSource(ints = {0, -1})
        void nonPositiveGroupsAreRejectedNamingThem(int groups) {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> conv(Tensor.zeros(1, 2, 5, 5), Tensor.zeros(2, 1, 2, 2), ONE, ZERO, ONE, groups))
                    .withMessage("non-positive groups is not supported: groups=" + groups);
        }

        @Test
        void biasMustHaveOneValuePerOutputChannel() {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> Functional.conv2d(Tensor.zeros(1, 1, 5, 5), Tensor.zeros(3, 1, 2, 2),
                            Tensor.zeros(2), ONE, ZERO, ONE, 1))
                    .withMessage("Given weight of size [3, 1, 2, 2], expected bias to be 1-dimensional with 3 "
                            + "elements, but got bias of size [2] instead");
        }

        @Test
        void inputAndWeightMustShareADtype() {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> conv(Tensor.zeros(Shape.of(1, 1, 5, 5), DType.FLOAT64), Tensor.zeros(1, 1, 2, 2),
                            ONE, ZERO, ONE, 1))
                    .withMessageContaining("torch.float64, torch.float32");
        }

        @Test
        void emptyKernelIsRejectedNamingItsSize() {
            // Otherwise every output would be the bias alone, on a grid larger than the input.
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> conv(Tensor.zeros(1, 1, 5, 5), Tensor.zeros(1, 1, 0, 2), ONE, ZERO, ONE, 1))
                    .withMessage("kernel size should be greater than zero, but got kH: 0 kW: 2 (weight of size "
                            + "[1, 1, 0, 2])");
        }

        @Test
        void transposedConvolutionRejectsNonPositiveDilation() {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> Functional.convTranspose2d(Tensor.zeros(1, 1, 1, 4), Tensor.zeros(1, 1, 3, 2),
                            null, new int[] {3, 1}, ZERO, ZERO, 1, new int[] {0, 1}))
                    .withMessage("dilation should be greater than zero, got dilation=(0, 1)");
        }

        @Test
        void corr2dKernelLargerThanItsInputIsRejectedWithBothShapes() {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> Corr2d.corr2d(Tensor.zeros(2, 3), Tensor.zeros(3, 3)))
                    .withMessage("corr2d: kernel of shape [3, 3] is larger than the input of shape [2, 3]");
        }

        /**
         * Random, mostly invalid argument combinations: ranks 0-5, sizes 0-4, strides/paddings/dilations in -1..3
         * and of wrong lengths, bad groups, bad biases, mixed dtypes, padding strings. Each call must either work
         * (with PyTorch's output shape, and a working backward pass) or throw IllegalArgumentException.
         */
        @ParameterizedTest(name = "seed {0}")
        @ValueSource(longs = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19})
        void randomArgumentsEitherWorkOrFailWithIllegalArgumentException(long seed) {
            Random r = new Random(seed);
            for (int trial = 0; trial < 100; trial++) {
                RandomConv c = RandomConv.draw(r);
                try {
                    Tensor out = c.run();
                    assertThat(out.shape()).as("output of %s", c).isEqualTo(c.expectedOutputShape());
                    if (out.requiresGrad()) {
                        out.sum().backward();
                    }
                } catch (IllegalArgumentException expected) {
                    assertThat(expected.getMessage()).as("message of %s", c).isNotBlank();
                } catch (RuntimeException e) {
                    fail("seed " + seed + ", trial " + trial + ": " + c + " threw " + e, e);
                }
            }
        }
    }

    /**
     * One random conv2d call. Each aspect of the arguments is independently wrong about one time in twenty, so
     * that many calls reach the kernels (and their backward pass) while the rest hit every kind of check.
     */
    record RandomConv(Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding, String paddingMode,
                      int[] dilation, int groups) {

        static RandomConv draw(Random r) {
            int groups = rarely(r) ? r.nextInt(2) - 1 : 1 + r.nextInt(3);
            int g = Math.max(groups, 1);
            int inPerGroup = rarely(r) ? 0 : 1 + r.nextInt(2);
            int channels = rarely(r) ? r.nextInt(5) : g * inPerGroup;
            int outChannels = rarely(r) ? r.nextInt(5) : g * (1 + r.nextInt(2));
            int inputRank = rarely(r) ? pick(r, 0, 1, 2, 5) : pick(r, 3, 4, 4);
            int weightRank = rarely(r) ? pick(r, 2, 3, 5) : 4;
            int[] inSizes = sizes(r, inputRank);
            if (inputRank >= 3) {
                inSizes[inputRank - 3] = channels;
                // Height and width usually larger than the kernel, so "kernel too large" stays one case of many.
                inSizes[inputRank - 2] = rarely(r) ? 0 : 2 + r.nextInt(6);
                inSizes[inputRank - 1] = rarely(r) ? 0 : 2 + r.nextInt(6);
            }
            int[] wSizes = sizes(r, weightRank);
            if (weightRank >= 2) {
                wSizes[0] = outChannels;
                wSizes[1] = inPerGroup;
            }
            DType inputType = rarely(r) ? DType.FLOAT64 : DType.FLOAT32;
            Tensor input = tensor(r, inSizes, inputType);
            Tensor weight = tensor(r, wSizes, DType.FLOAT32);
            Tensor bias = r.nextInt(3) == 0 ? null
                    : tensor(r, rarely(r) ? sizes(r, r.nextInt(3)) : new int[] {outChannels}, DType.FLOAT32);
            String mode = r.nextInt(4) == 0 ? pickMode(r, "same", "same", "valid", "full") : null;
            int[] stride = ints(r, 1);
            // "same" needs stride 1: make that the usual case, so the rejection of strides stays the rare one.
            if ("same".equals(mode) && !rarely(r)) {
                Arrays.fill(stride, 1);
            }
            return new RandomConv(input, weight, bias, stride, mode == null ? ints(r, 0) : null, mode, ints(r, 1),
                    groups);
        }

        /** PyTorch's output size: floor((in + 2·padding - dilation·(k - 1) - 1) / stride) + 1 per spatial dim. */
        Shape expectedOutputShape() {
            int rank = input.dim();
            int[] out = new int[2];
            for (int i = 0; i < 2; i++) {
                int in = input.size(rank - 2 + i);
                int k = weight.size(2 + i);
                int p = paddingMode == null ? padding[i] : 0;
                out[i] = "same".equals(paddingMode) ? in
                        : Math.floorDiv(in + 2 * p - dilation[i] * (k - 1) - 1, stride[i]) + 1;
            }
            return rank == 4 ? Shape.of(input.size(0), weight.size(0), out[0], out[1])
                    : Shape.of(weight.size(0), out[0], out[1]);
        }

        private static boolean rarely(Random r) {
            return r.nextInt(20) == 0;
        }

        Tensor run() {
            return paddingMode != null
                    ? Functional.conv2d(input, weight, bias, stride, paddingMode, dilation, groups)
                    : Functional.conv2d(input, weight, bias, stride, padding, dilation, groups);
        }

        /** Sizes 1..4, sometimes 0. */
        private static int[] sizes(Random r, int rank) {
            int[] s = new int[rank];
            for (int i = 0; i < rank; i++) {
                s[i] = rarely(r) ? 0 : 1 + r.nextInt(4);
            }
            return s;
        }

        /** Usually a pair of values in min..min+2, sometimes of another length or with a value below min. */
        private static int[] ints(Random r, int min) {
            int[] v = new int[rarely(r) ? pick(r, 0, 1, 3) : 2];
            for (int i = 0; i < v.length; i++) {
                v[i] = rarely(r) ? min - 1 - r.nextInt(2) : min + r.nextInt(3);
            }
            return v;
        }

        private static Tensor tensor(Random r, int[] sizes, DType dtype) {
            Tensor t = Tensor.zeros(Shape.of(sizes), dtype);
            return r.nextBoolean() ? t.requiresGrad(true) : t;
        }

        private static String pickMode(Random r, String... options) {
            return options[r.nextInt(options.length)];
        }

        private static int pick(Random r, int... options) {
            return options[r.nextInt(options.length)];
        }

        @Override
        public String toString() {
            return "conv2d(input " + input.shape().dimsString() + " " + input.dtype() + ", weight "
                    + weight.shape().dimsString() + ", bias " + (bias == null ? "none" : bias.shape().dimsString())
                    + ", stride " + Arrays.toString(stride) + ", padding "
                    + (paddingMode != null ? paddingMode : Arrays.toString(padding)) + ", dilation "
                    + Arrays.toString(dilation) + ", groups " + groups + ")";
        }
    }

    @Nested
    class ShapesAndIndices {
        @Test
        void nonBroadcastableShapesInAddNameBothShapes() {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> Tensor.zeros(2, 3).add(Tensor.zeros(4)))
                    .withMessage("The size of tensor a (3) must match the size of tensor b (4) at non-singleton "
                            + "dimension 1: shapes [2, 3] and [4] are not broadcastable");
        }

        @Test
        void reshapeToADifferentElementCountNamesTheShapeAndTheCount() {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> Tensor.zeros(2, 3).reshape(4, 2))
                    .withMessage("shape [4, 2] is invalid for input of size 6");
        }

        @Test
        void reshapeWithAnInferredSizeThatDoesNotDivide() {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> Tensor.zeros(2, 3).reshape(-1, 4))
                    .withMessage("shape [-1, 4] is invalid for input of size 6");
        }

        @Test
        void reshapeWithTwoInferredSizes() {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> Tensor.zeros(2, 3).reshape(-1, -1))
                    .withMessageContaining("only one dimension can be inferred in [-1, -1]");
        }

        @Test
        void viewOfANonContiguousTensorNamesSizeAndStride() {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> Tensor.zeros(2, 3).t().view(6))
                    .withMessageContaining("view size [6] is not compatible with input tensor's size [3, 2] and stride "
                            + "[1, 3]");
        }

        @Test
        void inPlaceWriteThroughAnExpandedViewIsRejectedNamingShapeAndStride() {
            // The 2 rows of the view are one row in memory: adding ones would give 1, not the 2 the values claim.
            Tensor row = Tensor.zeros(1, 3);
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> row.expand(2, 3).add_(Tensor.ones(2, 3)))
                    .withMessage("unsupported operation: more than one element of the written-to tensor refers to a "
                            + "single memory location (shape [2, 3], stride [0, 1]). Please clone() the tensor before "
                            + "performing the operation.");
            assertThat(row.toArray()).containsOnly(0);
        }

        @Test
        void negativeSizeInZerosNamesTheSize() {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> Tensor.zeros(2, -3))
                    .withMessage("negative dimension -3 in size [2, -3]");
        }

        @Test
        void sliceOfADimensionOutOfRangeNamesTheValidRange() {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> Tensor.zeros(2, 3).slice(2, 0, 1))
                    .withMessage("Dimension out of range (expected to be in range of [-2, 1], but got 2)");
        }

        @Test
        void sliceWithANonPositiveStepNamesTheStep() {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> Tensor.zeros(2, 3).slice(1, 0, 3, 0))
                    .withMessage("slice step must be positive, got 0");
        }

        @Test
        void sliceBoundsOutsideTheTensorAreClampedLikePythonNotRejected() {
            // x[:, 2:100] and x[:, 5:9] are legal in Python: the bounds clamp, the second slice is empty.
            Tensor x = Tensor.zeros(2, 3);
            assertThat(x.slice(1, 2, 100).shape()).isEqualTo(Shape.of(2, 1));
            assertThat(x.slice(1, 5, 9).shape()).isEqualTo(Shape.of(2, 0));
        }

        @ParameterizedTest(name = "index {0}")
        @ValueSource(ints = {3, -4})
        void selectOfAnIndexOutOfRangeNamesIndexDimAndSize(int index) {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> Tensor.zeros(2, 3).select(1, index))
                    .withMessage("index " + index + " is out of bounds for dimension 1 with size 3 (tensor of shape "
                            + "[2, 3])");
        }

        @Test
        void selectOfADimensionOutOfRangeNamesTheValidRange() {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> Tensor.zeros(2, 3).select(-3, 0))
                    .withMessage("Dimension out of range (expected to be in range of [-2, 1], but got -3)");
        }

        @Test
        void matmulWithMismatchedInnerSizesNamesBothShapes() {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> Tensor.zeros(2, 3).matmul(Tensor.zeros(4, 5)))
                    .withMessage("mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5): shapes [2, 3] and [4, 5]");
        }

        @Test
        void matmulOfVectorsOfDifferentLengths() {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> Tensor.zeros(3).matmul(Tensor.zeros(4)))
                    .withMessageContaining("shapes [1, 3] and [4, 1]");
        }

        @Test
        void matmulWithNonBroadcastableBatchesNamesTheBatchSizes() {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> Tensor.zeros(2, 3, 4).matmul(Tensor.zeros(3, 4, 5)))
                    .withMessageContaining("The size of tensor a (2) must match the size of tensor b (3)");
        }

        @Test
        void linearWithMismatchedFeaturesNamesBothShapes() {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> Functional.linear(Tensor.zeros(4, 3), Tensor.zeros(5, 2), null))
                    .withMessageContaining("input of shape [4, 3] cannot be multiplied by weight of shape [5, 2]");
        }

        @Test
        void mseLossOfDifferentShapesNamesBoth() {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> Functional.mseLoss(Tensor.zeros(2, 3), Tensor.zeros(3, 2), Reduction.MEAN))
                    .withMessage("mse_loss: input of size [2, 3] and target of size [3, 2] must have the same size");
        }
    }

    @Nested
    class AutogradMisuse {
        private final Tensor x = Tensor.fromArray(new double[] {1, 2, 3, 4, 5, 6}, Shape.of(2, 3), DType.FLOAT64)
                .requiresGrad(true);

        @Test
        void backwardTwiceThroughAFreedGraphNamesTheNode() {
            Tensor loss = x.mul(x).sum();
            loss.backward();
            assertThatIllegalStateException()
                    .isThrownBy(loss::backward)
                    .withMessageStartingWith("Trying to backward through the graph a second time")
                    .withMessageContaining("at SumBackward0")
                    .withMessageContaining("backward(gradient, true)");
        }

        @Test
        void backwardTwiceWorksWhenTheFirstPassRetainsTheGraph() {
            Tensor loss = x.mul(x).sum();
            loss.backward(Tensor.scalar(1, DType.FLOAT64), true);
            loss.backward();
            // d/dx sum(x²) = 2x, accumulated over both passes.
            assertThat(x.grad().toArray()).containsExactly(4, 8, 12, 16, 20, 24);
        }

        @Test
        void modifyingASavedTensorThroughDataIsCaughtByTheVersionCounter() {
            Tensor w = Tensor.fromArray(new double[] {1, 1, 1, 1, 1, 1}, Shape.of(2, 3), DType.FLOAT64)
                    .requiresGrad(true);
            Tensor y = x.mul(w);
            // data() shares w's storage, so this write bumps the version that MulBackward0 recorded.
            w.data().add_(1);
            assertThatIllegalStateException()
                    .isThrownBy(() -> y.sum().backward())
                    .withMessage("one of the variables needed for gradient computation has been modified by an "
                            + "inplace operation: tensor of size [2, 3] used by MulBackward0 is at version 1; expected "
                            + "version 0 instead");
        }

        @Test
        void modifyingASavedInputOfAUnaryOpIsCaught() {
            Tensor base = x.detach().cloneTensor().requiresGrad(true);
            Tensor y = base.log();
            base.data().mul_(2);
            assertThatIllegalStateException()
                    .isThrownBy(() -> y.sum().backward())
                    .withMessageContaining("modified by an inplace operation")
                    .withMessageContaining("LogBackward0");
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"ExpBackward0", "SqrtBackward0", "ReluBackward0", "SigmoidBackward0", "TanhBackward0"})
        void modifyingTheOutputOfAUnaryOpWhoseBackwardReadsItIsCaught(String node) {
            Tensor y = switch (node) {
                case "ExpBackward0" -> x.exp();
                case "SqrtBackward0" -> x.sqrt();
                case "ReluBackward0" -> x.relu();
                case "SigmoidBackward0" -> x.sigmoid();
                default -> x.tanh();
            };
            // Outside the graph's view (noGrad) the write is allowed, but the backward rule needs the old output.
            try (var _ = Tensor.noGrad()) {
                y.mul_(0);
            }
            assertThatIllegalStateException()
                    .isThrownBy(() -> y.sum().backward())
                    .withMessage("one of the variables needed for gradient computation has been modified by an "
                            + "inplace operation: tensor of size [2, 3] used by " + node + " is at version 1; expected "
                            + "version 0 instead");
        }

        @Test
        void modifyingTheResultOfMaxIsCaught() {
            // max()'s gradient goes to the elements equal to the result: a changed result would move it silently.
            Tensor m = x.max();
            m.data().fill_(1);
            assertThatIllegalStateException()
                    .isThrownBy(m::backward)
                    .withMessageContaining("used by MaxBackward1 is at version 1; expected version 0");
        }

        @Test
        void modifyingTheOutputOfAPowerWithATensorExponentIsCaught() {
            Tensor exponent = Tensor.fromArray(new double[] {1, 2, 1, 2, 1, 2}, Shape.of(2, 3), DType.FLOAT64)
                    .requiresGrad(true);
            Tensor p = x.pow(exponent);
            p.data().add_(1);
            assertThatIllegalStateException()
                    .isThrownBy(() -> p.sum().backward())
                    .withMessageContaining("used by PowBackward1 is at version 1; expected version 0");
        }

        @Test
        void backwardOnANonScalarWithoutAGradientNamesTheShape() {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> x.mul(2).backward())
                    .withMessageStartingWith("grad can be implicitly created only for scalar outputs")
                    .withMessageContaining("shape [2, 3]");
        }

        @Test
        void backwardWithAGradientOfTheWrongShapeNamesBothShapes() {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> x.mul(2).backward(Tensor.zeros(Shape.of(3, 2), DType.FLOAT64)))
                    .withMessage("gradient has shape [3, 2] but the output has shape [2, 3]");
        }

        @Test
        void backwardOfATensorOutsideAnyGraph() {
            assertThatIllegalStateException()
                    .isThrownBy(() -> Tensor.zeros(2).sum().backward())
                    .withMessageContaining("does not require grad and does not have a grad_fn");
        }

        @Test
        void inPlaceOpOnALeafThatRequiresGradNamesItsShape() {
            assertThatIllegalStateException()
                    .isThrownBy(() -> x.add_(1))
                    .withMessageStartingWith("a leaf Variable that requires grad (shape [2, 3]) is being used in an "
                            + "in-place operation");
        }

        @Test
        void inPlaceOpOnALeafIsAllowedInsideNoGrad() {
            try (var _ = Tensor.noGrad()) {
                assertThatCode(() -> x.sub_(1)).doesNotThrowAnyException();
            }
            assertThat(x.toArray()).containsExactly(0, 1, 2, 3, 4, 5);
        }

        @Test
        void inPlaceOpOnAnIntermediateOfTheGraphNamesTheOp() {
            Tensor y = x.mul(2);
            assertThatIllegalStateException()
                    .isThrownBy(() -> y.mul_(3))
                    .withMessageContaining("(tensor of shape [2, 3] made by MulBackward0)");
        }

        @Test
        void integerTensorsCannotRequireGrad() {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> Tensor.of(1L, 2L).requiresGrad(true))
                    .withMessageContaining("torch.int64");
        }
    }
}
