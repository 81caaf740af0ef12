package dev.jconv.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jconv.Reference;
import dev.jconv.nn.Conv2d;
import dev.jconv.nn.Linear;
import dev.jconv.nn.Sequential;
import dev.jconv.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The model registry, the printed networks and D2L's initialisation. */
class ModelsTest {

    @Test
    void registryKnowsTheChaptersNetworks() {
        assertThat(Models.names()).containsExactly("alexnet", "vgg11", "nin", "googlenet", "bn-lenet", "resnet18",
                "densenet", "regnetx32");
    }

    @Test
    void unknownNameListsTheKnownOnes() {
        assertThatThrownBy(() -> Models.named("lenet5")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown model 'lenet5'; known: alexnet, vgg11, nin, googlenet, bn-lenet, resnet18, "
                        + "densenet, regnetx32");
    }

    @Test
    void alexNetPrintsAsPyTorchAfterInitialisation() {
        Sequential net = Models.named("alexnet");
        net.forward(Tensor.randn(1, 1, 224, 224));
        assertThat(net.toString())
                .isEqualTo(Reference.sections("modern-cnn-expected.txt").get("print(alexnet) after initialisation"));
    }

    @Test
    void resNet18PrintsAsPyTorchAfterInitialisation() {
        Sequential net = Models.named("resnet18");
        net.forward(Tensor.randn(1, 1, 96, 96));
        assertThat(net.toString())
                .isEqualTo(Reference.sections("modern-cnn-expected.txt").get("print(resnet18) after initialisation"));
    }

    @Test
    void namedStagesGiveParametersPyTorchsNames() {
        Sequential net = Models.named("resnet18");
        net.forward(Tensor.randn(2, 1, 32, 32));
        assertThat(net.stateDict()).containsKeys("0.0.weight", "0.1.running_var", "b3.0.conv3.weight",
                "b5.1.bn2.num_batches_tracked", "last.2.bias");
        Sequential dense = Models.named("densenet");
        dense.forward(Tensor.randn(2, 1, 32, 32));
        assertThat(dense.stateDict()).containsKeys("dense_blk1.net.3.2.weight", "tran_blk3.2.weight", "last.4.bias");
    }

    @Test
    void narrowVggHasAQuarterOfTheChannels() {
        List<String> lines = new ArrayList<>();
        LayerSummary.print(VGG.narrow(), Tensor.randn(1, 1, 224, 224), lines::add);
        assertThat(lines.subList(0, 6)).containsExactly(
                "Sequential output shape:\t torch.Size([1, 16, 112, 112])",
                "Sequential output shape:\t torch.Size([1, 32, 56, 56])",
                "Sequential output shape:\t torch.Size([1, 64, 28, 28])",
                "Sequential output shape:\t torch.Size([1, 128, 14, 14])",
                "Sequential output shape:\t torch.Size([1, 128, 7, 7])",
                "Flatten output shape:\t torch.Size([1, 6272])");
    }

    @Test
    void initCnnDrawsXavierUniformWeightsAndLeavesBiases() {
        // default bound 1/sqrt(100) = 0.1; Xavier's for 100 -> 100 is sqrt(6 / 200) ≈ 0.173
        Sequential net = new Sequential(new dev.jconv.nn.LazyLinear(100));
        net.forward(Tensor.randn(2, 100));
        Linear layer = (Linear) net.get(0);
        double[] biasBefore = layer.bias().toArray();
        Models.initCnn(net);
        double maxAbs = maxAbs(layer.weight().toArray());
        assertThat(maxAbs).isGreaterThan(0.1).isLessThanOrEqualTo(Math.sqrt(6.0 / 200));
        assertThat(layer.bias().toArray()).containsExactly(biasBefore);
    }

    @Test
    void applyInitReachesConvolutionsInsideBlocks() {
        Sequential net = new Sequential(new Residual(8));
        Models.applyInit(net, Tensor.randn(2, 8, 4, 4));
        Conv2d conv = (Conv2d) net.get(0).namedChildren().get("conv2");
        // fan in = fan out = 8 * 9: Xavier's bound sqrt(6 / 144) ≈ 0.204, the default 1/sqrt(72) ≈ 0.118
        assertThat(maxAbs(conv.weight().toArray())).isGreaterThan(0.118).isLessThanOrEqualTo(Math.sqrt(6.0 / 144));
    }

    @Test
    void initCnnBeforeTheFirstCallIsAClearError() {
        assertThatThrownBy(() -> Models.initCnn(Models.named("alexnet"))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no weights yet");
    }

    private static double maxAbs(double[] values) {
        double m = 0;
        for (double v : values) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }
}
