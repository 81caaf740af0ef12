package dev.jconv.models;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jconv.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The class-based blocks shape their outputs and print (attribute names included) as PyTorch's do. */
class BlocksTest {
    private static final String BN = ", eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)";

    private static int[] shape(Tensor t) {
        return t.shape().toArray();
    }

    @Test
    void residualKeepsTheShapeOrHalvesItThroughTheOneByOneConvolution() {
        Tensor x = Tensor.randn(2, 3, 9, 7);
        assertThat(shape(new Residual(3).forward(x))).containsExactly(2, 3, 9, 7);
        assertThat(shape(new Residual(6, true, 2).forward(x))).containsExactly(2, 6, 5, 4);
    }

    @Test
    void residualWithoutOneByOneConvolutionHasNoConv3() {
        Residual block = new Residual(4);
        block.forward(Tensor.randn(2, 4, 3, 3));
        assertThat(block).hasToString("""
                Residual(
                  (conv1): Conv2d(4, 4, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))
                  (conv2): Conv2d(4, 4, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))
                  (bn1): BatchNorm2d(4%1$s
                  (bn2): BatchNorm2d(4%1$s
                )""".formatted(BN));
        assertThat(block.stateDict()).containsKey("bn2.num_batches_tracked").doesNotContainKey("conv3.weight");
    }

    @Test
    void resNeXtBlockGroupsItsThreeByThreeConvolutionAndPrintsConv4Last() {
        ResNeXtBlock block = new ResNeXtBlock(32, 16, 1, true, 2);
        assertThat(shape(block.forward(Tensor.randn(2, 16, 6, 6)))).containsExactly(2, 32, 3, 3);
        assertThat(block).hasToString("""
                ResNeXtBlock(
                  (conv1): Conv2d(16, 32, kernel_size=(1, 1), stride=(1, 1))
                  (conv2): Conv2d(32, 32, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1), groups=2)
                  (conv3): Conv2d(32, 32, kernel_size=(1, 1), stride=(1, 1))
                  (bn1): BatchNorm2d(32%1$s
                  (bn2): BatchNorm2d(32%1$s
                  (bn3): BatchNorm2d(32%1$s
                  (conv4): Conv2d(16, 32, kernel_size=(1, 1), stride=(2, 2))
                  (bn4): BatchNorm2d(32%1$s
                )""".formatted(BN));
    }

    @Test
    void resNeXtBlockWithoutShortcutConvolutionKeepsTheShape() {
        assertThat(shape(new ResNeXtBlock(32, 16, 1).forward(Tensor.randn(2, 32, 9, 7)))).containsExactly(2, 32, 9, 7);
    }

    @Test
    void inceptionConcatenatesItsFourBranches() {
        Inception block = new Inception(2, new int[] {3, 4}, new int[] {1, 2}, 2);
        assertThat(shape(block.forward(Tensor.randn(1, 3, 5, 5)))).containsExactly(1, 10, 5, 5);
        assertThat(block).hasToString("""
                Inception(
                  (b1_1): Conv2d(3, 2, kernel_size=(1, 1), stride=(1, 1))
                  (b2_1): Conv2d(3, 3, kernel_size=(1, 1), stride=(1, 1))
                  (b2_2): Conv2d(3, 4, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))
                  (b3_1): Conv2d(3, 1, kernel_size=(1, 1), stride=(1, 1))
                  (b3_2): Conv2d(1, 2, kernel_size=(5, 5), stride=(1, 1), padding=(2, 2))
                  (b4_1): MaxPool2d(kernel_size=3, stride=1, padding=1, dilation=1, ceil_mode=False)
                  (b4_2): Conv2d(3, 2, kernel_size=(1, 1), stride=(1, 1))
                )""");
    }

    @Test
    void denseBlockGrowsTheChannelsAndTransitionHalvesTheResolution() {
        Tensor y = new DenseBlock(2, 10).forward(Tensor.randn(2, 5, 11, 9));
        assertThat(shape(y)).containsExactly(2, 25, 11, 9);
        assertThat(shape(DenseNet.transitionBlock(10).forward(y))).containsExactly(2, 10, 5, 4);
    }

    @Test
    void denseBlockKeepsItsConvolutionBlocksInNet() {
        DenseBlock block = new DenseBlock(2, 10);
        block.forward(Tensor.randn(4, 3, 8, 8));
        assertThat(block).hasToString("""
                DenseBlock(
                  (net): Sequential(
                    (0): Sequential(
                      (0): BatchNorm2d(3%1$s
                      (1): ReLU()
                      (2): Conv2d(3, 10, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))
                    )
                    (1): Sequential(
                      (0): BatchNorm2d(13%1$s
                      (1): ReLU()
                      (2): Conv2d(13, 10, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))
                    )
                  )
                )""".formatted(BN));
    }
}
