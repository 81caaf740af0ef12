package dev.jconv.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line: shape derivations, verify's report and exit code, chapter listing. */
class MainTest {

    private record Result(int code, String out) {
    }

    private static Result run(String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return new Result(code, bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void shapeDerivesTheSeedsStrideExample() {
        Result r = run("shape", "--input", "8x8", "--kernel", "3x5", "--padding", "0x1", "--stride", "3x4");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("= floor(5 / 3) + 1").contains("= floor(1.25) + 1").endsWith("Output shape: (2, 2)\n");
    }

    @Test
    void shapeShowsDilationWhenItIsNotOne() {
        Result r = run("shape", "--input", "9x9", "--kernel", "3", "--dilation", "2");
        assertThat(r.out()).contains("Dilation Height").contains("floor((9 - 2 * (3 - 1) - 1 + 2 * 0) / 1) + 1")
                .endsWith("Output shape: (5, 5)\n");
    }

    @Test
    void shapeRejectsAKernelLargerThanThePaddedInput() {
        assertThatThrownBy(() -> run("shape", "--input", "4x4", "--kernel", "5x3"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("kernel size 5 is larger than the padded input 4");
    }

    @Test
    void shapeRejectsZeroStride() {
        assertThatThrownBy(() -> run("shape", "--input", "8x8", "--kernel", "3", "--stride", "0"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stride must be at least 1, got 0");
    }

    @Test
    void verifyPrintsEachFailureAndExitsNonZero(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("bad.json");
        Files.writeString(file, """
                {"format":"jconv-conformance/1","cases":[
                 {"id":"r1","op":"repr","inputs":{"input":{"shape":[1],"data":[2]}},
                  "attrs":{"dtype":"float32","requires_grad":false},"expected":{"repr":"tensor([2.])"}},
                 {"id":"r2","op":"repr","inputs":{"input":{"shape":[1],"data":[2]}},
                  "attrs":{"dtype":"float32","requires_grad":false},"expected":{"repr":"tensor([3.])"}}]}
                """);
        Result r = run("verify", file.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("r2 (repr): repr differs").endsWith("1 passed, 1 failed\n");
    }

    @Test
    void chapterListNamesTheSeedChapter() {
        assertThat(run("chapter", "--list").out()).startsWith("convolutions");
    }

    @Test
    void unknownCommandsAreRejected() {
        assertThatThrownBy(() -> run("fly")).hasMessageContaining("unknown command 'fly'");
    }
}
