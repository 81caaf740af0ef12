package dev.jconv.data;

import static dev.jconv.data.IdxFiles.concat;
import static dev.jconv.data.IdxFiles.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class IdxReaderTest {
    private static final int LABELS = IdxReader.LABELS_MAGIC;
    private static final int IMAGES = IdxReader.IMAGES_MAGIC;

    @TempDir
    Path dir;

    static Stream<Arguments> seedsAndCompression() {
        return Stream.of(1L, 2L, 3L, 4L).flatMap(seed -> Stream.of(Arguments.of(seed, false), Arguments.of(seed, true)));
    }

    @ParameterizedTest
    @MethodSource("seedsAndCompression")
    void readsRandomValidFilesPlainAndGzip(long seed, boolean gzip) {
        Random random = new Random(seed);
        int count = 1 + random.nextInt(50);
        int rows = 1 + random.nextInt(30);
        int cols = 1 + random.nextInt(30);
        byte[] pixels = new byte[count * rows * cols];
        random.nextBytes(pixels);
        byte[] labels = new byte[count];
        random.nextBytes(labels);

        IdxReader.IdxArray images = IdxReader.readImages(IdxFiles.write(dir, "images", IdxFiles.images(count, rows,
                cols, pixels), gzip));
        IdxReader.IdxArray read = IdxReader.readLabels(IdxFiles.write(dir, "labels", IdxFiles.labels(labels), gzip));

        assertThat(images.dims()).containsExactly(count, rows, cols);
        assertThat(images.data()).isEqualTo(pixels);
        assertThat(images.count()).isEqualTo(count);
        assertThat(read.dims()).containsExactly(count);
        assertThat(read.data()).isEqualTo(labels);
        assertThat(read.unsigned(0)).isEqualTo(labels[0] & 0xff);
    }

    @Test
    void detectsGzipByMagicNumberNotByName() {
        byte[] labels = {1, 2, 3};
        Path gzipWithoutSuffix = IdxFiles.write(dir, "labels-idx1-ubyte", IdxFiles.labels(labels), true);
        Path plainWithGzSuffix = IdxFiles.write(dir, "labels-idx1-ubyte.gz", IdxFiles.labels(labels), false);
        assertThat(IdxReader.readLabels(gzipWithoutSuffix).data()).containsExactly(1, 2, 3);
        assertThat(IdxReader.readLabels(plainWithGzSuffix).data()).containsExactly(1, 2, 3);
    }

    @Test
    void readsMultiMemberGzip() throws Exception {
        byte[] content = IdxFiles.labels(new byte[] {4, 5, 6, 7});
        byte[] twoMembers = concat(IdxFiles.gzip(Arrays.copyOf(content, 6)),
                IdxFiles.gzip(Arrays.copyOfRange(content, 6, content.length)));
        Path file = Files.write(dir.resolve("two"), twoMembers);
        assertThat(IdxReader.readLabels(file).data()).containsExactly(4, 5, 6, 7);
    }

    @Test
    void readsEmptyFiles() {
        IdxReader.IdxArray none = IdxReader.readImages(IdxFiles.write(dir, "none", IdxFiles.images(0, 28, 28,
                new byte[0]), true));
        assertThat(none.dims()).containsExactly(0, 28, 28);
        assertThat(none.data()).isEmpty();
    }

    /** A malformed file's content, whether to gzip it, which reader to use, and what the message must say. */
    static Stream<Arguments> malformed() {
        byte[] threeLabels = {0, 1, 2};
        return Stream.of(false, true).flatMap(gzip -> Stream.of(
                Arguments.of("wrong magic", concat(header(0x12340801, 3), threeLabels), gzip, LABELS,
                        new String[] {"wrong magic number 0x12340801", "0x00000801"}),
                Arguments.of("text file", "hello, this is not IDX".getBytes(), gzip, LABELS,
                        new String[] {"wrong magic number 0x68656C6C"}),
                Arguments.of("wrong type", concat(header(0x00000D01, 3), threeLabels), gzip, LABELS,
                        new String[] {"wrong data type byte 0x0D (float)", "0x08 (unsigned byte)"}),
                Arguments.of("images read as labels", IdxFiles.images(1, 1, 3, threeLabels), gzip, LABELS,
                        new String[] {"wrong rank 3", "IDX labels have rank 1"}),
                Arguments.of("labels read as images", IdxFiles.labels(threeLabels), gzip, IMAGES,
                        new String[] {"wrong rank 1", "IDX images have rank 3 (N×rows×cols)"}),
                Arguments.of("empty", new byte[0], gzip, LABELS,
                        new String[] {"truncated header", "holds 0 byte(s)"}),
                Arguments.of("magic only", header(IMAGES), gzip, IMAGES,
                        new String[] {"truncated header", "need 3 size(s)", "ends after 0 more byte(s)"}),
                Arguments.of("sizes cut", Arrays.copyOf(header(IMAGES, 2, 28, 28), 10), gzip, IMAGES,
                        new String[] {"truncated header", "ends after 6 more byte(s)"}),
                Arguments.of("truncated data", concat(header(IMAGES, 2, 2, 2), new byte[7]), gzip, IMAGES,
                        new String[] {"truncated data", "2×2×2 (N×rows×cols) need 8 byte(s)", "only 7 byte(s)"}),
                Arguments.of("trailing garbage", concat(IdxFiles.labels(threeLabels), new byte[] {9, 9}), gzip,
                        LABELS, new String[] {"trailing garbage", "sizes 3 (N) need 3 byte(s)", "2"}),
                Arguments.of("count larger than data", concat(header(LABELS, 1000), threeLabels), gzip, LABELS,
                        new String[] {"truncated data", "need 1000 byte(s)", "only 3 byte(s)"}),
                Arguments.of("count smaller than data", concat(header(LABELS, 1), threeLabels), gzip, LABELS,
                        new String[] {"trailing garbage", "need 1 byte(s)"}),
                Arguments.of("size beyond 2^31", concat(header(LABELS, 0xFFFFFFFFL), threeLabels), gzip, LABELS,
                        new String[] {"header size 4294967295", "larger than any file"}),
                Arguments.of("product beyond 2^31", concat(header(IMAGES, 60000, 60000, 60000), threeLabels), gzip,
                        IMAGES, new String[] {"60000×60000", "need more than 2147483639 bytes"}),
                Arguments.of("claims 1.9 GB", concat(header(IMAGES, 2_000, 1_000, 950), threeLabels), gzip, IMAGES,
                        new String[] {gzip ? "decompresses to at most" : "truncated data", "1900000000 byte(s)"})));
    }

    @ParameterizedTest(name = "{0}, gzip={2}")
    @MethodSource("malformed")
    void refusesMalformedFilesNamingFileAndProblem(String name, byte[] content, boolean gzip, int magic,
            String[] fragments) {
        Path file = IdxFiles.write(dir, name.replace(' ', '-') + (gzip ? ".gz" : ""), content, gzip);
        assertThatThrownBy(() -> IdxReader.read(file, magic))
                .isInstanceOf(MalformedDataException.class)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(file + ": ")
                .hasMessageContainingAll(fragments)
                .satisfies(e -> assertThat(((MalformedDataException) e).file()).isEqualTo(file));
    }

    @Test
    void refusesTruncatedGzipStream() throws Exception {
        byte[] packed = IdxFiles.gzip(IdxFiles.labels(new byte[5000]));
        Path file = Files.write(dir.resolve("cut.gz"), Arrays.copyOf(packed, packed.length - 12));
        assertThatThrownBy(() -> IdxReader.readLabels(file))
                .isInstanceOf(MalformedDataException.class)
                .hasMessageStartingWith(file + ": ")
                .hasMessageContaining("truncated gzip stream");
    }

    @Test
    void refusesGarbageAfterGzipStream() throws Exception {
        byte[] packed = concat(IdxFiles.gzip(IdxFiles.labels(new byte[] {1, 2})), "junk".getBytes());
        Path file = Files.write(dir.resolve("junk.gz"), packed);
        assertThatThrownBy(() -> IdxReader.readLabels(file))
                .isInstanceOf(MalformedDataException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("trailing garbage after the gzip data");
    }

    @Test
    void refusesCorruptGzipData() throws Exception {
        byte[] packed = IdxFiles.gzip(IdxFiles.labels(new byte[] {1, 2, 3, 4}));
        packed[packed.length - 8] ^= 0x55; // the stored CRC
        Path file = Files.write(dir.resolve("crc.gz"), packed);
        assertThatThrownBy(() -> IdxReader.readLabels(file))
                .isInstanceOf(MalformedDataException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("CRC mismatch");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 1000})
    void decompressionBombBehindAValidHeaderIsCutShort(int blocksOf16KiB) {
        // A tiny gzip file whose data runs on far past what the header claims.
        byte[] content = concat(IdxFiles.labels(new byte[] {1}), new byte[blocksOf16KiB * 16 * 1024]);
        Path file = IdxFiles.write(dir, "bomb.gz", content, true);
        assertThatThrownBy(() -> IdxReader.readLabels(file))
                .isInstanceOf(MalformedDataException.class)
                .hasMessageContaining("trailing garbage");
    }

    @Test
    void missingFileIsAnIoError() {
        Path file = dir.resolve("absent");
        assertThatThrownBy(() -> IdxReader.readLabels(file))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining(file.toString());
    }

    @Test
    void onlyLabelsAndImagesMagicNumbersAreAccepted() {
        assertThatThrownBy(() -> IdxReader.read(dir.resolve("x"), 0x00000802))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0x00000802");
    }
}
