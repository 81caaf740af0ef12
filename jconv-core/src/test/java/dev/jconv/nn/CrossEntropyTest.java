package dev.jconv.nn;

import static dev.jconv.GradCheck.check;
import static dev.jconv.GradCheck.randn;
import static dev.jconv.OptimVectors.find;
import static dev.jconv.OptimVectors.section;
import static dev.jconv.OptimVectors.tensor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.fail;

import dev.jconv.internal.Json;
import dev.jconv.random.Generator;
import dev.jconv.storage.DType;
import dev.jconv.storage.Shape;
import dev.jconv.tensor.Tensor;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Cross-entropy, softmax and accuracy: values and gradients against PyTorch 1.13 (vectors/optim.json),
 * backward rules against finite differences, and bad input.
 */
class CrossEntropyTest {
    /**
     * float64: the formulas are PyTorch's, only summation order and exp/log's last bits differ. float32:
     * jconv computes softmax in double and rounds once, PyTorch in float, so a few float32 ulps apart.
     */
    private static void assertClose(String what, Tensor actual, Tensor expected) {
        assertThat(actual.shape()).as(what + " shape").isEqualTo(expected.shape());
        assertThat(actual.dtype()).as(what + " dtype").isEqualTo(expected.dtype());
        boolean f64 = expected.dtype() == DType.FLOAT64;
        double rtol = f64 ? 1e-12 : 1e-5;
        double atol = f64 ? 1e-14 : 1e-6;
        double[] a = actual.toArray();
        double[] e = expected.toArray();
        for (int k = 0; k < e.length; k++) {
            if (!(Math.abs(a[k] - e[k]) <= atol + rtol * Math.abs(e[k]))) {
                fail("%s: element %d is %s, PyTorch has %s", what, k, a[k], e[k]);
            }
        }
    }

    private static Reduction reduction(Object name) {
        return Reduction.valueOf(((String) name).toUpperCase(java.util.Locale.ROOT));
    }

    static Stream<String> lossCases() {
        return section("losses").stream().map(c -> (String) c.get("id"));
    }

