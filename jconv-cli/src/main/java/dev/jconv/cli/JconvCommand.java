package dev.jconv.cli;

import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * What every jconv command shares: the common options, the stream results are printed to, and the two ways
 * to fail — {@link #usage} (exit 2: the command line is wrong) and {@link Failure} (exit 1: it is right, but
 * a file or the work itself is not).
 */
abstract class JconvCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    /** Where results go (the process's stdout, or a test's buffer). */
    final PrintStream out;

    JconvCommand(PrintStream out) {
        this.out = out;
    }

    /** A usage error of this command, reported in one line with exit code 2. */
    final ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /** A failure while running a well-formed command: one line on stderr, exit code 1. */
    static final class Failure extends RuntimeException {
        Failure(String message) {
            super(message);
        }

        Failure(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
