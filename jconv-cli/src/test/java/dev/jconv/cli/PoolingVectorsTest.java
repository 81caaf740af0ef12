package dev.jconv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jconv.internal.Json;
import dev.jconv.storage.DType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The pooling vectors written by {@code src/test/resources/vectors/make_pooling_vectors.py} (PyTorch 1.13,
 * float64): every case passes in both dtypes, none skipped.
 */
class PoolingVectorsTest {

    private static String read() throws IOException {
        try (InputStream in = PoolingVectorsTest.class.getResourceAsStream("/vectors/pooling.json")) {
            assertThat(in).as("classpath resource /vectors/pooling.json").isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @ParameterizedTest(name = "pooling.json in {0}")
    @EnumSource(value = DType.class, names = {"FLOAT64", "FLOAT32"})
    void everyCasePasses(DType dtype) throws IOException {
        String json = read();
        int total = Json.array(Json.object(Json.parse(json), "file").get("cases"), "cases").size();
        Conformance.Report report = Conformance.run(json, dtype);
        assertThat(report.failures()).isEmpty();
        assertThat(report.skipped()).isZero();
        assertThat(report.passed()).isEqualTo(total);
    }

    @Test
    void theFileCoversEachOpItsOptionsAndRejectedInputs() throws IOException {
        List<Object> cases = Json.array(Json.object(Json.parse(read()), "file").get("cases"), "cases");
        assertThat(cases).hasSizeGreaterThan(100);
        String ids = cases.stream().map(c -> Json.string(Json.object(c, "case").get("id"), "id")).toList().toString();
        for (String op : List.of("max_pool2d", "avg_pool2d", "adaptive_avg_pool2d", "adaptive_max_pool2d")) {
            assertThat(ids).contains(op + "-unbatched-", op + "-bad-");
        }
        assertThat(ids).contains("max_pool2d-ceil-", "max_pool2d-dilation-", "max_pool2d-ties-",
                "max_pool2d-special-", "avg_pool2d-ceil-", "avg_pool2d-nopad-", "avg_pool2d-divisor-",
                "adaptive_avg_pool2d-none-", "adaptive_max_pool2d-global-");
        long divisors = cases.stream()
                .map(c -> Json.object(Json.object(c, "case").get("attrs"), "attrs"))
                .filter(a -> a.get("divisor_override") != null)
                .count();
        assertThat(divisors).isGreaterThanOrEqualTo(5);
        Map<String, Object> first = Json.object(cases.getFirst(), "case");
        assertThat(first).containsKeys("id", "op", "inputs", "attrs", "grad_output", "expected");
    }
}
