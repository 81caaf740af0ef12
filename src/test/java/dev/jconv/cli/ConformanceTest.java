package dev.jconv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jconv.Reference;
import dev.jconv.storage.DType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The PyTorch-generated vectors pass in both dtypes, every case of them: none is skipped as unsupported. */
class ConformanceTest {

    @ParameterizedTest(name = "{0} in {1}")
    @CsvSource({"public.json, FLOAT64", "public.json, FLOAT32", "repr-public.json, FLOAT64",
            "repr-public.json, FLOAT32"})
    void everyCasePasses(String file, DType dtype) {
        Conformance.Report report = Conformance.run(Reference.read(file), dtype);
        assertThat(report.failures()).isEmpty();
        assertThat(report.skipped()).isZero();
        assertThat(report.passed()).isGreaterThan(60);
    }

    /** Padding modes, asymmetric "same", pad, conv1d, conv_transpose2d and batch norm (make_conv_vectors.py). */
    @ParameterizedTest(name = "conv family in {0}")
    @CsvSource({"FLOAT64", "FLOAT32"})
    void convolutionFamilyVectorsPass(DType dtype) throws java.io.IOException {
        String json;
        try (var in = ConformanceTest.class.getResourceAsStream("/vectors/conv-family.json")) {
            json = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        Conformance.Report report = Conformance.run(json, dtype);
        assertThat(report.failures()).isEmpty();
        assertThat(report.skipped()).isZero();
        assertThat(report.passed()).isEqualTo(78);
    }
}
