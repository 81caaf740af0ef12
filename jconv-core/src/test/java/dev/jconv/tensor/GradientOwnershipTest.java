package dev.jconv.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jconv.nn.Functional;
import dev.jconv.random.Generator;
import dev.jconv.storage.DType;
import dev.jconv.storage.Shape;
import org.junit.jupiter.api.Test;

/**
 * A leaf keeps a convolution's input gradient without a copy; a gradient that reaches two leaves (through an
 * addition, which hands the same tensor to both) must still end up in two separate arrays.
 */
class GradientOwnershipTest {
    @Test
    void aLeafOwnsItsConvolutionInputGradient() {
        Generator gen = new Generator(3);
        Tensor x = Tensor.randn(Shape.of(2, 3, 9, 9), DType.FLOAT32, gen).requiresGrad(true);
        Tensor w = Tensor.randn(Shape.of(4, 3, 3, 3), DType.FLOAT32, gen);
        Functional.conv2d(x, w, null).sum().backward();
        double[] first = x.grad().toArray();
        // A second backward accumulates into the kept array: the gradient doubles.
        Functional.conv2d(x, w, null).sum().backward();
        double[] second = x.grad().toArray();
        for (int i = 0; i < first.length; i++) {
            assertThat(second[i]).isEqualTo((float) (2 * first[i]));
        }
    }

    @Test
    void aGradientSharedByTwoLeavesIsCopiedForTheSecond() {
        Generator gen = new Generator(4);
        Tensor a = Tensor.randn(Shape.of(1, 2, 8, 8), DType.FLOAT32, gen).requiresGrad(true);
        Tensor b = Tensor.randn(Shape.of(1, 2, 8, 8), DType.FLOAT32, gen).requiresGrad(true);
        Tensor w = Tensor.randn(Shape.of(3, 2, 3, 3), DType.FLOAT32, gen);
        Functional.conv2d(a.add(b), w, null).sum().backward();
        assertThat(a.grad().toArray()).containsExactly(b.grad().toArray());
        double[] before = b.grad().toArray();
        try (var ignored = Tensor.noGrad()) {
            a.grad().add_(Tensor.ones(a.shape(), DType.FLOAT32));
        }
        assertThat(b.grad().toArray()).containsExactly(before);
    }
}
