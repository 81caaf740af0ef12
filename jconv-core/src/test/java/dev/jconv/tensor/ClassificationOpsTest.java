package dev.jconv.tensor;

import static dev.jconv.GradCheck.check;
import static dev.jconv.GradCheck.randn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.data.Offset.offset;

import dev.jconv.random.Generator;
import dev.jconv.storage.DType;
import dev.jconv.storage.Shape;
import java.util.Random;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The operations classification needs: softmax, log-softmax, the negative log-likelihood pick, masked fill
 * and the fused {@code add(other, alpha)}, {@code addcmul_}, {@code addcdiv_} the optimizers use. Backward
 * rules are checked in float64 against finite differences ({@link dev.jconv.GradCheck}); the cross-entropy
 * built from them is checked in {@code dev.jconv.nn.CrossEntropyTest}.
 */
class ClassificationOpsTest {

    private static Tensor int64(long... values) {
        return Tensor.of(values);
    }

    @Nested
    class Gradients {
        @ParameterizedTest(name = "dim {0}")
        @ValueSource(ints = {0, 1, 2, -1})
        void logSoftmax(int dim) {
            check(a -> a[0].logSoftmax(dim), randn(new Generator(dim + 10), 2, 3, 4));
        }

        @ParameterizedTest(name = "dim {0}")
        @ValueSource(ints = {0, 1, 2, -1})
        void softmax(int dim) {
            check(a -> a[0].softmax(dim), randn(new Generator(dim + 20), 2, 3, 4));
        }

        @Test
        void softmaxOfAVectorAndOfAScalar() {
            Generator g = new Generator(3);
            check(a -> a[0].softmax(0), randn(g, 5));
            check(a -> a[0].logSoftmax(-1), randn(g, 5));
            check(a -> a[0].softmax(0).add(a[0]), randn(g)); // softmax of a 0-d tensor is the constant 1
        }

        @Test
        void logSoftmaxWithLargeLogits() {
            // Spread of ~100: exp() of the raw values would overflow float64 at ~710, the shifted ones never do.
            Tensor x = randn(new Generator(4), 3, 5);
            check(a -> a[0].mul(100).add(800).logSoftmax(1), x);
        }

        @Test
        void nllLossPicksAndIgnores() {
            Generator g = new Generator(5);
            check(a -> NllLoss.perElement(a[0], int64(2, 0, 4), -100), randn(g, 3, 5));
            check(a -> NllLoss.perElement(a[0], int64(2, -100, 4), -100), randn(g, 3, 5));
            check(a -> NllLoss.perElement(a[0], Tensor.scalar(3, DType.INT64), -100), randn(g, 5));
            Tensor spatial = Tensor.of(new long[][] {{0, 1, 2, 1}, {2, 2, 0, 1}}, DType.INT64);
            check(a -> NllLoss.perElement(a[0], spatial, 1), randn(g, 2, 3, 4));
        }

        @Test
        void maskedFill() {
            Tensor mask = Tensor.of(true, false, true);
            check(a -> a[0].maskedFill(mask, 7), randn(new Generator(6), 2, 3));
        }

        @Test
        void addWithAlphaBroadcasting() {
            Generator g = new Generator(7);
            check(a -> a[0].add(a[1], -0.3), randn(g, 2, 3), randn(g, 3));
        }
    }

    @Nested
    class Values {
        @Test
        void largeLogitsGiveFiniteLogProbabilities() {
            Tensor x = Tensor.of(new double[][] {{1000, 0, -1000}});
            assertThat(x.logSoftmax(1).toArray()).containsExactly(0, -1000, -2000);
            assertThat(x.softmax(1).toArray()).containsExactly(1, 0, 0);
        }

        @Test
        void softmaxSumsToOneAndIsExpOfLogSoftmax() {
            Tensor x = Tensor.randn(Shape.of(4, 6), DType.FLOAT64, new Generator(11)).mul(5);
            double[] s = x.softmax(1).sum(1, false).toArray();
            for (double v : s) {
                assertThat(v).isCloseTo(1, offset(1e-15));
            }
            assertThat(x.logSoftmax(1).exp().allclose(x.softmax(1), 1e-14, 0)).isTrue();
        }

        @Test
        void nanSpreadsAlongItsRowOnly() {
            Tensor x = Tensor.of(new double[][] {{1, Double.NaN}, {1, 2}});
            double[] y = x.softmax(1).toArray();
            assertThat(y[0]).isNaN();
            assertThat(y[1]).isNaN();
            assertThat(y[2] + y[3]).isCloseTo(1, offset(1e-7));
        }

        @Test
        void float32StaysFloat32AndGradFnsHavePyTorchsNames() {
            Tensor x = Tensor.of(new double[][] {{1, 2, 3}}).requiresGrad(true);
            Tensor ls = x.logSoftmax(1);
            assertThat(ls.dtype()).isEqualTo(DType.FLOAT32);
            assertThat(ls.gradFn().name()).isEqualTo("LogSoftmaxBackward0");
            assertThat(x.softmax(1).gradFn().name()).isEqualTo("SoftmaxBackward0");
            assertThat(NllLoss.perElement(ls, int64(2), -100).gradFn().name()).isEqualTo("NllLossBackward0");
            assertThat(x.maskedFill(Tensor.of(true, false, false), 0).gradFn().name()).isEqualTo("MaskedFillBackward0");
        }

