package dev.jconv.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jconv.random.Generator;
import dev.jconv.storage.DType;
import dev.jconv.storage.Shape;
import java.util.function.BiConsumer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * In-place updates of float32 tensors (an optimizer's state, parameters, gradients) run on the floats and give
 * the bits of the arithmetic done in double and rounded once, as PyTorch's float kernels do: same-shape, row
 * and single-element operands, {@code addcmul_} with one rounding (fma), {@code copy_} from other dtypes.
 */
class InPlaceFloatTest {
    private static void assertBits(Tensor actual, double[] expected) {
        float[] got = actual.toFloatArray();
        for (int i = 0; i < got.length; i++) {
            assertThat(Float.floatToRawIntBits(got[i])).as("element %d", i)
                    .isEqualTo(Float.floatToRawIntBits((float) expected[i]));
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4})
    void updatesRoundOnceInFloat(long seed) {
        Generator gen = new Generator(seed);
        Shape shape = Shape.of(3, 5);
        Tensor base = Tensor.randn(shape, DType.FLOAT32, gen);
        Tensor[] operands = {Tensor.randn(shape, DType.FLOAT32, gen), Tensor.randn(Shape.of(5), DType.FLOAT32, gen),
                Tensor.scalar(0.9, DType.FLOAT32)};
        for (Tensor y : operands) {
            double[] x = base.toArray();
            double[] v = y.expand(3, 5).toArray();
            check(base, y, Tensor::add_, x, v, (a, b) -> a + b);
            check(base, y, Tensor::sub_, x, v, (a, b) -> a - b);
            check(base, y, Tensor::mul_, x, v, (a, b) -> a * b);
            check(base, y, Tensor::copy_, x, v, (a, b) -> b);
            check(base, y, (t, o) -> t.addcmul_(o, o, 0.5), x, v,
                    (a, b) -> Math.fma((float) (b * 0.5f), (float) b, (float) a));
        }
    }

    private static void check(Tensor base, Tensor y, BiConsumer<Tensor, Tensor> op, double[] x, double[] v,
                              java.util.function.DoubleBinaryOperator f) {
        Tensor t = base.cloneTensor();
        op.accept(t, y);
        double[] expected = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            expected[i] = (float) f.applyAsDouble(x[i], v[i]);
        }
        assertBits(t, expected);
    }

    @ParameterizedTest
    @ValueSource(longs = {5, 6})
    void copyFromOtherDtypesRoundsOnce(long seed) {
        Generator gen = new Generator(seed);
        Tensor t = Tensor.zeros(Shape.of(4, 3), DType.FLOAT32);
        Tensor d = Tensor.randn(Shape.of(4, 3), DType.FLOAT64, gen);
        assertBits(t.copy_(d), d.toArray());
        long big = (1L << 60) + (1L << 36) + 1; // rounds differently through double
        Tensor pair = Tensor.zeros(Shape.of(2), DType.FLOAT32).copy_(Tensor.fromArray(new long[] {big, 3}, Shape.of(2)));
        assertThat(pair.toFloatArray()).containsExactly((float) big, 3f);
    }
}
