package dev.jconv.noflags;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jconv.kernels.Sgemm;
import dev.jconv.tensor.Tensor;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jconv without {@code --add-modules jdk.incubator.vector}: a child JVM on the plain class path, and one with
 * jconv on the module path, run {@link SmallNet} with the scalar kernels. They must not fail
 * (NoClassDefFoundError for the Vector API's classes), must print the same bits as this JVM's vector kernels,
 * and must log the one warning that says so.
 */
class VectorlessJvmTest {
    static final String WARNING = "jdk.incubator.vector is not resolved";

    static List<String> expected;

    @BeforeAll
    static void inProcess() {
        assertThat(Sgemm.vectorized()).as("this JVM runs the Vector API kernels (surefire's --add-modules)")
                .isTrue();
        expected = SmallNet.run();
    }

    @Test
    void classPathWithoutFlagsGivesTheSameBits(@TempDir Path dir) throws Exception {
        String cp = location(Tensor.class) + File.pathSeparator + location(SmallNet.class);
        Result r = run(dir, List.of("-cp", cp, SmallNet.class.getName()));
        check(r);
    }

    @Test
    void modulePathWithoutFlagsGivesTheSameBits(@TempDir Path dir) throws Exception {
        // jconv as the named module dev.jconv (its requires static jdk.incubator.vector unresolved), the program
        // on the class path.
        Result r = run(dir, List.of("-p", location(Tensor.class), "--add-modules", "dev.jconv",
                "-cp", location(SmallNet.class), SmallNet.class.getName()));
        check(r);
    }

    private static void check(Result r) {
        assertThat(r.code()).as("exit code; stderr:%n%s", r.stderr()).isZero();
        assertThat(r.stdout()).as("stderr:%n%s", r.stderr()).isEqualTo(expected);
        assertThat(r.stderr().stream().filter(l -> l.contains(WARNING)).count()).as("warnings in %s", r.stderr())
                .isEqualTo(1);
        assertThat(r.stderr()).noneMatch(l -> l.contains("Exception") || l.contains("Error"));
        assertThat(r.stderr()).noneMatch(l -> l.contains("Using incubator modules"));
    }

    private static String location(Class<?> c) throws Exception {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    record Result(int code, List<String> stdout, List<String> stderr) {
    }

    private static Result run(Path dir, List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Djconv.threads=1");
        command.addAll(args);
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("child JVM did not finish: " + command);
        }
        return new Result(p.exitValue(), Files.readAllLines(out, StandardCharsets.UTF_8),
                Files.readAllLines(err, StandardCharsets.UTF_8));
    }
}
