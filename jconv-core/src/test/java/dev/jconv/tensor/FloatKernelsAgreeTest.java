package dev.jconv.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jconv.nn.Functional;
import dev.jconv.random.Generator;
import dev.jconv.storage.DType;
import dev.jconv.storage.Shape;
import java.util.function.UnaryOperator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The float32 kernels of arithmetic, sigmoid, matmul and pooling against the same op run in float64 on the same
 * values: one rounding step ({@code + - * /}, selections, a 2×2 average) gives exactly the float64 result
 * rounded; a longer computation (a product's sums, a sigmoid) stays within float32's rounding of it. Shapes and
 * values come from the seed; gradients are compared too.
 */
class FloatKernelsAgreeTest {
    /** The float32 and float64 results of {@code op}, and of the gradient of sum(op(x)·weights) for x. */
    private static Tensor[] both(Tensor x32, UnaryOperator<Tensor> op, Generator gen) {
        Tensor x64 = x32.to(DType.FLOAT64).detach().requiresGrad(true);
        Tensor a = x32.detach().requiresGrad(true);
        Tensor y32 = op.apply(a);
        Tensor y64 = op.apply(x64);
        Tensor weights = Tensor.randn(y32.shape(), DType.FLOAT32, gen);
        y32.mul(weights).sum().backward();
        y64.mul(weights.to(DType.FLOAT64)).sum().backward();
        return new Tensor[] {y32, y64, a.grad(), x64.grad()};
    }

    private static void assertClose(Tensor f32, Tensor f64, double relative) {
        assertThat(f32.dtype()).isEqualTo(DType.FLOAT32);
        assertThat(f32.shape()).isEqualTo(f64.shape());
        double[] a = f32.toArray();
        double[] b = f64.toArray();
        for (int i = 0; i < a.length; i++) {
            assertThat(a[i]).as("element %d", i).isCloseTo(b[i], org.assertj.core.data.Offset.offset(
                    relative * Math.max(1, Math.abs(b[i]))));
        }
    }

    private static void assertRounded(Tensor f32, Tensor f64) {
        double[] a = f32.toArray();
        double[] b = f64.toArray();
        for (int i = 0; i < a.length; i++) {
            // Bits (NaN equal to NaN), as the same float.
            assertThat(Double.doubleToLongBits(a[i])).as("element %d", i)
                    .isEqualTo(Double.doubleToLongBits((double) (float) b[i]));
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4})
    void broadcastingArithmeticRoundsOnce(long seed) {
        Generator gen = new Generator(seed);
        int n = 1 + (int) (seed % 3);
        Tensor x = Tensor.randn(Shape.of(n, 5, 7), DType.FLOAT32, gen);
        Tensor row = Tensor.randn(Shape.of(7), DType.FLOAT32, gen);
        Tensor col = Tensor.randn(Shape.of(5, 1), DType.FLOAT32, gen).add(3.0);
        for (UnaryOperator<Tensor> op : java.util.List.<UnaryOperator<Tensor>>of(t -> t.add(row),
                t -> t.sub(col), t -> t.mul(row), t -> t.div(col), t -> t.mul(0.375))) {
            Tensor y32 = op.apply(x);
            Tensor y64 = op.apply(x.to(DType.FLOAT64));
            assertThat(y32.dtype()).isEqualTo(DType.FLOAT32);
            assertRounded(y32, y64);
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {10, 11, 12})
    void reductionsOfFloatsAreTheDoubleReductionsRounded(long seed) {
        Generator gen = new Generator(seed);
        Tensor x = Tensor.randn(Shape.of(3, 4, 5), DType.FLOAT32, gen).mul(1000.0);
        Tensor ties = x.gt(0.0).to(DType.FLOAT32); // many equal maxima: the first must be picked
        Tensor nan = x.div(x.gt(500.0).to(DType.FLOAT32)).mul(0.0); // NaN where x <= 500, else 0
        for (Tensor t : new Tensor[] {x, ties, nan, x.permute(2, 0, 1)}) {
            Tensor d = t.to(DType.FLOAT64);
            assertRounded(t.sum(), d.sum());
            assertRounded(t.sum(new int[] {0, 2}, true), d.sum(new int[] {0, 2}, true));
            assertRounded(t.mean(1, false), d.mean(1, false));
            assertRounded(t.max(), d.max());
            assertRounded(t.min(2, false), d.min(2, false));
            assertThat(t.argmax(1, false).toLongArray()).containsExactly(d.argmax(1, false).toLongArray());
            assertThat(t.argmin(0, true).toLongArray()).containsExactly(d.argmin(0, true).toLongArray());
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {8, 9})
    void squareRootRoundsOnceAndKeepsNaN(long seed) {
        Generator gen = new Generator(seed);
        Tensor x = Tensor.rand(Shape.of(4, 300), DType.FLOAT32, gen).mul(1e6).sub(1e5); // some negative: NaN
        assertRounded(x.sqrt(), x.to(DType.FLOAT64).sqrt());
        Tensor[] r = both(Tensor.rand(Shape.of(50), DType.FLOAT32, gen).add(0.5), Tensor::sqrt, gen);
        assertClose(r[2], r[3], 1e-6);
    }

    @ParameterizedTest
    @ValueSource(longs = {5, 6, 7})
    void sigmoidAndItsGradient(long seed) {
        Generator gen = new Generator(seed);
        Tensor x = Tensor.randn(Shape.of(3, 1000), DType.FLOAT32, gen).mul(8.0);
        Tensor[] r = both(x, Tensor::sigmoid, gen);
        assertClose(r[0], r[1], 1e-7);
        assertClose(r[2], r[3], 1e-6);
    }

    @ParameterizedTest
    @ValueSource(longs = {8, 9, 10})
    void matmulOfViewsAndBatches(long seed) {
        Generator gen = new Generator(seed);
        int m = 1 + (int) (seed * 7 % 40);
        int k = 1 + (int) (seed * 13 % 70);
        int n = 1 + (int) (seed * 5 % 90);
        Tensor w = Tensor.randn(Shape.of(n, k), DType.FLOAT32, gen);
        Tensor batch = Tensor.randn(Shape.of(2, k, n), DType.FLOAT32, gen);
        // A transposed weight as Linear multiplies by, and a broadcast batch.
        Tensor[] r = both(Tensor.randn(Shape.of(m, k), DType.FLOAT32, gen), t -> t.matmul(w.t()), gen);
        assertClose(r[0], r[1], 1e-5 * Math.sqrt(k));
        assertClose(r[2], r[3], 1e-5 * Math.sqrt(n));
        Tensor[] b = both(Tensor.randn(Shape.of(m, k), DType.FLOAT32, gen), t -> t.matmul(batch), gen);
        assertClose(b[0], b[1], 1e-5 * Math.sqrt(k));
        assertClose(b[2], b[3], 1e-5 * Math.sqrt(2 * n));
    }

    @ParameterizedTest
    @ValueSource(longs = {11, 12, 13})
    void poolingSelectsAndAveragesAsInDouble(long seed) {
        Generator gen = new Generator(seed);
        Tensor x = Tensor.randn(Shape.of(2, 3, 9 + (int) seed % 3, 10), DType.FLOAT32, gen);
        Tensor[] max = both(x, t -> Functional.maxPool2d(t, new int[] {3}, new int[] {2}, new int[] {1}, new int[] {1}, false), gen);
        assertRounded(max[0], max[1]);
        assertClose(max[2], max[3], 1e-6); // overlapping windows add gradients in float
        Tensor[] max2 = both(x, t -> Functional.maxPool2d(t, 2), gen);
        assertRounded(max2[0], max2[1]);
        assertRounded(max2[2], max2[3]);
        Tensor[] avg = both(x, t -> Functional.avgPool2d(t, 2), gen);
        assertRounded(avg[0], avg[1]);
        assertClose(avg[2], avg[3], 1e-7);
        Tensor[] avg3 = both(x, t -> Functional.avgPool2d(t, new int[] {3}, new int[] {2}, new int[] {1}, false, true, null), gen);
        assertRounded(avg3[0], avg3[1]);
        assertClose(avg3[2], avg3[3], 1e-6);
    }
}
