package dev.jconv.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.jconv.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** BatchNorm1d, BatchNorm2d and their lazy forms behave, print and fail as PyTorch 1.13's do. */
class BatchNormTest {

    @Test
    void lazyBatchNorm2dTakesItsChannelsFromTheFirstInputAndThenPrintsAsBatchNorm2d() {
        LazyBatchNorm2d bn = new LazyBatchNorm2d();
        assertThat(bn).hasToString("LazyBatchNorm2d(0, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)");
        bn.forward(Tensor.randn(2, 3, 4, 4));
        assertThat(bn).hasToString("BatchNorm2d(3, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)");
        assertThat(bn.numFeatures()).isEqualTo(3);
    }

    @Test
    void lazyBatchNorm1dKeepsItsParameterObjectsWhenInitialised() {
        LazyBatchNorm1d bn = new LazyBatchNorm1d();
        Parameter weight = bn.weight();
        bn.forward(Tensor.randn(4, 5));
        assertThat(bn.parameters()).containsExactly(weight, bn.bias());
        assertThat(weight.toArray()).containsOnly(1.0);
        assertThat(bn.bias().toArray()).containsOnly(0.0);
        assertThat(bn).hasToString("BatchNorm1d(5, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)");
    }

    @Test
    void stateDictHasPyTorchsNamesAndOrder() {
        LazyBatchNorm1d bn = new LazyBatchNorm1d();
        bn.forward(Tensor.randn(4, 5));
        assertThat(bn.stateDict()).containsOnlyKeys("weight", "bias", "running_mean", "running_var",
                "num_batches_tracked");
        assertThat(bn.stateDict().keySet()).containsExactly("weight", "bias", "running_mean", "running_var",
                "num_batches_tracked");
        assertThat(bn.stateDict().get("running_mean").shape().toArray()).containsExactly(5);
        assertThat(bn.stateDict().get("num_batches_tracked").item()).isEqualTo(1.0);
    }

    @Test
    void batchNorm1dNormalisesEachFeatureOverTheBatch() {
        BatchNorm1d bn = new BatchNorm1d(2);
        Tensor y = bn.forward(Tensor.of(new double[][] {{1, 2}, {3, 6}}));
        // per feature: mean (2, 4), biased variance (1, 4)
        assertThat(y.toArray()).containsExactly(new double[] {-1, -1, 1, 1}, within(1e-4));
        // running statistics move 10% of the way to the batch's, with the unbiased variance (2, 8)
        assertThat(bn.runningMean().toArray()).containsExactly(new double[] {0.2, 0.4}, within(1e-6));
        assertThat(bn.runningVar().toArray()).containsExactly(new double[] {1.1, 1.7}, within(1e-6));
    }

    @Test
    void batchNorm1dOnThreeDimensionsNormalisesOverBatchAndLength() {
        BatchNorm1d bn = new BatchNorm1d(1);
        Tensor y = bn.forward(Tensor.of(new double[][][] {{{0, 2}}, {{4, 6}}}));
        // mean 3, biased variance 5
        double s = Math.sqrt(5 + 1e-5);
        assertThat(y.toArray()).containsExactly(new double[] {-3 / s, -1 / s, 1 / s, 3 / s}, within(1e-5));
    }

    @Test
    void evaluationUsesTheRunningStatistics() {
        BatchNorm1d bn = new BatchNorm1d(2);
        bn.eval();
        Tensor y = bn.forward(Tensor.of(new double[][] {{1, 2}}));
        assertThat(y.toArray()).containsExactly(new double[] {1, 2}, within(1e-4));
    }

    @Test
    void oneValuePerChannelInTrainingIsPyTorchsError() {
        BatchNorm2d bn = new BatchNorm2d(512);
        assertThatThrownBy(() -> bn.forward(Tensor.zeros(1, 512, 1, 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Expected more than 1 value per channel when training, got input size "
                        + "torch.Size([1, 512, 1, 1])");
        assertThatThrownBy(() -> new LazyBatchNorm1d().forward(Tensor.zeros(1, 120)))
                .hasMessage("Expected more than 1 value per channel when training, got input size torch.Size([1, 120])");
    }

    @Test
    void oneValuePerChannelIsFineInEvaluation() {
        BatchNorm2d bn = new BatchNorm2d(3);
        bn.eval();
        assertThat(bn.forward(Tensor.ones(1, 3, 1, 1)).shape().toArray()).containsExactly(1, 3, 1, 1);
    }

    @Test
    void wrongNumberOfDimensionsIsPyTorchsError() {
        assertThatThrownBy(() -> new BatchNorm2d(3).forward(Tensor.zeros(3, 4, 4)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("expected 4D input (got 3D input)");
        assertThatThrownBy(() -> new LazyBatchNorm1d().forward(Tensor.zeros(2, 3, 4, 4)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("expected 2D or 3D input (got 4D input)");
    }

    @Test
    void wrongChannelCountIsPyTorchsError() {
        assertThatThrownBy(() -> new BatchNorm2d(6).forward(Tensor.zeros(2, 3, 4, 4)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("running_mean should contain 3 elements not 6");
    }

    @Test
    void negativeFeatureCountIsPyTorchsError() {
        assertThatThrownBy(() -> new BatchNorm1d(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Trying to create tensor with negative dimension -1: [-1]");
    }
}
