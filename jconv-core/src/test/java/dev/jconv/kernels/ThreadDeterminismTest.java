package dev.jconv.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jconv.nn.Functional;
import dev.jconv.random.Generator;
import dev.jconv.storage.DType;
import dev.jconv.storage.Shape;
import dev.jconv.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Results are bitwise the same whatever the number of kernel threads. */
class ThreadDeterminismTest {

    @AfterEach
    void restore() {
        Parallel.setThreads(Runtime.getRuntime().availableProcessors());
    }

    private static double[][] convStep(int threads) {
        Parallel.setThreads(threads);
        Generator g = new Generator(7);
        Tensor x = Tensor.randn(Shape.of(8, 6, 14, 14), DType.FLOAT32, g).requiresGrad(true);
        Tensor w = Tensor.randn(Shape.of(16, 6, 5, 5), DType.FLOAT32, g).requiresGrad(true);
        Tensor b = Tensor.randn(Shape.of(16), DType.FLOAT32, g).requiresGrad(true);
        Tensor y = Functional.conv2d(x, w, b, new int[] {1, 1}, new int[] {2, 2}, new int[] {1, 1}, 1);
        Tensor m = y.reshape(8, -1).matmul(Tensor.randn(Shape.of(16 * 14 * 14, 10), DType.FLOAT32, g));
        m.sigmoid().sum().backward();
        return new double[][] {m.toArray(), x.grad().toArray(), w.grad().toArray(), b.grad().toArray()};
    }

    @Test
    void oneAndTwoThreadsGiveIdenticalBits() {
        double[][] one = convStep(1);
        double[][] two = convStep(2);
        for (int i = 0; i < one.length; i++) {
            assertThat(two[i]).as("result %d", i).containsExactly(one[i]);
        }
    }
}
