package dev.jconv.nn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jconv.examples.LeNet;
import dev.jconv.storage.Shape;
import dev.jconv.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The shape explainer walks a whole model with the formula of each layer, and stops at a misfit layer. */
class ShapeExplainerTest {

    @Test
    void explainsLeNetEndToEnd() {
        ShapeExplainer.Result r = ShapeExplainer.explain(LeNet.classic(), Shape.of(1, 1, 28, 28));
        assertThat(r.error()).isNull();
        assertThat(r.output()).isEqualTo(Shape.of(1, 10));
        assertThat(r.text()).startsWith("input: (1, 1, 28, 28)\n(0) Conv2d(1, 6, kernel_size=(5, 5), stride=(1, 1), "
                + "padding=(2, 2))\n    channels: 1 -> 6\n    height: floor((28 - 5 + 2 * 2) / 1) + 1 = floor(27 / 1) + 1 = 28\n");
        assertThat(r.text()).contains("""
                (5) AvgPool2d(kernel_size=2, stride=2, padding=0)
                    channels: unchanged (16)
                    height: floor((10 - 2 + 2 * 0) / 2) + 1 = floor(8 / 2) + 1 = 5
                    width: floor((10 - 2 + 2 * 0) / 2) + 1 = floor(8 / 2) + 1 = 5
                    output: (1, 16, 5, 5)
                (6) Flatten(start_dim=1, end_dim=-1)
                    features: 16 * 5 * 5 = 400
                    output: (1, 400)
                (7) Linear(in_features=400, out_features=120, bias=True)
                    features: 400 -> 120
                    output: (1, 120)
                """);
        assertThat(r.text()).endsWith("(11) Linear(in_features=84, out_features=10, bias=True)\n"
                + "    features: 84 -> 10\n    output: (1, 10)\n");
    }

    @Test
    void theExplainedShapeIsTheShapeTheModelProduces() {
        Sequential net = LeNet.relu();
        Shape explained = ShapeExplainer.explain(net, Shape.of(3, 1, 28, 28)).output();
        try (var ignored = Tensor.noGrad()) {
            assertThat(net.forward(Tensor.zeros(3, 1, 28, 28)).shape()).isEqualTo(explained);
        }
    }

    @Test
    void namesTheLinearLayerThatGetsTheWrongNumberOfFeatures() {
        Sequential net = new Sequential(new Conv2d(1, 6, 5), new MaxPool2d(2), new Flatten(), new Linear(500, 10));
        ShapeExplainer.Result r = ShapeExplainer.explain(net, Shape.of(1, 1, 28, 28));
        assertThat(r.output()).isNull();
        assertThat(r.error()).isEqualTo("layer (3) expects 500 input features, but the input's last dimension is 864 "
                + "(shape (1, 864)): make in_features 864");
    }

    @Test
    void ceilModeAndTransposedConvolutionsShowTheirFormulas() {
        String pool = ShapeExplainer.explain(new MaxPool2d(Pool2dOptions.kernelSize(2).ceilMode(true)),
                Shape.of(1, 1, 7, 7)).text();
        assertThat(pool).contains("height: ceil((7 - 2 + 2 * 0) / 2) + 1 = ceil(5 / 2) + 1 = 4");
        String up = ShapeExplainer.explain(new ConvTranspose2d(1, 1, Conv2dOptions.kernelSize(3).stride(2), 1, 1),
                Shape.of(1, 1, 4, 4)).text();
        assertThat(up).contains("height: (4 - 1) * 2 - 2 * 0 + 1 * (3 - 1) + 1 + 1 = 10");
    }
}
