package dev.jconv.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jconv.random.Generator;
import dev.jconv.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The hand-written Conv2D module of the chapter works as a module: forward, backward, parameters. */
class Conv2DTest {

    private static Tensor edgeImage() {
        Tensor x = Tensor.ones(6, 8);
        x.slice(1, 2, 6).fill_(0);
        return x;
    }

    @Test
    void registersWeightThenBiasAsParameters() {
        Conv2D layer = new Conv2D(1, 2, new Generator(0));
        assertThat(layer.namedParameters()).containsOnlyKeys("weight", "bias");
        assertThat(layer.parameters()).containsExactly(layer.weight(), layer.bias());
        assertThat(layer.weight().shape().dimsString()).isEqualTo("[1, 2]");
        assertThat(layer.bias().toArray()).containsExactly(0.0);
    }

    @Test
    void forwardOnTheEdgeImageIsCorrelationPlusBias() {
        Conv2D layer = new Conv2D(1, 2, new Generator(0));
        Tensor x = edgeImage();
        Tensor y = layer.forward(x);
        assertThat(y.shape().dimsString()).isEqualTo("[6, 7]");
        double[] w = layer.weight().toArray();
        // Row 0, column 1 sees pixels (1, 0): w0 * 1 + w1 * 0.
        assertThat(y.get(0, 1).item()).isEqualTo((double) (float) w[0]);
    }

    @Test
    void oneBackwardFillsBothGradients() {
        Conv2D layer = new Conv2D(1, 2, new Generator(0));
        Tensor x = edgeImage();
        Tensor target = Corr2d.corr2d(x, Tensor.of(new double[][] {{1, -1}}));
        layer.forward(x).sub(target).pow(2).sum().backward();
        assertThat(layer.weight().grad().shape().dimsString()).isEqualTo("[1, 2]");
        assertThat(layer.bias().grad().shape().dimsString()).isEqualTo("[1]");
        // d/db sum((y - t)^2) = 2 * sum(y - t), with y computed from the same weights.
        Tensor residual;
        try (var ignored = Tensor.noGrad()) {
            residual = layer.forward(x).sub(target).sum().mul(2);
        }
        assertThat(layer.bias().grad().item()).isCloseTo(residual.item(), org.assertj.core.data.Offset.offset(1e-4));
    }
}
