package dev.jconv.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.jconv.nn.BatchNorm2d;
import dev.jconv.nn.Sequential;
import dev.jconv.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** D2L's from-scratch batch norm agrees with the library's layer and fits in LeNet. */
class BatchNormScratchTest {

    @Test
    void trainingOutputEqualsTheLibrarysBatchNorm2d() {
        Tensor x = Tensor.randn(4, 3, 5, 5);
        Tensor ours = new BatchNorm(3, 4).forward(x);
        Tensor library = new BatchNorm2d(3).forward(x);
        assertThat(ours.allclose(library, 1e-5, 1e-5)).isTrue();
    }

    @Test
    void trainingMovesTheAveragesATenthOfTheWay() {
        BatchNorm bn = new BatchNorm(2, 2);
        bn.forward(Tensor.of(new double[][] {{1, 2}, {3, 6}}));
        // batch mean (2, 4), biased variance (1, 4)
        assertThat(bn.movingMean().toArray()).containsExactly(new double[] {0.2, 0.4}, within(1e-6));
        assertThat(bn.movingVar().toArray()).containsExactly(new double[] {1.0, 1.3}, within(1e-6));
    }

    @Test
    void evaluationUsesTheMovingAverages() {
        BatchNorm bn = new BatchNorm(2, 2);
        bn.eval();
        Tensor y = bn.forward(Tensor.of(new double[][] {{1, 2}}));
        assertThat(y.toArray()).containsExactly(new double[] {1, 2}, within(1e-4));
    }

    @Test
    void onlyGammaAndBetaAreParameters() {
        assertThat(new BatchNorm(6, 4).stateDict()).containsOnlyKeys("gamma", "beta");
        assertThat(new BatchNorm(6, 4)).hasToString("BatchNorm()");
    }

    @Test
    void scratchAndConciseLeNetsHaveTheSameShapes() {
        List<String> scratch = new ArrayList<>();
        List<String> concise = new ArrayList<>();
        LayerSummary.print(BNLeNet.scratch(), Tensor.randn(2, 1, 28, 28), scratch::add);
        LayerSummary.print(BNLeNet.concise(), Tensor.randn(2, 1, 28, 28), concise::add);
        assertThat(scratch).hasSameSizeAs(concise);
        assertThat(scratch.get(1)).isEqualTo("BatchNorm output shape:\t torch.Size([2, 6, 24, 24])");
        assertThat(concise.get(1)).isEqualTo("BatchNorm2d output shape:\t torch.Size([2, 6, 24, 24])");
        assertThat(scratch.getLast()).isEqualTo(concise.getLast());
    }

    @Test
    void gradientsReachGammaAndBeta() {
        Sequential net = new Sequential(new BatchNorm(3, 2));
        net.forward(Tensor.randn(4, 3)).pow(2).sum().backward();
        assertThat(net.parameters()).allSatisfy(p -> assertThat(p.grad()).isNotNull());
    }
}
