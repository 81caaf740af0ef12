package dev.jconv.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jconv.nn.Functional;
import dev.jconv.random.Generator;
import dev.jconv.storage.DType;
import dev.jconv.storage.Shape;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Float32 convolutions keep their results as floats and read their operands' float form. Writes through any
 * view must reach the next convolution, and views that are not contiguous must read the right elements.
 */
class FloatStorageTest {
    /** A tensor with the same values and a storage of its own, made from doubles. */
    private static Tensor fresh(Tensor t) {
        return Tensor.fromArray(t.toArray(), t.shape(), t.dtype());
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void anInPlaceWriteReachesTheNextConvolution(long seed) {
        Generator gen = new Generator(seed);
        Tensor x = Tensor.randn(Shape.of(2, 3, 10, 10), DType.FLOAT32, gen);
        Tensor w1 = Tensor.randn(Shape.of(4, 3, 3, 3), DType.FLOAT32, gen);
        Tensor w2 = Tensor.randn(Shape.of(2, 4, 3, 3), DType.FLOAT32, gen);
        Tensor y = Functional.conv2d(x, w1, null);
        // Read as floats by a convolution, then written in place through a view of one channel.
        Functional.conv2d(y, w2, null);
        y.slice(1, 1, 2).mul_(-3.0);
        y.add_(0.25);
        Tensor z = Functional.conv2d(y, w2, null);
        assertThat(z.toArray()).containsExactly(Functional.conv2d(fresh(y), w2, null).toArray());
    }

    @ParameterizedTest
    @ValueSource(longs = {6, 7})
    void fillWritesOnlyItsViewInEachDtype(long seed) {
        Generator gen = new Generator(seed);
        for (DType dtype : DType.values()) {
            Tensor t = Tensor.randn(Shape.of(3, 4, 5), DType.FLOAT64, gen).mul(4).to(dtype);
            double[] before = t.toArray();
            t.slice(2, 1, 5, 2).select(0, 1).fill_(-2.5); // a strided view: [1, :, 1] and [1, :, 3]
            double[] after = t.toArray();
            for (int i = 0; i < before.length; i++) {
                boolean inView = i / 20 == 1 && (i % 5 == 1 || i % 5 == 3);
                assertThat(after[i]).as("%s element %d", dtype, i)
                        .isEqualTo(inView ? dtype.round(-2.5) : before[i]);
            }
            t.zero_();
            assertThat(t.toArray()).as("%s", dtype).containsOnly(0.0);
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {4, 5})
    void viewsOfConvolutionResultsConvolveLikeTheirCopies(long seed) {
        Generator gen = new Generator(seed);
        Tensor x = Tensor.randn(Shape.of(2, 3, 9, 12), DType.FLOAT32, gen);
        Tensor w = Tensor.randn(Shape.of(4, 3, 2, 2), DType.FLOAT32, gen);
        Tensor v = Tensor.randn(Shape.of(3, 3, 3, 3), DType.FLOAT32, gen);
        Tensor y = Functional.conv2d(x, w, null);
        for (Tensor view : new Tensor[] {y.transpose(2, 3), y.slice(1, 1, 4).slice(3, 0, 11, 2), y.slice(0, 1, 2)}) {
            Tensor input = view.slice(1, 0, 3);
            assertThat(Functional.conv2d(input, v, null).toArray())
                    .containsExactly(Functional.conv2d(fresh(input), v, null).toArray());
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {6, 7})
    void gradientsKeptAsFloatsAccumulate(long seed) {
        Generator gen = new Generator(seed);
        Tensor x = Tensor.randn(Shape.of(2, 2, 8, 8), DType.FLOAT32, gen).requiresGrad(true);
        Tensor w = Tensor.randn(Shape.of(3, 2, 3, 3), DType.FLOAT32, gen).requiresGrad(true);
        Tensor b = Tensor.randn(Shape.of(3), DType.FLOAT32, gen).requiresGrad(true);
        Functional.conv2d(x, w, b).sum().backward();
        double[] gx = x.grad().toArray();
        double[] gw = w.grad().toArray();
        double[] gb = b.grad().toArray();
        Functional.conv2d(x, w, b).sum().backward();
        for (double[][] pair : new double[][][] {{gx, x.grad().toArray()}, {gw, w.grad().toArray()},
                {gb, b.grad().toArray()}}) {
            for (int i = 0; i < pair[0].length; i++) {
                assertThat(pair[1][i]).isEqualTo((float) (2 * pair[0][i]));
            }
        }
    }
}
