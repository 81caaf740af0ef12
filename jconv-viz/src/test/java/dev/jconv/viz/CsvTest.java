package dev.jconv.viz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CSV file: exact text, and the atomic write shared by every file of the package. */
class CsvTest {
    @TempDir
    Path dir;

    private static final List<EpochStats> STATS = List.of(
            new EpochStats(1, 2.3051, 0.1, 0.1001, 12.5),
            new EpochStats(2, 0.5, 0.8125, 0.79, 11.0),
            new EpochStats(3, 1e-4, 1.0, Double.NaN, 3.25));

    @Test
    void writesHeaderAndOneLinePerEpoch() throws IOException {
        Path csv = dir.resolve("stats.csv");
        Csv.write(csv, STATS);
        assertThat(Files.readString(csv, StandardCharsets.UTF_8)).isEqualTo("""
                epoch,train_loss,train_acc,test_acc,seconds
                1,2.3051,0.1,0.1001,12.5
                2,0.5,0.8125,0.79,11.0
                3,0.0001,1.0,nan,3.25
                """);
    }

    @Test
    void noEpochsIsJustTheHeader() {
        assertThat(Csv.format(List.of())).isEqualTo(Csv.HEADER + "\n");
    }

    @Test
    void numbersAreShortestPlainDecimals() {
        assertThat(Csv.number(0.1 + 0.2)).isEqualTo("0.30000000000000004");
        assertThat(Csv.number(1e20)).isEqualTo("100000000000000000000.0");
        assertThat(Csv.number(-2.5e-7)).isEqualTo("-0.00000025");
        assertThat(Csv.number(0.0)).isEqualTo("0.0");
        assertThat(Csv.number(Double.POSITIVE_INFINITY)).isEqualTo("inf");
        assertThat(Csv.number(Double.NEGATIVE_INFINITY)).isEqualTo("-inf");
        assertThat(Csv.number((double) (float) 0.1)).isEqualTo("0.10000000149011612");
    }

    @Test
    void replacesAnExistingFileAndLeavesNoTemporaryFile() throws IOException {
        Path csv = dir.resolve("stats.csv");
        Files.writeString(csv, "old");
        Csv.write(csv, STATS.subList(0, 1));
        assertThat(Files.readString(csv)).startsWith(Csv.HEADER);
        assertThat(entries()).containsExactly("stats.csv");
    }

    @Test
    void aFailedWriteKeepsTheOldFileAndLeavesNoTemporaryFile() throws IOException {
        Path csv = dir.resolve("stats.csv");
        Files.writeString(csv, "old");
        assertThatThrownBy(() -> AtomicFiles.write(csv, out -> {
            out.write("half a fi".getBytes(StandardCharsets.UTF_8));
            throw new IOException("disk full");
        })).isInstanceOf(IOException.class).hasMessage("disk full");
        assertThat(Files.readString(csv)).isEqualTo("old");
        assertThat(entries()).containsExactly("stats.csv");
    }

    @Test
    void writesToARelativePathInTheWorkingDirectoryToo() throws IOException {
        // A bare file name has no parent; the temporary file must still go next to it.
        Path relative = Path.of("").toAbsolutePath().relativize(dir.resolve("rel.csv"));
        Csv.write(relative, List.of());
        assertThat(Files.readString(dir.resolve("rel.csv"))).isEqualTo(Csv.HEADER + "\n");
        assertThat(entries()).containsExactly("rel.csv");
    }

    private List<String> entries() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
