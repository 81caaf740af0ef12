package dev.jconv.cli;

import dev.jconv.storage.DType;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code jconv verify FILE [--dtype D]}: runs conformance vectors; exit 1 when any case fails. */
@Command(name = "verify", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Run conformance vectors; print each failure and a summary.", "FILE is JSON in the format jconv-conformance/1."},
        footer = {"", "Exit code 1 when any case fails."})
final class VerifyCommand extends JconvCommand {
    @Parameters(index = "0", paramLabel = "FILE", description = "the vector file, e.g. jconv-core/src/test/resources/reference/public.json")
    Path file;

    @Option(names = "--dtype", paramLabel = "DTYPE", defaultValue = "float64",
            description = "float32 or float64 (default: ${DEFAULT-VALUE})")
    String dtype;

    VerifyCommand(PrintStream out) {
        super(out);
    }

    @Override
    public Integer call() {
        DType d;
        try {
            d = Conformance.dtypeNamed(dtype);
        } catch (IllegalArgumentException e) {
            throw usage("--dtype: " + e.getMessage());
        }
        if (!Files.exists(file)) {
            throw new Failure(file + " does not exist");
        }
        String json;
        try {
            json = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new Failure("cannot read " + file + ": " + e.getMessage(), e);
        }
        Conformance.Report report = Conformance.run(json, d);
        report.failures().forEach(out::println);
        out.println(report.summary());
        return report.failed() == 0 ? 0 : 1;
    }
}
