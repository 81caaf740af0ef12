package dev.jconv.cli;

import java.io.PrintStream;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code test} and {@code notebook}: run by the {@code ./jconv} launcher script (they need Maven or Jupyter,
 * not the jar). They are commands here too so that {@code jconv help} lists them and each has a
 * {@code --help}; started through the jar, they say where they live.
 */
final class LauncherCommands {
    private LauncherCommands() {
    }

    /** {@code ./jconv test}: the whole test suite. */
    @Command(name = "test", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "Build and run the whole test suite (mvn verify).",
            footer = {"", "Run by the ./jconv launcher script; extra arguments go to Maven."})
    static final class Test extends JconvCommand {
        @Parameters(arity = "0..*", paramLabel = "MAVEN-ARGS", description = "passed on to mvn verify")
        List<String> args;

        Test(PrintStream out) {
            super(out);
        }

        @Override
        public Integer call() {
            throw usage("'test' is run by the launcher script: use ./jconv test");
        }
    }

    /** {@code ./jconv notebook [install]}: Jupyter on the chapters' notebooks. */
    @Command(name = "notebook", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "Start Jupyter on notebooks/ with the Java kernel.",
            footer = {"", "Run by the ./jconv launcher script. 'notebook install' only installs the",
                    "kernel \"Java (jconv)\"; other arguments go to Jupyter."})
    static final class Notebook extends JconvCommand {
        @Parameters(arity = "0..*", paramLabel = "install|JUPYTER-ARGS", description = "install, or options for Jupyter")
        List<String> args;

        Notebook(PrintStream out) {
            super(out);
        }

        @Override
        public Integer call() {
            throw usage("'notebook' is run by the launcher script: use ./jconv notebook");
        }
    }
}
