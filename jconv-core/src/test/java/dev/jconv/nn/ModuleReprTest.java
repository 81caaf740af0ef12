package dev.jconv.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jconv.tensor.Padding;
import dev.jconv.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Modules print as PyTorch 1.13 prints them (expected strings taken from PyTorch). */
class ModuleReprTest {

    @Test
    void lazyConvBeforeAndAfterItsFirstCall() {
        LazyConv2d conv = new LazyConv2d(1, Conv2dOptions.kernelSize(1, 2).bias(false));
        assertThat(conv).hasToString("LazyConv2d(0, 1, kernel_size=(1, 2), stride=(1, 1), bias=False)");
        conv.forward(Tensor.ones(1, 1, 6, 8));
        assertThat(conv).hasToString("Conv2d(1, 1, kernel_size=(1, 2), stride=(1, 1), bias=False)");
    }

    @Test
    void nonDefaultConvArgumentsAppearInPyTorchsOrder() {
        Conv2d conv = new Conv2d(2, 4, Conv2dOptions.kernelSize(3).padding("same").dilation(2).groups(2)
                .paddingMode(Padding.Mode.REFLECT));
        assertThat(conv).hasToString("Conv2d(2, 4, kernel_size=(3, 3), stride=(1, 1), padding=same, dilation=(2, 2), "
                + "groups=2, padding_mode=reflect)");
        assertThat(new ConvTranspose2d(2, 4, Conv2dOptions.kernelSize(3).stride(2), 1, 1))
                .hasToString("ConvTranspose2d(2, 4, kernel_size=(3, 3), stride=(2, 2), output_padding=(1, 1))");
        assertThat(new Conv1d(2, 4, Conv1dOptions.kernelSize(3).padding(1)))
                .hasToString("Conv1d(2, 4, kernel_size=(3,), stride=(1,), padding=(1,))");
    }

    @Test
    void otherLayers() {
        assertThat(new BatchNorm2d(6))
                .hasToString("BatchNorm2d(6, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)");
        assertThat(new Dropout(0.3)).hasToString("Dropout(p=0.3, inplace=False)");
        assertThat(new LazyLinear(5)).hasToString("LazyLinear(in_features=0, out_features=5, bias=True)");
        assertThat(new ReLU()).hasToString("ReLU()");
        assertThat(new ReLU(true)).hasToString("ReLU(inplace=True)");
        assertThat(new Tanh()).hasToString("Tanh()");
        assertThat(new MSELoss()).hasToString("MSELoss()");
    }

    @Test
    void sequentialPrintsItsChildrenIndented() {
        Sequential net = new Sequential(new Conv2d(1, 6, Conv2dOptions.kernelSize(5).padding(2)), new Sigmoid(),
                new Flatten(), new Linear(16 * 5 * 5, 120));
        assertThat(net).hasToString("""
                Sequential(
                  (0): Conv2d(1, 6, kernel_size=(5, 5), stride=(1, 1), padding=(2, 2))
                  (1): Sigmoid()
                  (2): Flatten(start_dim=1, end_dim=-1)
                  (3): Linear(in_features=400, out_features=120, bias=True)
                )""");
        assertThat(net.namedParameters()).containsOnlyKeys("0.weight", "0.bias", "3.weight", "3.bias");
    }

    @Test
    void parametersOfALazyModuleBeforeItsFirstCallAreAClearError() {
        Sequential net = new Sequential(new LazyConv2d(2, 3));
        assertThatThrownBy(net::parameters).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'0.weight'").hasMessageContaining("not initialised yet");
    }

    @Test
    void lazyConvReusedWithAnotherChannelCountIsAClearError() {
        LazyConv2d conv = new LazyConv2d(1, 3);
        conv.forward(Tensor.ones(1, 2, 5, 5));
        assertThatThrownBy(() -> conv.forward(Tensor.ones(1, 3, 5, 5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Given groups=1, weight of size [1, 2, 3, 3], expected input[1, 3, 5, 5] to have 2 channels, "
                        + "but got 3 channels instead");
    }

    @Test
    void parameterPrintsAsParameterContaining() {
        Parameter p = new Parameter(Tensor.of(new double[] {1, 2}));
        assertThat(p).hasToString("Parameter containing:\ntensor([1., 2.], requires_grad=True)");
    }

    @Test
    void batchNormKeepsRunningStatisticsInItsStateDict() {
        Sequential net = new Sequential(new Conv2d(1, 2, 3), new BatchNorm2d(2));
        assertThat(net.stateDict()).containsOnlyKeys("0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean",
                "1.running_var", "1.num_batches_tracked");
    }
}
