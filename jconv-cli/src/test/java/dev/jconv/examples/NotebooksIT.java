package dev.jconv.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.jconv.NotebookFile;
import dev.jconv.NotebookFile.CodeCell;
import dev.jconv.NotebookFile.Output;
import dev.jconv.Reference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Executes every notebook headless with Jupyter on the Java kernel, against the packaged jar, and compares what
 * each code cell printed with the reference file's block or section for it (the same files the chapter tests
 * read).
 *
 * <p>The kernel spec is written by this test into a Jupyter directory of its own under target/, so no
 * {@code ./jconv notebook install} is needed. Without Jupyter the test is skipped, saying what to install;
 * under {@code CI=true} it fails instead.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NotebooksIT {
    /** The Debian packages that execute notebooks headless. */
    static final String PACKAGES = "jupyter-nbconvert python3-nbclient jupyter-client python3-ipykernel";
    /** Upper bound for one notebook; a run takes seconds, most of them the kernel starting and compiling. */
    static final long TIMEOUT_SECONDS = 300;
    /**
     * How long to wait for the kernel to answer. A healthy start takes a few seconds even on a busy machine; a
     * kernel that misses its first request never answers, and each minute waited for one made the suite longer.
     */
    static final long STARTUP_TIMEOUT_SECONDS = 25;
    static final int KERNEL_START_ATTEMPTS = 5;

    private final Path base = Path.of(System.getProperty("jconv.basedir", "."));
    private final Path workDir = Path.of(System.getProperty("jconv.notebook.workDir", "target/notebook"));
    private final Path jupyterDir = workDir.resolve("jupyter");

    static List<Path> notebooks() {
        return NotebookFile.all(Path.of(System.getProperty("jconv.basedir", ".")).resolve("notebooks"));
    }

    /** Why the notebooks cannot be executed here, or null when they can. */
    private String missingJupyter;

    @BeforeAll
    void installKernelSpec() throws Exception {
        String problem = jupyterProblem();
        if (problem != null) {
            missingJupyter = problem + ". Executing the notebooks needs Jupyter: apt-get install " + PACKAGES;
            if ("true".equals(System.getenv("CI"))) {
                fail(missingJupyter + " (CI=true: a missing Jupyter fails the run; .ci/run installs these packages)");
            }
            System.out.println("NotebooksIT skipped: " + missingJupyter);
            return;
        }
        Path kernelJar = Path.of(System.getProperty("jconv.notebook.kernelJar", "")).toAbsolutePath();
        Path jconvJar = Path.of(System.getProperty("jconv.jar", "")).toAbsolutePath();
        assertThat(kernelJar).as("the Java kernel's jar (copied by mvn verify's pre-integration-test phase)")
                .isRegularFile();
        assertThat(jconvJar).as("jconv's jar").isRegularFile();
        // The jars jconv's jar needs beside its own (jconv-core, jconv-viz, xchart, picocli), copied by package.
        Path lib = Path.of(System.getProperty("jconv.lib", "target/lib")).toAbsolutePath();
        List<String> jars;
        try (var files = Files.list(lib)) {
            jars = files.filter(f -> f.toString().endsWith(".jar")).map(Path::toString).sorted().toList();
        }
        assertThat(jars).as("the jars in %s", lib).isNotEmpty();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Files.createDirectories(jupyterDir);
        List<String> command = new ArrayList<>(List.of("bash",
                base.resolve("notebooks/kernelspec.sh").toAbsolutePath().toString(),
                jupyterDir.resolve("kernels").resolve(NotebookFile.KERNEL_NAME).toAbsolutePath().toString(),
                java.toString(), kernelJar.toString(), jconvJar.toString()));
        command.addAll(jars);
        Result r = run(command, workDir.resolve("kernelspec.log"), 60);
        assertThat(r.code()).as("notebooks/kernelspec.sh:\n%s", r.output()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("notebooks")
    void everyCellPrintsWhatPyTorchPrints(Path notebook) throws Exception {
        if (missingJupyter != null) {
            Assumptions.abort(missingJupyter);
        }
        NotebookFile source = NotebookFile.read(notebook);
        String name = notebook.getFileName().toString();
        Path outDir = workDir.resolve("executed");
        Files.createDirectories(outDir);
        Path log = outDir.resolve(name.replace(".ipynb", ".log"));
        long start = System.nanoTime();
        Result r = null;
        // Now and then the Java kernel never answers nbclient's first request, or its process ends before it
        // does (both seen on a busy machine, before any cell ran; the same notebook runs in seconds on the next
        // try): start it afresh, up to five times.
        for (int attempt = 1; attempt <= KERNEL_START_ATTEMPTS; attempt++) {
            r = run(List.of("jupyter", "nbconvert", "--to", "notebook", "--execute", "--allow-errors",
                    "--ExecutePreprocessor.timeout=" + TIMEOUT_SECONDS,
                    "--ExecutePreprocessor.startup_timeout=" + STARTUP_TIMEOUT_SECONDS,
                    "--ExecutePreprocessor.kernel_name=" + NotebookFile.KERNEL_NAME,
                    "--output-dir=" + outDir.toAbsolutePath(), notebook.toAbsolutePath().toString()), log,
                    TIMEOUT_SECONDS + STARTUP_TIMEOUT_SECONDS + 60);
            if (r.code() == 0 || !(r.output().contains("Kernel didn't respond")
                    || r.output().contains("Kernel died before replying to kernel_info"))) {
                break;
            }
            System.out.printf("%s: the kernel did not start (attempt %d of %d)%n", name, attempt,
                    KERNEL_START_ATTEMPTS);
        }
        System.out.printf("%s executed in %.1f s (log: %s)%n", name, (System.nanoTime() - start) / 1e9, log);
        assertThat(r.code()).as("jupyter nbconvert --execute %s exited with %d; its output:%n%s", name, r.code(),
                tail(r.output())).isZero();

        NotebookFile executed = NotebookFile.read(outDir.resolve(name));
        List<Reference.Block> blocks = Reference.blocks(source.reference());
        Map<String, String> sections = Reference.sections(source.reference());
        SoftAssertions softly = new SoftAssertions();
        int next = 0;
        int sectionsPrinted = 0;
        for (CodeCell cell : executed.cells()) {
            String where = name + " " + cell.label();
            for (Output o : cell.outputs()) {
                softly.assertThat(o.type()).as("%s raised an error:%n%s", where, o.text()).isNotEqualTo("error");
                softly.assertThat(o.type()).as("%s shows an expression's value (%s); print with System.out.println",
                        where, o.mimeTypes()).isNotEqualTo("execute_result");
            }
            softly.assertThat(cell.stderr()).as("%s wrote to standard error", where).isEmpty();
            if (cell.display() != null) {
                softly.assertThat(cell.outputs().stream().anyMatch(o -> o.mimeTypes().contains(cell.display())))
                        .as("%s shows no %s", where, cell.display()).isTrue();
            }
            if (!cell.printsReference()) {
                softly.assertThat(cell.stdout()).as("%s has no PyTorch counterpart, so prints nothing", where)
                        .isEmpty();
                continue;
            }
            if (cell.referenceSection() != null) {
                // Sections are looked up by title; NotebookFilesTest checks their order and coverage.
                softly.assertThat(sections).as("%s: sections of %s", where, source.reference())
                        .containsKey(cell.referenceSection());
                softly.assertThat(Reference.trimBlankLines(cell.stdout())).as("%s prints", where)
                        .isEqualTo(sections.get(cell.referenceSection()));
                sectionsPrinted++;
                continue;
            }
            if (next >= blocks.size() || blocks.get(next).number() != cell.referenceCell()) {
                softly.fail("%s: next reference block is %s", where,
                        next < blocks.size() ? "In [" + blocks.get(next).number() + "]" : "none");
                continue;
            }
            softly.assertThat(Reference.trimBlankLines(cell.stdout())).as("%s prints", where)
                    .isEqualTo(blocks.get(next).text());
            next++;
        }
        softly.assertThat(next).as("%s: reference blocks of %s matched", name, source.reference())
                .isEqualTo(blocks.size());
        softly.assertThat(next + sectionsPrinted).as("%s: cells printing PyTorch's output", name).isPositive();
        softly.assertAll();
    }

    /** Null when {@code jupyter nbconvert} runs, otherwise what is wrong. */
    private String jupyterProblem() throws InterruptedException {
        try {
            Result r = run(List.of("jupyter", "nbconvert", "--version"), workDir.resolve("nbconvert-version.log"), 120);
            return r.code() == 0 ? null : "'jupyter nbconvert --version' failed: " + tail(r.output()).strip();
        } catch (IOException e) {
            return "no 'jupyter' command on the PATH (" + e.getMessage() + ")";
        }
    }

    private record Result(int code, String output) {
    }

    /** Runs a command with a Jupyter of its own (kernel specs, config and runtime files under target/). */
    private Result run(List<String> command, Path log, long timeoutSeconds) throws IOException, InterruptedException {
        Files.createDirectories(log.getParent());
        ProcessBuilder pb = new ProcessBuilder(command).directory(base.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        env.put("JUPYTER_PATH", jupyterDir.toAbsolutePath().toString());
        env.put("JUPYTER_DATA_DIR", jupyterDir.resolve("data").toAbsolutePath().toString());
        env.put("JUPYTER_CONFIG_DIR", jupyterDir.resolve("config").toAbsolutePath().toString());
        env.put("JUPYTER_RUNTIME_DIR", jupyterDir.resolve("runtime").toAbsolutePath().toString());
        env.put("PYDEVD_DISABLE_FILE_VALIDATION", "1");
        Process p = pb.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor();
            return new Result(-1, "timed out after " + timeoutSeconds + " s\n" + Files.readString(log));
        }
        return new Result(p.exitValue(), Files.readString(log));
    }

    private static String tail(String s) {
        List<String> lines = new ArrayList<>(List.of(s.split("\n")));
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }
}
