package dev.jconv.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import dev.jconv.GradCheck;
import dev.jconv.nn.Functional;
import dev.jconv.random.Generator;
import dev.jconv.storage.DType;
import dev.jconv.storage.Shape;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * {@code add_} and {@code relu_} on tensors in the autograd graph (D2L's {@code Y += X}, {@code ReLU(inplace=True)}):
 * the same values and gradients as the out-of-place ops, and refused where another tensor shares the storage.
 */
class InPlaceAutogradTest {
    /** A residual block: relu(conv(relu(conv(x))) + x), in place (as ResNet's blocks run) or not. */
    private static Tensor block(Tensor x, Tensor w1, Tensor w2, boolean inPlace) {
        int[] one = {1, 1};
        Tensor h = Functional.conv2d(x, w1, null, one, one, one, 1);
        h = inPlace ? h.relu_() : h.relu();
        Tensor y = Functional.conv2d(h, w2, null, one, one, one, 1);
        return inPlace ? y.add_(x).relu_() : y.add(x).relu();
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void inPlaceOpsGiveTheOutOfPlaceValuesAndGradients(long seed) {
        Generator gen = new Generator(seed);
        Tensor x = Tensor.randn(Shape.of(2, 3, 6, 6), DType.FLOAT32, gen).requiresGrad(true);
        Tensor w1 = Tensor.randn(Shape.of(3, 3, 3, 3), DType.FLOAT32, gen).requiresGrad(true);
        Tensor w2 = Tensor.randn(Shape.of(3, 3, 3, 3), DType.FLOAT32, gen).requiresGrad(true);
        Tensor weights = Tensor.randn(Shape.of(2, 3, 6, 6), DType.FLOAT32, gen);
        Tensor outOfPlace = block(x, w1, w2, false);
        outOfPlace.mul(weights).sum().backward();
        float[][] grads = {x.grad().toFloatArray(), w1.grad().toFloatArray(), w2.grad().toFloatArray()};
        for (Tensor t : new Tensor[] {x, w1, w2}) {
            t.setGrad(null);
        }
        Tensor inPlace = block(x, w1, w2, true);
        assertThat(inPlace.toFloatArray()).containsExactly(outOfPlace.toFloatArray());
        assertThat(inPlace.gradFn().name()).isEqualTo("ReluBackward0");
        inPlace.mul(weights).sum().backward();
        assertThat(x.grad().toFloatArray()).containsExactly(grads[0]);
        assertThat(w1.grad().toFloatArray()).containsExactly(grads[1]);
        assertThat(w2.grad().toFloatArray()).containsExactly(grads[2]);
    }

    @Test
    void finiteDifferencesAgree() {
        Generator gen = new Generator(11);
        // exp(a) is an op's output the in-place ops may write over; b reaches the graph only through add_.
        GradCheck.check("add_ then relu_", in -> in[0].exp().sub(Tensor.of(1.5)).add_(in[1]).relu_(),
                GradCheck.randn(gen, 3, 4), GradCheck.randn(gen, 3, 4));
        GradCheck.check("add_ broadcast", in -> in[0].mul(in[0]).add_(in[1]), GradCheck.randn(gen, 3, 4),
                GradCheck.randn(gen, 4));
    }

    @Test
    void anInPlaceReLUModuleWritesOverItsInput() {
        Tensor x = Tensor.of(-1f, 2f, -3f).requiresGrad(true);
        Tensor h = x.mul(2);
        Tensor y = new dev.jconv.nn.ReLU(true).forward(h);
        assertThat(y).isSameAs(h);
        y.sum().backward();
        assertThat(x.grad().toFloatArray()).containsExactly(0f, 2f, 0f);
    }

    @Test
    void aTensorThatDidNotRequireGradJoinsTheGraphThroughAdd() {
        Tensor b = Tensor.of(1f, -2f, 3f).requiresGrad(true);
        Tensor a = Tensor.zeros(Shape.of(3), DType.FLOAT32);
        a.add_(b).sum().backward();
        assertThat(a.requiresGrad()).isTrue();
        assertThat(b.grad().toFloatArray()).containsExactly(1f, 1f, 1f);
    }

    @Test
    void refusedOnStorageAnotherTensorShares() {
        Tensor x = Tensor.randn(Shape.of(2, 3), DType.FLOAT32, new Generator(4)).requiresGrad(true);
        Tensor y = x.mul(2);
        Tensor view = y.reshape(3, 2);
        assertThat(view.numel()).isEqualTo(6);
        assertThatIllegalStateException().isThrownBy(() -> y.add_(Tensor.ones(2, 3)))
                .withMessage("add_ on a tensor of shape [2, 3] whose storage another tensor shares (a view, a detached "
                        + "copy or a value saved for the backward pass) while gradients are recorded; use the "
                        + "out-of-place operation");
        Tensor z = x.mul(3).relu_(); // saves its output for the backward pass
        assertThatIllegalStateException().isThrownBy(z::relu_).withMessageStartingWith("relu_ on a tensor of shape [2, 3]");
    }

    @Test
    void aLeafThatRequiresGradIsRefused() {
        Tensor x = Tensor.ones(2, 2).requiresGrad(true);
        assertThatIllegalStateException().isThrownBy(x::relu_)
                .withMessageStartingWith("a leaf Variable that requires grad (shape [2, 2])");
    }

    @Test
    void withoutGradientsItIsAPlainInPlaceWrite() {
        Tensor x = Tensor.of(-1f, 0.5f, Float.NaN);
        Tensor view = x.reshape(3);
        x.relu_();
        assertThat(view.toFloatArray()).containsExactly(0f, 0.5f, Float.NaN);
    }
}
