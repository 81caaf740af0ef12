package dev.jconv.autograd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jconv.nn.Functional;
import dev.jconv.random.Generator;
import dev.jconv.storage.DType;
import dev.jconv.storage.Shape;
import dev.jconv.tensor.Tensor;
import java.lang.ref.WeakReference;
import org.junit.jupiter.api.Test;

/**
 * After a backward pass without retain_graph, a loss that the caller still holds (a training loop's variable
 * until the next step) keeps none of the step's intermediate tensors reachable; a second backward still fails.
 */
class ReleasedGraphTest {

    @Test
    void aKeptLossDoesNotKeepTheActivations() throws InterruptedException {
        Generator g = new Generator(5);
        Tensor x = Tensor.randn(Shape.of(2, 3, 8, 8), DType.FLOAT32, g).requiresGrad(true);
        Tensor w = Tensor.randn(Shape.of(4, 3, 3, 3), DType.FLOAT32, g).requiresGrad(true);
        Tensor hidden = Functional.conv2d(x, w, null);
        WeakReference<Tensor> ref = new WeakReference<>(hidden);
        Tensor loss = hidden.abs().exp().sum(); // abs keeps its input for the backward: the conv output
        hidden = null;
        loss.backward();
        for (int i = 0; i < 20 && ref.get() != null; i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertThat(ref.get()).as("the step's activation, reachable from the kept loss").isNull();
        assertThat(loss.gradFn()).isNotNull();
        assertThat(w.grad()).isNotNull();
    }

    @Test
    void aSecondBackwardThroughAReleasedGraphStillFails() {
        Tensor x = Tensor.randn(Shape.of(3, 4), DType.FLOAT32, new Generator(6)).requiresGrad(true);
        Tensor loss = x.abs().exp().sum();
        loss.backward();
        assertThatThrownBy(loss::backward).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("second time");
    }
}
