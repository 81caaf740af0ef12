package dev.jconv.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jconv.Reference;
import dev.jconv.nn.Flatten;
import dev.jconv.nn.LazyBatchNorm1d;
import dev.jconv.nn.ReLU;
import dev.jconv.nn.Sequential;
import dev.jconv.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every network's layer summary is what PyTorch prints for the same input shape. */
class LayerSummaryTest {

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = ';', value = {
        "alexnet; 1x1x224x224", "vgg11; 1x1x224x224", "nin; 1x1x224x224", "googlenet; 1x1x96x96",
        "bn-lenet; 2x1x28x28", "resnet18; 1x1x96x96", "densenet; 1x1x96x96", "regnetx32; 1x1x96x96"})
    void summaryMatchesPyTorch(String model, String dims) {
        int[] shape = java.util.Arrays.stream(dims.split("x")).mapToInt(Integer::parseInt).toArray();
        String title = model + " layer_summary" + LayerSummary.tuple(shape);
        String actual = LayerSummary.reference(model, 0, shape);
        assertThat(Reference.trimBlankLines(actual)).isEqualTo(Reference.sections("modern-cnn-expected.txt").get(title));
    }

    @Test
    void aFailingLayerIsReportedAfterTheLinesThatSucceeded() {
        // at 28×28 the last stage of ResNet-18 reaches 1×1, one value per channel for batch norm in training
        assertThat(LayerSummary.reference("resnet18", 0, 1, 1, 28, 28)).isEqualTo("""
                Sequential output shape:\t torch.Size([1, 64, 7, 7])
                Sequential output shape:\t torch.Size([1, 64, 7, 7])
                Sequential output shape:\t torch.Size([1, 128, 4, 4])
                Sequential output shape:\t torch.Size([1, 256, 2, 2])
                error: Sequential Expected more than 1 value per channel when training, got input size \
                torch.Size([1, 512, 1, 1])
                """);
    }

    @Test
    void printEmitsTheSucceedingLinesThenRethrows() {
        List<String> lines = new ArrayList<>();
        Sequential net = new Sequential(new Flatten(), new LazyBatchNorm1d(), new ReLU());
        assertThatThrownBy(() -> LayerSummary.print(net, Tensor.ones(1, 3, 2, 2), lines::add))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Expected more than 1 value per channel when training, got input size torch.Size([1, 12])");
        assertThat(lines).containsExactly("Flatten output shape:\t torch.Size([1, 12])");
    }

    @Test
    void printReturnsTheLastOutput() {
        Sequential net = new Sequential(new Flatten(), new LazyBatchNorm1d());
        Tensor y = LayerSummary.print(net, Tensor.randn(4, 3, 2), line -> { });
        assertThat(y.shape().toArray()).containsExactly(4, 6);
    }

    @Test
    void shapesPrintAsPythonTuples() {
        assertThat(LayerSummary.tuple(2, 3, 227, 227)).isEqualTo("(2, 3, 227, 227)");
        assertThat(LayerSummary.tuple(5)).isEqualTo("(5,)");
    }
}
