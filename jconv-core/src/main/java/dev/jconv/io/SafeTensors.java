package dev.jconv.io;

import dev.jconv.internal.Json;
import dev.jconv.storage.DType;
import dev.jconv.storage.Shape;
import dev.jconv.tensor.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Reads and writes the safetensors format, Hugging Face's file format for tensors that PyTorch models are
 * shared in: {@code [u64 little-endian N][N bytes of UTF-8 JSON header][data]}. The header maps each
 * tensor's name to {@code {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}} (offsets into the
 * data, end exclusive) and may hold free-form {@code "__metadata__": {string: string}}; the data is each
 * tensor's values, little-endian, row-major. jconv's dtypes are stored as {@code F32}, {@code F64},
 * {@code I64} and {@code BOOL}.
 *
 * <p>The writer produces byte for byte what the reference implementation (the {@code safetensors} library,
 * as {@code safetensors.torch.save_file} calls it) writes: tensors ordered by dtype, largest first in the
 * library's dtype order ({@code I64}, {@code F64}, {@code F32}, …, {@code BOOL}), then by name (compared as
 * UTF-8 bytes), their data in that same order; the header as compact JSON with {@code __metadata__} first
 * and each entry's fields in the order dtype, shape, data_offsets, padded with spaces to a multiple of 8
 * bytes. (The reference writes metadata entries in hash order; jconv sorts them, so files with more than
 * one metadata entry may differ from it in that order only.) Files are written atomically: to a temporary
 * file in the same folder, then moved into place.
 *
 * <p>The reader checks a file fully before allocating anything for its tensors and refuses, with an
 * {@link IllegalArgumentException} naming the file and the problem: a file shorter than 8 bytes, a header
 * longer than {@value #MAX_HEADER_SIZE} bytes or than the file, a header that is not UTF-8 JSON of the
 * expected form, unknown or unsupported dtypes, data offsets that are not contiguous from 0 or do not match
 * the shape and dtype, data that does not end exactly at the end of the file, and tensors larger than jconv
 * holds.
 */
public final class SafeTensors {
    /** The largest header read, as in the reference implementation: 100,000,000 bytes. */
    public static final long MAX_HEADER_SIZE = 100_000_000L;
    private static final String METADATA_KEY = "__metadata__";
    private static final int CHUNK = 1 << 16;

    /**
     * The reference's dtypes in its declaration order, which is the order it sorts by (descending). Only
     * F32, F64, I64 and BOOL can be read into jconv; the rest are named so refusals can say "unsupported".
     */
    private static final List<String> REFERENCE_DTYPE_ORDER = List.of("BOOL", "F4", "F6_E2M3", "F6_E3M2", "U8",
            "I8", "F8_E5M2", "F8_E4M3", "F8_E8M0", "I16", "U16", "F16", "BF16", "I32", "U32", "F32", "C64", "F64",
            "I64", "U64");

    private SafeTensors() {
    }

    /**
     * What a file holds.
     *
     * @param tensors the tensors by name, in the order of their data in the file
     * @param metadata the {@code __metadata__} entries, or null when the file has none
     */
    public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {
    }

    // ---- writing ------------------------------------------------------------------------------------------

    /** Writes {@code tensors} to {@code file} (replacing it atomically), without metadata. */
    public static void write(Map<String, Tensor> tensors, Path file) {
        write(tensors, null, file);
    }

    /**
     * Writes {@code tensors} and optional {@code metadata} (null for none) to {@code file}: first to a
     * temporary file in the same folder, then moved over {@code file} in one atomic step, so readers never see
     * a half-written file and a failed write leaves any old file as it was.
     *
     * @throws IllegalArgumentException for a name that cannot be stored (null, {@code "__metadata__"}, or not
     *     valid Unicode)
     * @throws UncheckedIOException if the file cannot be written
     */
    public static void write(Map<String, Tensor> tensors, Map<String, String> metadata, Path file) {
        Layout layout = layout(tensors, metadata);
        Path target = file.toAbsolutePath();
        Path tmp = null;
        try {
            tmp = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".tmp");
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                layout.writeTo(out);
                out.force(true);
            }
            // Temporary files are private (0600); give the file what a plain create would, or keep the old mode.
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.setPosixFilePermissions(tmp, Files.exists(target) ? Files.getPosixFilePermissions(target)
                        : PosixFilePermissions.fromString("rw-r--r--"));
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            tmp = null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e, e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // The write already failed; that error is the one to report.
                }
            }
        }
    }

    /** The bytes {@link #write(Map, Map, Path)} would write. */
    public static byte[] serialize(Map<String, Tensor> tensors, Map<String, String> metadata) {
        Layout layout = layout(tensors, metadata);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            layout.writeTo(Channels.newChannel(out));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The header bytes (padded) and the tensors in data order. */
    private record Layout(byte[] header, List<Tensor> ordered) {
        void writeTo(WritableByteChannel out) throws IOException {
            ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).flip();
            writeFully(out, length);
            writeFully(out, ByteBuffer.wrap(header));
            ByteBuffer buf = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
            for (Tensor t : ordered) {
                DType dtype = t.dtype();
                // Each dtype is read in its own type: int64 exactly, float32 without a detour through double.
                float[] floats = dtype == DType.FLOAT32 ? t.toFloatArray() : null;
                long[] longs = dtype.isFloatingPoint() ? null : t.toLongArray();
                double[] doubles = dtype == DType.FLOAT64 ? t.toArray() : null;
                for (int i = 0; i < t.numel(); i++) {
                    if (buf.remaining() < 8) {
                        writeFully(out, buf.flip());
                        buf.clear();
                    }
                    switch (dtype) {
                        case FLOAT32 -> buf.putFloat(floats[i]);
                        case FLOAT64 -> buf.putDouble(doubles[i]);
                        case INT64 -> buf.putLong(longs[i]);
                        case BOOL -> buf.put((byte) (longs[i] != 0 ? 1 : 0));
                    }
                }
            }
            writeFully(out, buf.flip());
        }
    }

    private static void writeFully(WritableByteChannel out, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            out.write(buf);
        }
    }

    private static Layout layout(Map<String, Tensor> tensors, Map<String, String> metadata) {
        Objects.requireNonNull(tensors, "tensors");
        List<Map.Entry<String, Tensor>> entries = new ArrayList<>(tensors.entrySet());
        for (Map.Entry<String, Tensor> e : entries) {
            checkName(e.getKey(), "tensor name");
            if (e.getKey().equals(METADATA_KEY)) {
                throw new IllegalArgumentException("a tensor cannot be named " + METADATA_KEY
                        + ": the header keeps that key for metadata");
            }
            Objects.requireNonNull(e.getValue(), () -> "tensor '" + e.getKey() + "' is null");
        }
        // The reference sorts by dtype, descending in its enum order, then by name as bytes (Rust's str order).
        entries.sort(Comparator.<Map.Entry<String, Tensor>>comparingInt(e -> -dtypeRank(e.getValue().dtype()))
                .thenComparing(Map.Entry::getKey, SafeTensors::compareUtf8));

        Map<String, Object> header = new LinkedHashMap<>();
        if (metadata != null) {
            Map<String, Object> meta = new TreeMap<>(SafeTensors::compareUtf8);
            for (Map.Entry<String, String> e : metadata.entrySet()) {
                checkName(e.getKey(), "metadata key");
                Objects.requireNonNull(e.getValue(), () -> "metadata value of '" + e.getKey() + "' is null");
                checkName(e.getValue(), "metadata value");
                meta.put(e.getKey(), e.getValue());
            }
            header.put(METADATA_KEY, new LinkedHashMap<>(meta));
        }
        List<Tensor> ordered = new ArrayList<>();
        long offset = 0;
        for (Map.Entry<String, Tensor> e : entries) {
            Tensor t = e.getValue();
            long bytes = (long) t.numel() * t.dtype().byteSize();
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("dtype", dtypeName(t.dtype()));
            info.put("shape", Arrays.stream(t.shape().toArray()).mapToObj(d -> (Object) (long) d).toList());
            info.put("data_offsets", List.of(offset, offset + bytes));
            header.put(e.getKey(), info);
            ordered.add(t);
            offset += bytes;
        }
        byte[] json = Json.write(header).getBytes(StandardCharsets.UTF_8);
        // Pad with spaces so the data starts 8-byte aligned, as the reference does.
        byte[] padded = Arrays.copyOf(json, (json.length + 7) / 8 * 8);
        Arrays.fill(padded, json.length, padded.length, (byte) ' ');
        return new Layout(padded, ordered);
    }

    private static void checkName(String s, String what) {
        Objects.requireNonNull(s, () -> what + " is null");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException(what + " " + Json.write(s) + " is not valid Unicode (unpaired "
                        + "surrogate at index " + i + "), so it has no UTF-8 form");
            }
        }
    }

    /** Compares strings as their UTF-8 bytes, unsigned: code point order (Java's compareTo is UTF-16 order). */
    static int compareUtf8(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }

    private static String dtypeName(DType dtype) {
        return switch (dtype) {
            case FLOAT32 -> "F32";
            case FLOAT64 -> "F64";
            case INT64 -> "I64";
            case BOOL -> "BOOL";
        };
    }

    private static int dtypeRank(DType dtype) {
        return REFERENCE_DTYPE_ORDER.indexOf(dtypeName(dtype));
    }

    private static DType dtypeOf(String name) {
        return switch (name) {
            case "F32" -> DType.FLOAT32;
            case "F64" -> DType.FLOAT64;
            case "I64" -> DType.INT64;
            case "BOOL" -> DType.BOOL;
            default -> null;
        };
    }

    // ---- reading ------------------------------------------------------------------------------------------

    /** The tensors in {@code file}, by name, in data order. See {@link #readContents}. */
    public static Map<String, Tensor> read(Path file) {
        return readContents(file).tensors();
    }

    /**
     * Reads a safetensors file, checking all of it first.
     *
     * @throws IllegalArgumentException naming the file and the problem when it is not a valid safetensors
     *     file jconv can hold (see the class documentation)
     * @throws UncheckedIOException if it cannot be read at all
     */
    public static Contents readContents(Path file) {
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            return new Reader(file, in).read();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e, e);
        }
    }

    /** One entry of the header, checked. */
    private record Entry(String name, DType dtype, List<Long> shape, long begin, long end) {
    }

    private static final class Reader {
        private final Path file;
        private final FileChannel in;

        Reader(Path file, FileChannel in) {
            this.file = file;
            this.in = in;
        }

        private IllegalArgumentException refuse(String problem) {
            return new IllegalArgumentException(file + ": not a valid safetensors file: " + problem);
        }

        Contents read() throws IOException {
            long size = in.size();
            if (size < 8) {
                throw refuse("the file is " + size + " byte(s), shorter than the 8-byte header length that starts it");
            }
            long n = readBytes(0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
            if (n < 0 || n > MAX_HEADER_SIZE) {
                throw refuse("the header length " + Long.toUnsignedString(n) + " is over the limit of "
                        + MAX_HEADER_SIZE + " bytes");
            }
            if (8 + n > size) {
                throw refuse("the header length " + n + " runs past the end of the file (8 + " + n + " > " + size
                        + " bytes)");
            }
            String text = decodeUtf8(readBytes(8, (int) n));
            if (!text.startsWith("{")) {
                throw refuse("the header does not start with '{'");
            }
            Object parsed;
            try {
                parsed = Json.parse(text);
            } catch (IllegalArgumentException e) {
                throw refuse("the header is not valid JSON: " + e.getMessage());
            }
            if (!(parsed instanceof Map<?, ?>)) {
                throw refuse("the header must be a JSON object");
            }
            Map<String, String> metadata = null;
            List<Entry> entries = new ArrayList<>();
            for (Map.Entry<String, Object> e : Json.object(parsed, "header").entrySet()) {
                if (e.getKey().equals(METADATA_KEY)) {
                    metadata = metadata(e.getValue());
                } else {
                    entries.add(entry(e.getKey(), e.getValue()));
                }
            }
            long dataSize = size - 8 - n;
            checkOffsets(entries, dataSize);

            // Everything is consistent with the file's real size: only now allocate the tensors.
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (Entry e : entries) {
                tensors.put(e.name(), readTensor(e, 8 + n));
            }
            return new Contents(Collections.unmodifiableMap(tensors),
                    metadata == null ? null : Collections.unmodifiableMap(metadata));
        }

        private String decodeUtf8(ByteBuffer bytes) {
            try {
                CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(bytes);
                return chars.toString();
            } catch (CharacterCodingException e) {
                throw refuse("the header is not valid UTF-8");
            }
        }

        private Map<String, String> metadata(Object value) {
            if (!(value instanceof Map<?, ?> map)) {
                throw refuse(METADATA_KEY + " must be an object of strings");
            }
            Map<String, String> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getValue() instanceof String s)) {
                    throw refuse(METADATA_KEY + " must map strings to strings, but '" + e.getKey() + "' is "
                            + Json.write(e.getValue()));
                }
                out.put((String) e.getKey(), s);
            }
            return out;
        }

        private Entry entry(String name, Object value) {
            String where = "tensor '" + name + "'";
            if (!(value instanceof Map<?, ?>)) {
                throw refuse(where + " must be described by an object {dtype, shape, data_offsets}");
            }
            Map<String, Object> info = Json.object(value, name);
            for (String field : List.of("dtype", "shape", "data_offsets")) {
                if (!info.containsKey(field)) {
                    throw refuse(where + " has no \"" + field + "\"");
                }
            }
            if (!(info.get("dtype") instanceof String dtypeName)) {
                throw refuse(where + " has a dtype that is not a string: " + Json.write(info.get("dtype")));
            }
            DType dtype = dtypeOf(dtypeName);
            if (dtype == null) {
                throw refuse(REFERENCE_DTYPE_ORDER.contains(dtypeName)
                        ? where + " has dtype " + dtypeName + ", which jconv does not support (F32, F64, I64, BOOL)"
                        : where + " has unknown dtype " + Json.write(dtypeName));
            }
            List<Long> dims = naturals(info.get("shape"), where + "'s shape");
            long numel = 1;
            for (long d : dims) {
                try {
                    numel = Math.multiplyExact(numel, d);
                } catch (ArithmeticException ex) {
                    throw refuse(where + " has shape " + dims + ", whose element count overflows 64 bits");
                }
            }
            List<Long> offsets = naturals(info.get("data_offsets"), where + "'s data_offsets");
            if (offsets.size() != 2) {
                throw refuse(where + "'s data_offsets must be [begin, end], got " + offsets);
            }
            long bytes;
            try {
                bytes = Math.multiplyExact(numel, dtype.byteSize());
            } catch (ArithmeticException ex) {
                throw refuse(where + " has shape " + dims + ", whose byte size overflows 64 bits");
            }
            long begin = offsets.get(0);
            long end = offsets.get(1);
            if (end < begin) {
                throw refuse(where + " has data_offsets " + offsets + " that end before they begin");
            }
            if (end - begin != bytes) {
                throw refuse(where + " has shape " + dims + " and dtype " + dtypeName + ", which take " + bytes
                        + " byte(s), but its data_offsets " + offsets + " span " + (end - begin));
            }
            return new Entry(name, dtype, dims, begin, end);
        }

        private List<Long> naturals(Object value, String what) {
            if (!(value instanceof List<?> list)) {
                throw refuse(what + " must be an array of integers, got " + Json.write(value));
            }
            List<Long> out = new ArrayList<>();
            for (Object o : list) {
                if (!(o instanceof Long v) || v < 0) {
                    throw refuse(what + " must hold non-negative integers, got " + Json.write(list));
                }
                out.add(v);
            }
            return out;
        }

        private void checkOffsets(List<Entry> entries, long dataSize) {
            // The reference orders by offsets, then requires each tensor to start where the previous one ended.
            entries.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
            long position = 0;
            Entry previous = null;
            for (Entry e : entries) {
                if (e.begin() != position) {
                    throw refuse("data offsets are not contiguous from 0: tensor '" + e.name() + "' begins at byte "
                            + e.begin() + " but " + (previous == null ? "the data starts at byte 0"
                            : "tensor '" + previous.name() + "' ends at byte " + position));
                }
                position = e.end();
                previous = e;
            }
            if (position != dataSize) {
                throw refuse("the tensors' data ends at byte " + position + " of the data section, but the file has "
                        + dataSize + " data byte(s) after the header: the data must end exactly at the end of the file");
            }
            for (Entry e : entries) {
                long numel = (e.end() - e.begin()) / e.dtype().byteSize();
                if (numel > Integer.MAX_VALUE || e.shape().stream().anyMatch(d -> d > Integer.MAX_VALUE)) {
                    throw refuse("tensor '" + e.name() + "' has shape " + e.shape() + " (" + numel + " elements), "
                            + "larger than a jconv tensor can be (2^31 - 1 elements and sizes)");
                }
            }
        }

        private Tensor readTensor(Entry e, long dataStart) throws IOException {
            Shape shape = Shape.of(e.shape().stream().mapToInt(Long::intValue).toArray());
            int numel = shape.numel();
            int width = e.dtype().byteSize();
            Object values = switch (e.dtype()) {
                case FLOAT32 -> new float[numel];
                case FLOAT64 -> new double[numel];
                case INT64 -> new long[numel];
                case BOOL -> new boolean[numel];
            };
            int elementsPerChunk = CHUNK / width;
            for (int done = 0; done < numel; ) {
                int count = Math.min(elementsPerChunk, numel - done);
                ByteBuffer buf = readBytes(dataStart + e.begin() + (long) done * width, count * width)
                        .order(ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < count; i++, done++) {
                    switch (values) {
                        case float[] f -> f[done] = buf.getFloat();
                        case double[] d -> d[done] = buf.getDouble();
                        case long[] l -> l[done] = buf.getLong();
                        case boolean[] b -> b[done] = buf.get() != 0;
                        default -> throw new AssertionError(e.dtype());
                    }
                }
            }
            return switch (values) {
                case float[] f -> Tensor.fromArray(f, shape);
                case double[] d -> Tensor.fromArray(d, shape, DType.FLOAT64);
                case long[] l -> Tensor.fromArray(l, shape);
                case boolean[] b -> Tensor.fromArray(b, shape);
                default -> throw new AssertionError(e.dtype());
            };
        }

        private ByteBuffer readBytes(long position, int length) throws IOException {
            ByteBuffer buf = ByteBuffer.allocate(length);
            while (buf.hasRemaining()) {
                int got = in.read(buf, position + buf.position());
                if (got < 0) {
                    throw refuse("the file ended early (it changed while being read?)");
                }
            }
            return buf.flip();
        }
    }
}
