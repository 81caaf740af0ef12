package dev.jconv.cli;

import static dev.jconv.cli.Cli.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jconv.cli.Cli.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The command line: shape derivations, verify's report and exit code, chapter listing, help and usage errors. */
class MainTest {

    /** A usage error: exit 2, nothing on stdout, one line on stderr naming {@code what}. */
    static void assertUsageError(Run r, String what) {
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertOneLineError(r, what);
    }

    static void assertOneLineError(Run r, String what) {
        assertThat(r.err()).startsWith("jconv: ").contains(what).endsWith("\n");
        assertThat(r.err().strip()).doesNotContain("\n").doesNotContain("\tat ");
    }

    @Test
    void shapeDerivesTheSeedsStrideExample() {
        Run r = run("shape", "--input", "8x8", "--kernel", "3x5", "--padding", "0x1", "--stride", "3x4");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("= floor(5 / 3) + 1").contains("= floor(1.25) + 1").endsWith("Output shape: (2, 2)\n");
    }

    @Test
    void shapeShowsDilationWhenItIsNotOne() {
        Run r = run("shape", "--input", "9x9", "--kernel", "3", "--dilation", "2");
        assertThat(r.out()).contains("Dilation Height").contains("floor((9 - 2 * (3 - 1) - 1 + 2 * 0) / 1) + 1")
                .endsWith("Output shape: (5, 5)\n");
    }

    @Test
    void shapeDerivesPoolingWithCeilAndTransposedConvolutions() {
        Run pool = run("shape", "--input", "4x4", "--kernel", "3x3", "--padding", "1x1", "--stride", "2x2", "--pool",
                "max", "--ceil");
        assertThat(pool.code()).as(pool.err()).isZero();
        assertThat(pool.out()).contains("MaxPool2d");
        Run transposed = run("shape", "--input", "4x4", "--kernel", "3x3", "--padding", "1x1", "--stride", "2x2",
                "--transposed", "--output-padding", "1x1");
        assertThat(transposed.code()).as(transposed.err()).isZero();
        assertThat(transposed.out()).contains("ConvTranspose2d").contains("(1, 1, 8, 8)");
        Run model = run("shape", "--model", "lenet");
        assertThat(model.code()).isZero();
        assertThat(model.out()).contains("(1, 10)");
    }

    @Test
    void shapeRejectsAKernelLargerThanThePaddedInput() {
        assertUsageError(run("shape", "--input", "4x4", "--kernel", "5x3"), "kernel size 5 is larger than the padded input 4");
    }

    @Test
    void shapeRejectsZeroStride() {
        assertUsageError(run("shape", "--input", "8x8", "--kernel", "3", "--stride", "0"), "stride must be at least 1, got 0");
    }

    @Test
    void shapeRefusesCeilWithoutPool() {
        // It used to fall through to a transposed-convolution derivation.
        assertUsageError(run("shape", "--input", "4x4", "--kernel", "3x3", "--ceil"), "--ceil applies to pooling only");
        assertUsageError(run("shape", "--input", "4x4", "--kernel", "3x3", "--output-padding", "1"),
                "--output-padding applies to --transposed only");
        assertUsageError(run("shape", "--model", "lenet", "--kernel", "3"), "--kernel");
        assertUsageError(run("shape", "--input", "4x4y4", "--kernel", "3"), "--input");
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
        Run r = run("verify", file.toString(), "--dtype", "float32");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("r2 (repr): repr differs").endsWith("1 passed, 1 failed\n");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void verifyRefusesAMissingFileAndAnUnknownDtype(@TempDir Path dir) {
        Run missing = run("verify", dir.resolve("none.json").toString());
        assertThat(missing.code()).isEqualTo(1);
        assertOneLineError(missing, "none.json does not exist");
        assertUsageError(run("verify", "x.json", "--dtype", "float16"), "unknown dtype 'float16'");
    }

    @Test
    void chapterListNamesTheSeedChapter() {
        Run r = run("chapter", "--list");
        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("convolutions").contains("pooling");
    }

    @Test
    void chapterRefusesAnUnknownName() {
        assertUsageError(run("chapter", "knitting"), "no chapter named 'knitting'");
    }

    @Test
    void unknownCommandsAreRejected() {
        assertUsageError(run("fly"), "unknown command 'fly'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"train lenet --epoch 1|--epoch", "shape --input 8x8 --kernel 3x3 --strid 2x2|--strid",
            "chapter --frob pooling|--frob", "predict --weight w.safetensors x.png|--weight", "verify f.json --dtyp x|--dtyp"})
    void unknownOptionsAreRefusedByName(String line) {
        String[] parts = line.split("\\|");
        Run r = run(parts[0].split(" "));
        assertUsageError(r, "unknown option '" + parts[1] + "'");
    }

    @Test
    void aMisspeltOptionGetsASuggestion() {
        assertThat(run("train", "lenet", "--epoch", "1").err()).contains("did you mean --epochs?");
    }

    @Test
    void threadsOutsideTheAllowedRangeAreRefused() {
        assertUsageError(run("chapter", "--list", "--threads", "40000"), "between 1 and 256, got 40000");
        assertUsageError(run("--threads", "0", "chapter", "--list"), "between 1 and 256, got 0");
        assertUsageError(run("chapter", "--threads", "many"), "--threads");
    }

    @Test
    void threadsAreAcceptedBeforeAndAfterTheCommand() {
        assertThat(run("--threads", "1", "chapter", "--list").code()).isZero();
        assertThat(run("chapter", "--list", "--threads", "2").code()).isZero();
    }

    @Test
    void helpListsEveryCommandIncludingTheLaunchers() {
        Run r = run("help");
        assertThat(r.code()).isZero();
        for (String command : new String[] {"chapter", "shape", "summary", "train", "predict", "verify", "test",
                "notebook"}) {
            assertThat(r.out()).containsPattern("(?m)^  " + command + " ");
        }
        assertThat(r.out()).contains("Exit codes");
        assertThat(r.err()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"chapter", "shape", "summary", "train", "predict", "verify", "test", "notebook"})
    void everyCommandHasHelp(String command) {
        Run r = run(command, "--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("Usage: jconv " + command);
        assertThat(run("help", command).out()).isEqualTo(r.out());
    }

    @Test
    void versionPrintsTheProjectVersion() {
        Run r = run("--version");
        assertThat(r.code()).isZero();
        assertThat(r.out()).matches("jconv \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\\n");
        assertThat(VersionProvider.version()).isNotEqualTo("dev"); // Maven filtered the resource
    }

    @Test
    void noCommandPrintsTheUsageAndExitsWithTheUsageCode() {
        Run r = run();
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.out()).startsWith("Usage: jconv");
    }

    @Test
    void launcherCommandsSayWhereTheyRun() {
        assertUsageError(run("test"), "./jconv test");
        assertUsageError(run("notebook", "install"), "./jconv notebook");
    }

    @Test
    void stacktraceShowsTheTraceOfAFailure(@TempDir Path dir) {
        Path missing = dir.resolve("none.json");
        Run plain = run("verify", missing.toString());
        assertOneLineError(plain, "does not exist");
        Run traced = run("verify", missing.toString(), "--stacktrace");
        assertThat(traced.code()).isEqualTo(1);
        assertThat(traced.err()).contains("does not exist").contains("VerifyCommand.call(");
    }
}
