package dev.jconv.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class JsonTest {

    // --- parsing values --------------------------------------------------------------------

    @Test
    void parsesScalars() {
        assertThat(Json.parse("true")).isEqualTo(Boolean.TRUE);
        assertThat(Json.parse("false")).isEqualTo(Boolean.FALSE);
        assertThat(Json.parse("null")).isNull();
        assertThat(Json.parse(" \t\r\n\"hi\" \n")).isEqualTo("hi");
        assertThat(Json.parse("0")).isEqualTo(0L);
        assertThat(Json.parse("-12")).isEqualTo(-12L);
        assertThat(Json.parse("1.5")).isEqualTo(1.5);
        assertThat(Json.parse("-2.5e-3")).isEqualTo(-2.5e-3);
        assertThat(Json.parse("1E2")).isEqualTo(100.0);
        assertThat(Json.parse("1e+2")).isEqualTo(100.0);
        assertThat(Json.parse("-0.0")).isEqualTo(-0.0);
    }

    @Test
    void integersBecomeLongUntilTheyOverflow() {
        assertThat(Json.parse("9223372036854775807")).isEqualTo(Long.MAX_VALUE);
        assertThat(Json.parse("-9223372036854775808")).isEqualTo(Long.MIN_VALUE);
        assertThat(Json.parse("999999999999999999")).isEqualTo(999_999_999_999_999_999L);
        assertThat(Json.parse("9223372036854775808")).isEqualTo(9.223372036854775808e18);
        assertThat(Json.parse("1.0")).isInstanceOf(Double.class);
    }

    @Test
    void doublesAreParsedExactly() {
        double[] values = {
            0.1, -0.3201674207601468, 1.778497424672874, Double.MIN_VALUE, Double.MAX_VALUE,
            Math.nextUp(1.0), 5e-324, 2.2250738585072014E-308, 123456789.123456789
        };
        for (double v : values) {
            Object parsed = Json.parse(Double.toString(v));
            assertThat(parsed).isEqualTo(v);
        }
    }

    @Test
    void objectsKeepInsertionOrder() {
        Map<String, Object> map = Json.object(Json.parse("{\"b\":1,\"a\":[true,null],\"c\":{}}"), "root");
        assertThat(new ArrayList<>(map.keySet())).containsExactly("b", "a", "c");
        assertThat(map.get("a")).isEqualTo(Arrays.asList(true, null));
        assertThat(map.get("c")).isEqualTo(Map.of());
        assertThat(Json.parse(" [ ] ")).isEqualTo(List.of());
    }

    @Test
    void unicodeEscapes() {
        assertThat(Json.parse("\"\\u0041\\u00e9\\u00E9\\u20AC\"")).isEqualTo("Aéé€");
        assertThat(Json.parse("\"\\ud83d\\ude00\"")).isEqualTo("😀");
        assertThat(Json.parse("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"")).isEqualTo("\"\\/\b\f\n\r\t");
        assertThat(Json.parse("\"é😀 raw\"")).isEqualTo("é😀 raw");
        // Lone surrogates are passed through rather than rejected.
        assertThat(Json.parse("\"\\ud800x\"")).isEqualTo("\ud800x");
    }

    // --- writing ---------------------------------------------------------------------------

    @Test
    void writesCompactJson() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("z", 1L);
        map.put("a", Arrays.asList(1, 2.5, "s", true, null));
        map.put("e", Map.of());
        assertThat(Json.write(map)).isEqualTo("{\"z\":1,\"a\":[1,2.5,\"s\",true,null],\"e\":{}}");
        assertThat(Json.write(1.0)).isEqualTo("1.0");
        assertThat(Json.write(-0.0)).isEqualTo("-0.0");
        assertThat(Json.write(List.of())).isEqualTo("[]");
    }

    @Test
    void escapesStrings() {
        assertThat(Json.write("a\"b\\c/\n\r\t\b\f\u0001\u001f é😀"))
                .isEqualTo("\"a\\\"b\\\\c/\\n\\r\\t\\b\\f\\u0001\\u001f é😀\"");
        assertThat(Json.write("\ud800")).isEqualTo("\"\\ud800\"");
    }

    @Test
    void roundTrips() {
        String text =
                "{\"format\":\"x/1\",\"n\":-7,\"big\":12345678901234,\"xs\":[0.1,-1.0E-300,1.7976931348623157E308],"
                        + "\"nested\":[[[{\"k\":\"\\u0000\\u001f\u2028\"}]]],\"t\":true,\"f\":false,\"nil\":null}";
        Object parsed = Json.parse(text);
        assertThat(Json.write(parsed)).isEqualTo(text);
        assertThat(Json.parse(Json.write(parsed))).isEqualTo(parsed);

        double[] doubles = {Math.PI, -Math.E, 1e-5, 1e21, 4.9e-324, 0.1 + 0.2};
        for (double d : doubles) {
            assertThat(Json.parse(Json.write(d))).isEqualTo(d);
        }
        float f = 0.1f;
        assertThat((float) Json.doubleValue(Json.parse(Json.write(f)), "f")).isEqualTo(f);
    }

    @Test
    void writeRejectsUnsupportedValues() {
        assertThatThrownBy(() -> Json.write(Double.NaN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("non-finite");
        assertThatThrownBy(() -> Json.write(List.of(Double.POSITIVE_INFINITY)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("non-finite");
        assertThatThrownBy(() -> Json.write(Float.NEGATIVE_INFINITY))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Json.write(Map.of(1, "x")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("keys must be strings");
        assertThatThrownBy(() -> Json.write(new Object()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot write java.lang.Object");
    }

    @Test
    void writeRejectsCycles() {
        List<Object> cyclic = new ArrayList<>();
        cyclic.add(cyclic);
        assertThatThrownBy(() -> Json.write(cyclic))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("deeper than 512");
    }

    // --- malformed input -------------------------------------------------------------------

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("", "invalid JSON at offset 0: expected a value, found end of input"),
                Arguments.of("   ", "invalid JSON at offset 3: expected a value, found end of input"),
                Arguments.of("[1] x", "invalid JSON at offset 4: expected end of input, found 'x'"),
                Arguments.of("{} {}", "invalid JSON at offset 3: expected end of input, found '{'"),
                Arguments.of("[1,]", "invalid JSON at offset 3: expected a value, found ']'"),
                Arguments.of("{\"a\":1,}", "invalid JSON at offset 7: expected '\"' (object key), found '}'"),
                Arguments.of("{\"a\":1 \"b\":2}", "invalid JSON at offset 7: expected ',' or '}', found '\"'"),
                Arguments.of("[1 2]", "invalid JSON at offset 3: expected ',' or ']', found '2'"),
                Arguments.of("{\"a\" 1}", "invalid JSON at offset 5: expected ':', found '1'"),
                Arguments.of("{a:1}", "invalid JSON at offset 1: expected '\"' or '}', found 'a'"),
                Arguments.of("{\"a\":1", "invalid JSON at offset 6: expected ',' or '}', found end of input"),
                Arguments.of("[", "invalid JSON at offset 1: expected a value, found end of input"),
                Arguments.of("01", "invalid JSON at offset 0: leading zeros are not allowed in numbers"),
                Arguments.of("-01", "invalid JSON at offset 1: leading zeros are not allowed in numbers"),
                Arguments.of("1.", "invalid JSON at offset 2: expected digit after '.', found end of input"),
                Arguments.of(".5", "invalid JSON at offset 0: expected a value, found '.'"),
                Arguments.of("+1", "invalid JSON at offset 0: expected a value, found '+'"),
                Arguments.of("-", "invalid JSON at offset 1: expected digit, found end of input"),
                Arguments.of("1e", "invalid JSON at offset 2: expected digit in exponent, found end of input"),
                Arguments.of("1e400", "invalid JSON at offset 0: number out of double range"),
                Arguments.of("NaN", "invalid JSON at offset 0: expected a value, found 'N'"),
                Arguments.of("tru", "invalid JSON at offset 3: expected 'true' (starting at offset 0), found end of input"),
                Arguments.of("[nul1]", "invalid JSON at offset 4: expected 'null' (starting at offset 1), found '1'"),
                Arguments.of("\"abc", "invalid JSON at offset 4: expected '\"' to close string starting at offset 0, found end of input"),
                Arguments.of("\"a\nb\"", "invalid JSON at offset 2: control character U+000A in string must be escaped"),
                Arguments.of("\"a\\\u0001\"", "invalid JSON at offset 2: invalid escape '\\' followed by U+0001, expected one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX"),
                Arguments.of("\"\\x\"", "invalid JSON at offset 1: invalid escape '\\' followed by 'x', expected one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX"),
                Arguments.of("\"\\u12g4\"", "invalid JSON at offset 5: expected hex digit in \\u escape, found 'g'"),
                Arguments.of("\"\\u12\"", "invalid JSON at offset 5: expected hex digit in \\u escape, found '\"'"),
                Arguments.of("{\"a\":1,\"a\":2}", "invalid JSON at offset 7: duplicate key \"a\""),
                Arguments.of("\ufeff{}", "invalid JSON at offset 0: expected a value, found U+FEFF"),
                Arguments.of("[1]\u0000", "invalid JSON at offset 3: expected end of input, found U+0000"));
    }

    @ParameterizedTest
    @MethodSource("malformed")
    void rejectsMalformedInput(String text, String message) {
        assertThatThrownBy(() -> Json.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @Test
    void nestingIsLimited() {
        String ok = "[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH);
        assertThat(Json.parse(ok)).isInstanceOf(List.class);

        String tooDeep = "[".repeat(Json.MAX_DEPTH + 1) + "]".repeat(Json.MAX_DEPTH + 1);
        assertThatThrownBy(() -> Json.parse(tooDeep))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid JSON at offset 512: nesting deeper than 512 levels");

        // Far deeper than any stack would allow: must still fail cleanly, not overflow.
        String hostile = "{\"a\":".repeat(100_000);
        assertThatThrownBy(() -> Json.parse(hostile))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nesting deeper than 512 levels");
    }

    // --- typed accessors -------------------------------------------------------------------

    @Test
    void typedAccessors() {
        Map<String, Object> root =
                Json.object(
                        Json.parse(
                                "{\"o\":{},\"a\":[1],\"n\":3,\"d\":2.5,\"s\":\"x\",\"nan\":\"nan\",\"inf\":\"inf\",\"ninf\":\"-inf\"}"),
                        "root");
        assertThat(Json.object(root.get("o"), "o")).isEmpty();
        assertThat(Json.array(root.get("a"), "a")).containsExactly(1L);
        assertThat(Json.longValue(root.get("n"), "n")).isEqualTo(3L);
        assertThat(Json.doubleValue(root.get("n"), "n")).isEqualTo(3.0);
        assertThat(Json.doubleValue(root.get("d"), "d")).isEqualTo(2.5);
        assertThat(Json.doubleValue(root.get("nan"), "nan")).isNaN();
        assertThat(Json.doubleValue(root.get("inf"), "inf")).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(Json.doubleValue(root.get("ninf"), "ninf")).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(Json.string(root.get("s"), "s")).isEqualTo("x");

        assertThatThrownBy(() -> Json.object(root.get("a"), "cases[0].attrs"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'cases[0].attrs' must be an object, got array");
        assertThatThrownBy(() -> Json.array(root.get("missing"), "shape"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'shape' is missing or null, expected an array");
        assertThatThrownBy(() -> Json.longValue(root.get("d"), "groups"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'groups' must be an integer, got number 2.5");
        assertThatThrownBy(() -> Json.doubleValue(root.get("s"), "data[3]"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'data[3]' must be a number or \"nan\"/\"inf\"/\"-inf\", got string \"x\"");
        assertThatThrownBy(() -> Json.string(root.get("n"), "id"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'id' must be a string, got integer 3");
    }

    // --- real data -------------------------------------------------------------------------

    @Test
    void parsesReferenceTestVectors() throws IOException {
        String text;
        try (InputStream in = JsonTest.class.getResourceAsStream("/reference/public.json")) {
            assertThat(in).as("classpath resource /reference/public.json").isNotNull();
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Map<String, Object> root = Json.object(Json.parse(text), "root");
        List<Object> cases = Json.array(root.get("cases"), "cases");
        assertThat(cases).isNotEmpty();
        for (int i = 0; i < cases.size(); i++) {
            Map<String, Object> c = Json.object(cases.get(i), "cases[" + i + "]");
            assertThat(Json.string(c.get("id"), "cases[" + i + "].id")).isNotEmpty();
        }
        // Writing and re-parsing must reproduce every value exactly.
        assertThat(Json.parse(Json.write(root))).isEqualTo(root);
    }
}