        @Test
        void maskedFillClearsInfinitiesWhereMultiplyingByZeroWouldGiveNan() {
            Tensor x = Tensor.of(Double.POSITIVE_INFINITY, 2);
            assertThat(x.maskedFill(Tensor.of(true, false), 0).toArray()).containsExactly(0, 2);
        }

        @Test
        void nllLossPicksNegatedEntriesAndZeroForIgnored() {
            Tensor x = Tensor.of(new double[][] {{-1, -2, -3}, {-4, -5, -6}});
            assertThat(NllLoss.perElement(x, int64(2, 0), -100).toArray()).containsExactly(3, 4);
            assertThat(NllLoss.perElement(x, int64(2, 7), 7).toArray()).containsExactly(3, 0);
        }

        @Test
        void savedSoftmaxOutputModifiedInPlaceFailsTheBackwardPass() {
            Tensor x = Tensor.of(1.0, 2.0).requiresGrad(true);
            Tensor y = x.softmax(0);
            try (var ignored = Tensor.noGrad()) {
                y.mul_(2);
            }
            assertThatIllegalStateException().isThrownBy(() -> y.sum().backward())
                    .withMessageContaining("modified by an inplace operation");
        }
    }

    /** The optimizers rely on PyTorch's exact roundings; these pick inputs where fused and unfused differ. */
    @Nested
    class FusedArithmetic {
        private final Random random = new Random(42);

        @Test
        void addWithAlphaRoundsOnceLikePyTorchsFusedKernel() {
            int differing = 0;
            for (int i = 0; i < 2000; i++) {
                float a = (float) random.nextGaussian();
                float b = (float) random.nextGaussian();
                float alpha = 0.1f;
                float fused = Math.fma(alpha, b, a);
                float unfused = a + alpha * b;
                differing += fused != unfused ? 1 : 0;
                assertThat(Tensor.of(a).add(Tensor.of(b), 0.1).toArray()[0]).isEqualTo(fused);
                assertThat(Tensor.of(a).add_(Tensor.of(b), 0.1).toArray()[0]).isEqualTo(fused);
            }
            assertThat(differing).as("the sample must contain cases where fusing matters").isPositive();
        }

        @Test
        void addcmulRoundsValueTimesTensor1ThenFuses() {
            int differing = 0;
            for (int i = 0; i < 2000; i++) {
                float t = (float) random.nextGaussian();
                float a = (float) random.nextGaussian();
                float b = (float) random.nextGaussian();
                float scaled = (float) (1 - 0.999) * a;
                float expected = Math.fma(scaled, b, t);
                differing += expected != t + scaled * b ? 1 : 0;
                assertThat(Tensor.of(t).addcmul_(Tensor.of(a), Tensor.of(b), 1 - 0.999).toArray()[0]).isEqualTo(expected);
            }
            assertThat(differing).isPositive();
        }

        @Test
        void addcdivRoundsEachStep() {
            for (int i = 0; i < 500; i++) {
                float t = (float) random.nextGaussian();
                float a = (float) random.nextGaussian();
                float b = (float) random.nextGaussian() + 3;
                float expected = t + ((-0.01f * a) / b);
                assertThat(Tensor.of(t).addcdiv_(Tensor.of(a), Tensor.of(b), -0.01).toArray()[0]).isEqualTo(expected);
            }
        }

        @Test
        void integerTensorsTakeOnlyIntegralAlpha() {
            assertThat(int64(1, 2).add(int64(3, 4), -2).toLongArray()).containsExactly(-5, -6);
            assertThatIllegalArgumentException().isThrownBy(() -> int64(1, 2).add(int64(3, 4), 0.5))
                    .withMessageStartingWith("For integral input tensors, argument alpha must not be a floating point "
                            + "number");
        }

        @Test
        void inPlaceOperandsMustBroadcastToTheTarget() {
            assertThatIllegalArgumentException().isThrownBy(() -> Tensor.zeros(3).addcmul_(Tensor.zeros(2, 3),
                    Tensor.zeros(3), 1)).withMessageContaining("output with shape [3] doesn't match the broadcast shape [2, 3]");
        }
    }

    @Nested
    class BadInput {
        @Test
        void softmaxOfIntegersIsRejected() {
            assertThatIllegalArgumentException().isThrownBy(() -> int64(1, 2).softmax(0))
                    .withMessage("softmax(): expected a floating point input, but got a tensor of dtype torch.int64 and "
                            + "shape [2]");
            assertThatIllegalArgumentException().isThrownBy(() -> int64(1, 2).logSoftmax(0))
                    .withMessageStartingWith("log_softmax(): expected a floating point input");
        }

        @Test
        void softmaxDimensionOutOfRange() {
            assertThatIllegalArgumentException().isThrownBy(() -> Tensor.zeros(3, 5).logSoftmax(2))
                    .withMessage("Dimension out of range (expected to be in range of [-2, 1], but got 2)");
        }

        @Test
        void maskedFillNeedsABoolMaskOfABroadcastableShape() {
            assertThatIllegalArgumentException().isThrownBy(() -> Tensor.zeros(2).maskedFill(int64(1, 0), 0))
                    .withMessage("masked_fill only supports boolean masks, but got mask with dtype torch.int64 (shape [2])");
            assertThatIllegalArgumentException().isThrownBy(() -> Tensor.zeros(2).maskedFill(Tensor.of(true, false, true), 0))
                    .withMessageContaining("mask of shape [3] cannot be broadcast to the input's shape [2]");
        }
    }
}
