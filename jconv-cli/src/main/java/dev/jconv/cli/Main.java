package dev.jconv.cli;

import dev.jconv.kernels.Parallel;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code jconv} command line, on picocli: one class per command ({@link ChapterCommand},
 * {@link ShapeCommand}, {@link SummaryCommand}, {@link TrainCommand}, {@link PredictCommand},
 * {@link VerifyCommand}, and the launcher's {@code test} and {@code notebook}). Exit codes: 0 success, 1 failure
 * while running, 2 usage error; every error is one line on stderr starting {@code jconv: } (a stack trace only with
 * {@code --stacktrace}).
 */
@Command(name = "jconv", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Convolutional neural networks in pure Java, following Dive into Deep Learning.",
        synopsisSubcommandLabel = "COMMAND",
        footer = {"",
                "Run 'jconv help COMMAND' or 'jconv COMMAND --help' for a command's options.",
                "test and notebook are run by the ./jconv launcher script.",
                "Exit codes: 0 success; 2 usage error (an unknown command or option, a bad",
                "or missing value); 1 failure while running (a missing or mismatched file,",
                "failed checks). Errors are one line on stderr (--stacktrace for details)."})
public final class Main extends JconvCommand {
    /** Exit code of a usage error: the command line is wrong. */
    public static final int USAGE = 2;
    /** Exit code of a failure while running a well-formed command. */
    public static final int FAILURE = 1;

    private Main(PrintStream out) {
        super(out);
    }

    /** Runs the command line and exits with its code. */
    public static void main(String[] args) {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
        System.exit(run(args, out, err));
    }

    /** Runs one command, results to {@code out} and errors to the process's stderr; returns the exit code. */
    public static int run(String[] args, PrintStream out) {
        return run(args, out, System.err);
    }

    /** Runs one command, results to {@code out} and errors to {@code err}; returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        CommandLine cl = commandLine(out, err);
        int code = cl.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    private static CommandLine commandLine(PrintStream out, PrintStream err) {
        CommandLine cl = new CommandLine(new Main(out))
                .addSubcommand(new ChapterCommand(out))
                .addSubcommand(new ShapeCommand(out))
                .addSubcommand(new SummaryCommand(out))
                .addSubcommand(new TrainCommand(out))
                .addSubcommand(new PredictCommand(out))
                .addSubcommand(new VerifyCommand(out))
                .addSubcommand(new LauncherCommands.Test(out))
                .addSubcommand(new LauncherCommands.Notebook(out))
                .addSubcommand(new CommandLine.HelpCommand());
        cl.setOut(new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true));
        cl.setErr(new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true));
        cl.setExecutionStrategy(parsed -> {
            Integer threads = null;
            for (CommandLine c : parsed.asCommandLineList()) {
                if (c.getCommand() instanceof JconvCommand j && j.common.threads() != null) {
                    threads = j.common.threads();
                }
            }
            if (threads != null) {
                Parallel.setThreads(threads);
            }
            return new CommandLine.RunLast().execute(parsed);
        });
        cl.setParameterExceptionHandler((e, args) -> usageError(e, err));
        cl.setExecutionExceptionHandler((e, c, parsed) -> failure(e, parsed, err));
        return cl;
    }

    /** With no command: the usage, and the exit code of a usage error. */
    @Override
    public Integer call() {
        spec.commandLine().usage(out);
        return USAGE;
    }

    private static int usageError(ParameterException e, PrintStream err) {
        CommandLine c = e.getCommandLine();
        String message = e.getMessage();
        List<String> unmatched = e instanceof UnmatchedArgumentException u ? u.getUnmatched() : c.getUnmatchedArguments();
        if (!unmatched.isEmpty()) {
            // Also when picocli found a required option missing first: "--weight" is the cause of "no --weights".
            String first = unmatched.getFirst();
            if (first.startsWith("-")) {
                message = "unknown option '" + first + "'";
            } else if (c.getCommandSpec().parent() == null) {
                message = "unknown command '" + first + "'";
            } else {
                message = "unexpected argument '" + first + "'";
            }
            List<String> suggestions = e instanceof UnmatchedArgumentException u ? u.getSuggestions()
                    : new UnmatchedArgumentException(c, unmatched).getSuggestions();
            if (!suggestions.isEmpty()) {
                message += " (did you mean " + String.join(" or ", suggestions.subList(0, Math.min(3,
                        suggestions.size()))) + "?)";
            }
        }
        String name = c.getCommandSpec().qualifiedName();
        err.println("jconv: " + oneLine(message) + "; see '" + name + " --help'");
        return USAGE;
    }

    private static int failure(Exception e, ParseResult parsed, PrintStream err) {
        boolean trace = false;
        for (CommandLine c : parsed.asCommandLineList()) {
            trace |= c.getCommand() instanceof JconvCommand j && j.common.stacktrace;
        }
        if (trace) {
            e.printStackTrace(err);
        } else {
            err.println("jconv: " + describe(e));
        }
        return FAILURE;
    }

    /** The one-line report of a failure; for unexpected exceptions, their type and a pointer to --stacktrace. */
    private static String describe(Exception e) {
        String message = e.getMessage() == null ? "" : oneLine(e.getMessage());
        boolean expected = e instanceof JconvCommand.Failure || e instanceof IllegalArgumentException
                || e instanceof IllegalStateException || e instanceof UncheckedIOException;
        if (expected && !message.isEmpty()) {
            return message;
        }
        return e.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message)
                + " (run again with --stacktrace for details)";
    }

    /** Messages from the library may span lines (state-dict mismatches list one problem per line). */
    static String oneLine(String message) {
        return message.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
