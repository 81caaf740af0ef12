package dev.jconv.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The options every command takes: {@code --threads N} and {@code --stacktrace}. A mixin, so they are accepted
 * both before and after the command name ({@code jconv --threads 2 train}, {@code jconv train --threads 2}).
 */
final class CommonOptions {
    /** The most kernel threads accepted: far more than any machine jconv runs on, small enough to catch typos. */
    static final int MAX_THREADS = 256;

    @Spec(Spec.Target.MIXEE)
    private CommandSpec mixee;

    private Integer threads;

    @Option(names = "--stacktrace", description = "on a failure, print the exception's stack trace, not one line")
    boolean stacktrace;

    @Option(names = "--threads", paramLabel = "N",
            description = "kernel threads, 1.." + MAX_THREADS + " (default: all processors); results are the same for any N")
    void threads(int n) {
        // Checked here, while parsing, so a bad count is a usage error (exit 2) before anything runs.
        if (n < 1 || n > MAX_THREADS) {
            throw new ParameterException(mixee.commandLine(),
                    "--threads must be between 1 and " + MAX_THREADS + ", got " + n);
        }
        threads = n;
    }

    /** The thread count given, or null. */
    Integer threads() {
        return threads;
    }
}
