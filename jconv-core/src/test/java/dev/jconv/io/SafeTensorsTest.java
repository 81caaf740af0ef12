package dev.jconv.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jconv.internal.Json;
import dev.jconv.storage.DType;
import dev.jconv.storage.Shape;
import dev.jconv.tensor.Tensor;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SafeTensorsTest {
    @TempDir
    Path dir;

    // ---- round trips --------------------------------------------------------------------------------------

    static Stream<Arguments> seeds() {
        return Stream.of(1L, 2L, 3L, 5L, 8L, 13L, 21L, 34L).map(Arguments::of);
    }

    private static Tensor randomTensor(Random random) {
        DType dtype = DType.values()[random.nextInt(DType.values().length)];
        int[] dims = new int[random.nextInt(4)];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = random.nextInt(5); // zero sizes included
        }
        Shape shape = Shape.of(dims);
        if (dtype == DType.INT64) {
            long[] l = new long[shape.numel()]; // the whole range, extremes included
            for (int i = 0; i < l.length; i++) {
                l[i] = random.nextInt(4) == 0 ? (random.nextBoolean() ? Long.MAX_VALUE : Long.MIN_VALUE) : random.nextLong();
            }
            return Tensor.fromArray(l, shape);
        }
        double[] v = new double[shape.numel()];
        for (int i = 0; i < v.length; i++) {
            v[i] = dtype == DType.BOOL ? random.nextInt(2) : random.nextGaussian() * Math.pow(10, random.nextInt(20) - 10);
        }
        return Tensor.fromArray(v, shape, dtype);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void randomTensorsRoundTripWithAValidLayout(long seed) throws IOException {
        Random random = new Random(seed);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        int count = random.nextInt(8);
        for (int i = 0; i < count; i++) {
            tensors.put("t" + random.nextInt(1000) + (random.nextBoolean() ? ".weight" : "é"), randomTensor(random));
        }
        Map<String, String> metadata = random.nextBoolean() ? null : Map.of("seed", Long.toString(seed));
        Path file = dir.resolve("random.safetensors");
        SafeTensors.write(tensors, metadata, file);

        byte[] bytes = Files.readAllBytes(file);
        long n = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertThat(n % 8).isZero();
        String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
        assertThat(header).startsWith("{").doesNotContain(": ", ", ");
        assertThat(header.strip()).isEqualTo(Json.write(Json.parse(header)));

        SafeTensors.Contents read = SafeTensors.readContents(file);
        assertThat(read.metadata()).isEqualTo(metadata);
        assertThat(read.tensors().keySet()).containsExactlyInAnyOrderElementsOf(tensors.keySet());
        for (var e : tensors.entrySet()) {
            Tensor t = read.tensors().get(e.getKey());
            assertThat(t.dtype()).isEqualTo(e.getValue().dtype());
            assertThat(t.shape()).isEqualTo(e.getValue().shape());
            assertThat(t.toArray()).containsExactly(e.getValue().toArray());
            if (t.dtype() == DType.INT64) {
                assertThat(t.toLongArray()).containsExactly(e.getValue().toLongArray());
            }
        }
        // Data order: by dtype (I64, F64, F32, BOOL), then by name.
        List<String> order = new ArrayList<>(read.tensors().keySet());
        List<String> sorted = new ArrayList<>(order);
        List<DType> rank = List.of(DType.INT64, DType.FLOAT64, DType.FLOAT32, DType.BOOL);
        sorted.sort((a, b) -> {
            int c = Integer.compare(rank.indexOf(tensors.get(a).dtype()), rank.indexOf(tensors.get(b).dtype()));
            return c != 0 ? c : SafeTensors.compareUtf8(a, b);
        });
        assertThat(order).isEqualTo(sorted);
        assertThat(SafeTensors.serialize(tensors, metadata)).isEqualTo(bytes);
    }

    @Test
    void writesViewsInRowMajorOrder() {
        Tensor t = Tensor.of(new double[][] {{1, 2, 3}, {4, 5, 6}}).t();
        Path file = dir.resolve("view.safetensors");
        SafeTensors.write(Map.of("t", t), file);
        assertThat(SafeTensors.read(file).get("t").toArray()).containsExactly(1, 4, 2, 5, 3, 6);
    }

    @Test
    void emptyMapIsTheReferencesEmptyFile() {
        // The reference crate's test_empty: {} padded to 8 bytes.
        assertThat(SafeTensors.serialize(Map.of(), null))
                .containsExactly(8, 0, 0, 0, 0, 0, 0, 0, '{', '}', ' ', ' ', ' ', ' ', ' ', ' ');
    }

    @Test
    void utf8OrderIsCodePointOrder() {
        assertThat(SafeTensors.compareUtf8("\uFF21", "\uD83D\uDE00")).isNegative();
        assertThat("\uFF21".compareTo("\uD83D\uDE00")).isPositive();
        assertThat(SafeTensors.compareUtf8("a", "ab")).isNegative();
        assertThat(SafeTensors.compareUtf8("ab", "ab")).isZero();
    }

    // ---- atomic writing -----------------------------------------------------------------------------------

    @Test
    void writingReplacesTheFileAndLeavesNoTemporaryFiles() throws IOException {
        Path file = dir.resolve("model.safetensors");
        SafeTensors.write(Map.of("a", Tensor.ones(2)), file);
        SafeTensors.write(Map.of("b", Tensor.zeros(3)), file);
        assertThat(SafeTensors.read(file).keySet()).containsExactly("b");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-r--r--");
    }

    @Test
    void aFailedWriteLeavesTheOldFileAsItWas() throws IOException {
        Path file = dir.resolve("model.safetensors");
        SafeTensors.write(Map.of("a", Tensor.ones(2)), file);
        byte[] before = Files.readAllBytes(file);
        assertThatThrownBy(() -> SafeTensors.write(Map.of("__metadata__", Tensor.ones(1)), file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot be named __metadata__");
        assertThatThrownBy(() -> SafeTensors.write(Map.of("bad\uD800", Tensor.ones(1)), file))
                .hasMessageContaining("not valid Unicode");
        assertThatThrownBy(() -> SafeTensors.write(Map.of("a", Tensor.ones(1)), dir.resolve("no/such/dir/x")))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("no/such/dir/x");
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    // ---- refusals -----------------------------------------------------------------------------------------

    /** A file: the given header text (padded to 8 bytes), then {@code data}. */
    static byte[] file(String header, byte[] data) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        return file(h.length, h, data);
    }

    static byte[] file(long declaredLength, byte[] header, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        return b.putLong(declaredLength).put(header).put(data).array();
    }

    static String entry(String name, String dtype, String shape, long begin, long end) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[" + begin + ","
                + end + "]}";
    }

    static Stream<Arguments> malformed() {
        byte[] six = new byte[24];
        return Stream.of(
                Arguments.of("empty file", new byte[0], "file is 0 byte(s), shorter than the 8-byte header length"),
                Arguments.of("seven bytes", new byte[7], "file is 7 byte(s), shorter than the 8-byte header length"),
                Arguments.of("header over the limit", file(100_000_001L, new byte[0], new byte[0]),
                        "header length 100000001 is over the limit of 100000000 bytes"),
                Arguments.of("header length negative as signed", file(-1L, new byte[0], new byte[0]),
                        "header length 18446744073709551615 is over the limit"),
                Arguments.of("header past the end", file(64, "{}".getBytes(), new byte[0]),
                        "header length 64 runs past the end of the file (8 + 64 > 10 bytes)"),
                Arguments.of("not UTF-8", file(2, new byte[] {'{', (byte) 0xFF}, new byte[0]),
                        "header is not valid UTF-8"),
                Arguments.of("not JSON", file("{\"a\":", new byte[0]), "header is not valid JSON"),
                Arguments.of("trailing comma", file("{\"a\":{},}", new byte[0]), "header is not valid JSON"),
                Arguments.of("not an object", file("[1, 2]", new byte[0]), "header does not start with '{'"),
                Arguments.of("duplicate names", file("{" + entry("a", "F32", "[1]", 0, 4) + ","
                        + entry("a", "F32", "[1]", 4, 8) + "}", new byte[8]), "duplicate key \"a\""),
                Arguments.of("unknown dtype", file("{" + entry("w", "F33", "[2,3]", 0, 24) + "}", six),
                        "tensor 'w' has unknown dtype \"F33\""),
                Arguments.of("unsupported dtype", file("{" + entry("w", "F16", "[2,3]", 0, 12) + "}", new byte[12]),
                        "tensor 'w' has dtype F16, which jconv does not support (F32, F64, I64, BOOL)"),
                Arguments.of("missing field", file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1]}}", new byte[4]),
                        "tensor 'w' has no \"data_offsets\""),
                Arguments.of("negative size", file("{" + entry("w", "F32", "[-1]", 0, 4) + "}", new byte[4]),
                        "tensor 'w''s shape must hold non-negative integers, got [-1]"),
                Arguments.of("metadata not strings", file("{\"__metadata__\":{\"epoch\":3}}", new byte[0]),
                        "__metadata__ must map strings to strings, but 'epoch' is 3"),
                Arguments.of("offsets not from 0", file("{" + entry("w", "F32", "[2,3]", 8, 32) + "}", new byte[32]),
                        "not contiguous from 0: tensor 'w' begins at byte 8 but the data starts at byte 0"),
                Arguments.of("gap between tensors", file("{" + entry("a", "F32", "[1]", 0, 4) + ","
                        + entry("b", "F32", "[1]", 8, 12) + "}", new byte[12]),
                        "not contiguous from 0: tensor 'b' begins at byte 8 but tensor 'a' ends at byte 4"),
                Arguments.of("overlapping tensors", file("{" + entry("a", "F32", "[2]", 0, 8) + ","
                        + entry("b", "F32", "[2]", 4, 12) + "}", new byte[12]),
                        "tensor 'b' begins at byte 4 but tensor 'a' ends at byte 8"),
                Arguments.of("offsets not numel × size", file("{" + entry("w", "F32", "[2,3]", 0, 20) + "}",
                        new byte[20]), "tensor 'w' has shape [2, 3] and dtype F32, which take 24 byte(s), but its "
                        + "data_offsets [0, 20] span 20"),
                Arguments.of("offsets backwards", file("{" + entry("w", "F32", "[0]", 4, 0) + "}", new byte[4]),
                        "data_offsets [4, 0] that end before they begin"),
                Arguments.of("trailing bytes", file("{" + entry("w", "F32", "[2,3]", 0, 24) + "}", new byte[30]),
                        "data ends at byte 24 of the data section, but the file has 30 data byte(s) after the header: "
                        + "the data must end exactly at the end of the file"),
                Arguments.of("truncated data", file("{" + entry("w", "F32", "[2,3]", 0, 24) + "}", new byte[10]),
                        "data ends at byte 24 of the data section, but the file has 10 data byte(s)"),
                Arguments.of("huge claimed tensor", file("{" + entry("w", "F64", "[1000000000,1000]", 0,
                        8_000_000_000_000L) + "}", new byte[8]),
                        "data ends at byte 8000000000000 of the data section, but the file has 8 data byte(s)"),
                Arguments.of("shape overflowing 64 bits", file("{" + entry("w", "F32", "[4294967296,4294967296]",
                        0, 0) + "}", new byte[0]), "whose element count overflows 64 bits"),
                Arguments.of("byte size overflowing 64 bits", file("{" + entry("w", "F64",
                        "[4294967296,1073741824]", 0, 0) + "}", new byte[0]), "whose byte size overflows 64 bits"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void refusesMalformedFilesNamingFileAndProblem(String name, byte[] content, String problem) throws IOException {
        Path file = Files.write(dir.resolve(name.replace(' ', '_') + ".safetensors"), content);
        assertThatThrownBy(() -> SafeTensors.read(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(file + ": not a valid safetensors file: ")
                .hasMessageContaining(problem);
    }

    @Test
    void refusesATensorLargerThanJconvHoldsBeforeAllocatingIt() throws IOException {
        // A consistent header for a 2^31-element bool tensor, over a sparse 2 GiB file: checked, never read.
        long elements = 1L << 31;
        byte[] header = ("{" + entry("huge", "BOOL", "[" + elements + "]", 0, elements) + "}")
                .getBytes(StandardCharsets.UTF_8);
        byte[] padded = Arrays.copyOf(header, (header.length + 7) / 8 * 8);
        Arrays.fill(padded, header.length, padded.length, (byte) ' ');
        Path file = dir.resolve("huge.safetensors");
        Files.write(file, file(padded.length, padded, new byte[0]));
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(8 + padded.length + elements);
        }
        assertThatThrownBy(() -> SafeTensors.read(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tensor 'huge' has shape [2147483648] (2147483648 elements), larger than a "
                        + "jconv tensor can be");
    }

    @Test
    void acceptsWhatTheReferenceAccepts() throws IOException {
        // Offsets listed out of order, extra fields, an empty metadata object and whitespace in the header.
        String header = "{ \"b\" : {\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8],\"extra\":1},"
                + "\"__metadata__\":{}, " + entry("a", "BOOL", "[2,2]", 0, 4) + "}   ";
        ByteBuffer data = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).put(new byte[] {1, 0, 0, 1})
                .putFloat(2.5f);
        Path file = Files.write(dir.resolve("loose.safetensors"), file(header, data.array()));
        SafeTensors.Contents read = SafeTensors.readContents(file);
        assertThat(read.metadata()).isEmpty();
        assertThat(read.tensors().keySet()).containsExactly("a", "b");
        assertThat(read.tensors().get("a").toArray()).containsExactly(1, 0, 0, 1);
        assertThat(read.tensors().get("b").toArray()).containsExactly(2.5);
    }

    @Test
    void missingFileIsAnIoError() {
        Path file = dir.resolve("absent.safetensors");
        assertThatThrownBy(() -> SafeTensors.read(file))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining(file.toString());
    }
}
