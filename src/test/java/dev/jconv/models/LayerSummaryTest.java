package dev.jconv.models;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jconv.Reference;
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
        long t0 = System.nanoTime();
        String actual = LayerSummary.reference(model, 0, shape);
        System.out.printf("%s: %.1f s%n", title, (System.nanoTime() - t0) / 1e9);
        assertThat(Reference.trimBlankLines(actual)).isEqualTo(Reference.sections("modern-cnn-expected.txt").get(title));
    }
}