    static Stream<String> softmaxCases() {
        return section("softmax").stream().map(c -> (String) c.get("id"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lossCases")
    void crossEntropyMatchesPyTorch(String id) {
        Map<String, Object> c = find("losses", id);
        Tensor input = tensor(c.get("input")).requiresGrad(true);
        Tensor target = tensor(c.get("target"));
        Tensor out = new CrossEntropyLoss(reduction(c.get("reduction")), Json.longValue(c.get("ignore_index"), "ii"),
                Json.doubleValue(c.get("label_smoothing"), "ls")).forward(input, target);
        assertClose(id + " loss", out, tensor(c.get("output")));
        out.mul(tensor(c.get("grad_output"))).sum().backward();
        assertClose(id + " gradient", input.grad(), tensor(c.get("grad_input")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("softmaxCases")
    void softmaxAndLogSoftmaxMatchPyTorch(String id) {
        Map<String, Object> c = find("softmax", id);
        Tensor input = tensor(c.get("input")).requiresGrad(true);
        int dim = (int) Json.longValue(c.get("dim"), "dim");
        Tensor out = c.get("fn").equals("softmax") ? Functional.softmax(input, dim) : Functional.logSoftmax(input, dim);
        assertClose(id + " output", out, tensor(c.get("output")));
        out.mul(tensor(c.get("grad_output"))).sum().backward();
        assertClose(id + " gradient", input.grad(), tensor(c.get("grad_input")));
    }

    @Nested
    class Gradients {
        private static Tensor int64(long... values) {
            return Tensor.of(values);
        }

        @ParameterizedTest(name = "{0}")
        @EnumSource(Reduction.class)
        void crossEntropyWithAndWithoutSmoothing(Reduction reduction) {
            Generator g = new Generator(8);
            Tensor target = int64(1, 0, 3, 3);
            for (double ls : new double[] {0, 0.1, 1}) {
                check("label smoothing " + ls, a -> Functional.crossEntropy(a[0], target, reduction, ls),
                        randn(g, 4, 5));
            }
            check("an ignored target", a -> Functional.crossEntropy(a[0], int64(1, -100, 3, 3), reduction, -100, 0.2),
                    randn(g, 4, 5));
            Tensor spatial = Tensor.of(new long[][] {{0, 1, 2}, {2, 2, 0}}, DType.INT64);
            check("spatial", a -> Functional.crossEntropy(a[0], spatial, reduction, 0.1), randn(g, 2, 3, 3));
        }

        @ParameterizedTest(name = "{0}")
        @EnumSource(Reduction.class)
        void crossEntropyWithProbabilityTargets(Reduction reduction) {
            Generator g = new Generator(9);
            Tensor probabilities = Tensor.randn(Shape.of(3, 4), DType.FLOAT64, g).softmax(1);
            check(a -> Functional.crossEntropy(a[0], probabilities, reduction, 0.1), randn(g, 3, 4));
            // The gradient with respect to the target probabilities too.
            check(a -> Functional.crossEntropy(a[0], a[1], reduction, 0), randn(g, 3, 4), randn(g, 3, 4));
        }

        @Test
        void nllLossOnLogProbabilities() {
            Generator g = new Generator(10);
            check(a -> Functional.nllLoss(a[0].logSoftmax(1), int64(4, 0, 2)), randn(g, 3, 5));
            check(a -> Functional.nllLoss(a[0], int64(4, 7, 2), Reduction.SUM, 7), randn(g, 3, 5));
        }
    }

    @Nested
    class Values {
        @Test
        void labelSmoothingFollowsPyTorchsFormula() {
            // (1 - ε)·nll + (ε / C)·Σ_c -log p_c, averaged over the batch.
            Tensor logits = Tensor.of(new double[][] {{2, 0, -1}, {0.5, 0.5, 3}}, DType.FLOAT64);
            Tensor target = Tensor.of(0L, 1L);
            double eps = 0.3;
            double[] lp = logits.logSoftmax(1).toArray();
            double nll = -(lp[0] + lp[4]) / 2;
            double smooth = -(lp[0] + lp[1] + lp[2] + lp[3] + lp[4] + lp[5]) / 2;
            double expected = (1 - eps) * nll + eps / 3 * smooth;
            assertThat(Functional.crossEntropy(logits, target, Reduction.MEAN, eps).item())
                    .isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-15));
        }

        @Test
        void defaultsAreMeanWithoutSmoothingAndIgnoreIndexMinus100() {
            CrossEntropyLoss loss = new CrossEntropyLoss();
            assertThat(loss.reduction()).isEqualTo(Reduction.MEAN);
            assertThat(loss.labelSmoothing()).isZero();
            assertThat(loss.ignoreIndex()).isEqualTo(-100);
            assertThat(loss).hasToString("CrossEntropyLoss()");
            Tensor logits = Tensor.of(new double[][] {{1, 2}, {3, 4}});
            assertThat(loss.forward(logits, Tensor.of(1L, 0L)).item())
                    .isEqualTo(Functional.crossEntropy(logits, Tensor.of(1L, 0L)).item());
            // -100 targets drop out of the mean, in the numerator and the count.
            assertThat(loss.forward(logits, Tensor.of(1L, -100L)).item())
                    .isEqualTo(Functional.crossEntropy(logits.slice(0, 0, 1), Tensor.of(1L)).item());
        }

        @Test
        void allTargetsIgnoredGivesNanLikePyTorch() {
            Tensor logits = Tensor.zeros(2, 3);
            assertThat(Functional.crossEntropy(logits, Tensor.of(-100L, -100L)).item()).isNaN();
            assertThat(Functional.crossEntropy(logits, Tensor.of(-100L, -100L), Reduction.SUM, 0.1).item()).isZero();
        }

        @Test
        void accuracyIsTheFractionOfArgmaxHits() {
            Tensor logits = Tensor.of(new double[][] {{0.1, 0.9, 0}, {2, 1, 0}, {0, 0, 5}, {1, 1, 0}});
            assertThat(Metrics.accuracy(logits, Tensor.of(1L, 0L, 1L, 0L))).isEqualTo(0.75); // ties: first index
            assertThat(Metrics.accuracy(logits, Tensor.of(0L, 1L, 0L, 1L))).isZero();
            assertThat(Metrics.accuracy(Tensor.zeros(0, 3), Tensor.zeros(Shape.of(0), DType.INT64))).isNaN();
        }
    }

    @Nested
    class BadInput {
        private final Tensor logits = Tensor.zeros(3, 5);

        @Test
        void targetsOutOfRangeAreNamed() {
            assertThatIllegalArgumentException().isThrownBy(() -> Functional.crossEntropy(logits, Tensor.of(0L, 12L, 1L)))
                    .withMessage("Target 12 is out of bounds.");
            assertThatIllegalArgumentException().isThrownBy(() -> Functional.crossEntropy(logits, Tensor.of(0L, -1L, 1L)))
                    .withMessage("Target -1 is out of bounds.");
            assertThatIllegalArgumentException().isThrownBy(() -> Functional.crossEntropy(logits, Tensor.of(5L, 0L, 1L),
                    Reduction.MEAN, 0.1)).withMessage("Target 5 is out of bounds.");
        }

        @Test
        void mismatchedShapesAreNamed() {
            assertThatIllegalArgumentException().isThrownBy(() -> new CrossEntropyLoss().forward(logits,
                    Tensor.of(0L, 1L, 1L, 2L))).withMessage("Expected input batch_size (3) to match target batch_size (4).");
            assertThatIllegalArgumentException().isThrownBy(() -> Functional.crossEntropy(logits,
                    Tensor.of(new long[][] {{0}, {1}, {1}}, DType.INT64)))
                    .withMessage("0D or 1D target tensor expected, multi-target not supported (got input: [3, 5], "
                            + "target: [3, 1])");
            assertThatIllegalArgumentException().isThrownBy(() -> Functional.crossEntropy(Tensor.zeros(5), Tensor.of(2L)))
                    .withMessage("size mismatch (got input: [5], target: [1])");
            assertThatIllegalArgumentException().isThrownBy(() -> Functional.crossEntropy(Tensor.zeros(2, 5, 4),
                    Tensor.zeros(Shape.of(2, 3), DType.INT64))).withMessage("Expected target size [2, 4], got [2, 3]");
            assertThatIllegalArgumentException().isThrownBy(() -> Functional.crossEntropy(logits,
                    Tensor.scalar(1, DType.INT64))).withMessage("size mismatch (got input: [3, 5], target: [])");
            assertThatIllegalArgumentException().isThrownBy(() -> Functional.crossEntropy(Tensor.scalar(1, DType.FLOAT32),
                    Tensor.scalar(0, DType.INT64))).withMessageContaining("but got a 0-d input");
        }

        @Test
        void nonInt64TargetsAreRejected() {
            assertThatIllegalArgumentException().isThrownBy(() -> Functional.crossEntropy(logits, Tensor.of(0.0, 1.0, 1.0)))
                    .withMessage("expected scalar type Long but found Float");
            assertThatIllegalArgumentException().isThrownBy(() -> Functional.crossEntropy(logits,
                    Tensor.of(new double[] {0, 1, 1}, DType.FLOAT64))).withMessage("expected scalar type Long but found Double");
            assertThatIllegalArgumentException().isThrownBy(() -> Functional.crossEntropy(logits, Tensor.of(true, false, true)))
                    .withMessage("expected scalar type Long but found Bool");
            assertThatIllegalArgumentException().isThrownBy(() -> Functional.crossEntropy(logits,
                    Tensor.zeros(Shape.of(3, 5), DType.INT64)))
                    .withMessageStartingWith("Expected floating point type for target with class probabilities, got Long");
            assertThatIllegalArgumentException().isThrownBy(() -> Functional.crossEntropy(logits, Tensor.zeros(3, 5),
                    Reduction.MEAN, 0, 0)).withMessage("ignore_index is not supported for floating point target");
        }

        @Test
        void labelSmoothingOutsideZeroToOneIsRejected() {
            assertThatIllegalArgumentException().isThrownBy(() -> new CrossEntropyLoss(Reduction.MEAN, 1.5))
                    .withMessage("label_smoothing must be between 0.0 and 1.0. Got: 1.5");
            assertThatIllegalArgumentException().isThrownBy(() -> Functional.crossEntropy(logits, Tensor.of(0L, 1L, 2L),
                    Reduction.SUM, -0.1)).withMessage("label_smoothing must be between 0.0 and 1.0. Got: -0.1");
        }

        @Test
        void accuracyNamesShapesAndDtype() {
            assertThatIllegalArgumentException().isThrownBy(() -> Metrics.accuracy(logits, Tensor.of(0L, 1L)))
                    .withMessage("accuracy: expected logits of shape (N, C) and labels of shape (N), but got logits "
                            + "[3, 5] and labels [2]");
            assertThatIllegalArgumentException().isThrownBy(() -> Metrics.accuracy(logits, Tensor.of(0.0, 1.0, 2.0)))
                    .withMessage("accuracy: expected int64 class labels, but got torch.float32");
        }
    }
}
