package dev.jconv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jconv.Reference;
import dev.jconv.kernels.ConvAlgorithm;
import dev.jconv.storage.DType;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

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

    @AfterEach
    void restoreAlgorithm() {
        ConvAlgorithm.force(ConvAlgorithm.AUTO);
    }

    static Stream<Arguments> forcedAlgorithms() {
        List<Arguments> out = new ArrayList<>();
        for (ConvAlgorithm a : ConvAlgorithm.values()) {
            out.add(Arguments.of(a, DType.FLOAT32));
        }
        out.add(Arguments.of(ConvAlgorithm.DIRECT, DType.FLOAT64));
        out.add(Arguments.of(ConvAlgorithm.IM2COL, DType.FLOAT64));
        return out.stream();
    }

    /**
     * Both vector files with each algorithm forced. A case the forced algorithm cannot run (a 5×5 kernel under
     * Winograd, say) must be refused with the algorithm's own message, never computed some other way; every
     * other case must pass.
     */
    @ParameterizedTest(name = "forced {0} in {1}")
    @MethodSource("forcedAlgorithms")
    void everyAlgorithmPassesTheVectorsItCanRun(ConvAlgorithm algorithm, DType dtype) throws java.io.IOException {
        ConvAlgorithm.force(algorithm);
        int ran = 0;
        for (String json : new String[] {Reference.read("public.json"), convFamily()}) {
            Conformance.Report report = Conformance.run(json, dtype);
            List<String> real = report.failures().stream()
                    .filter(f -> !f.contains("convolution algorithm " + algorithm.name().toLowerCase()
                            + " cannot run this convolution"))
                    .toList();
            assertThat(real).isEmpty();
            ran += report.passed();
        }
        assertThat(ran).isGreaterThan(20);
    }

    private static String convFamily() throws java.io.IOException {
        try (var in = ConformanceTest.class.getResourceAsStream("/vectors/conv-family.json")) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
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
