package dev.jconv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar as the launcher runs it: the modules dev.jconv.cli, dev.jconv.viz and dev.jconv on the module
 * path (jconv.jar and target/lib), with and without {@code --add-modules jdk.incubator.vector}. The unit tests
 * run on the class path; this checks the module descriptors (exports, picocli's reflective access) and that the
 * scalar kernels print what the vector kernels print.
 */
class ModulePathIT {
    private final String modulePath = System.getProperty("jconv.jar") + File.pathSeparator
            + System.getProperty("jconv.lib");

    record Result(int code, String out, String err) {
    }

    private Result run(Path dir, boolean vector, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (vector) {
            command.addAll(List.of("--add-modules", "jdk.incubator.vector"));
        }
        command.addAll(List.of("-p", modulePath, "-m", "dev.jconv.cli/dev.jconv.cli.Main"));
        command.addAll(List.of(args));
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("did not finish: " + command);
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void optionsAndCommandsWorkOnTheModulePath(@TempDir Path dir) throws Exception {
        Result r = run(dir, true, "shape", "--input", "8x8", "--kernel", "3x5", "--padding", "0x1", "--stride", "3x4");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("3");
        Result version = run(dir, true, "--version");
        assertThat(version.out()).startsWith("jconv ");
    }

    @Test
    void theChapterPrintsTheSameWithoutTheVectorApi(@TempDir Path dir) throws Exception {
        Result vector = run(dir, true, "chapter", "channels");
        assertThat(vector.code()).as(vector.err()).isZero();
        Result scalar = run(dir, false, "chapter", "channels");
        assertThat(scalar.code()).as(scalar.err()).isZero();
        assertThat(scalar.out()).isEqualTo(vector.out());
        assertThat(scalar.err()).doesNotContain("Exception").doesNotContain("Error");
    }
}
