package dev.jconv.cli;

import dev.jconv.examples.Chapter;
import dev.jconv.examples.Chapters;
import dev.jconv.examples.Notebook;
import java.io.PrintStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code jconv chapter [NAME] [--list] [--seed N]}: runs a chapter's cells, printing what PyTorch prints. */
@Command(name = "chapter", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Run a chapter's cells (default: the convolutions chapter).")
final class ChapterCommand extends JconvCommand {
    @Parameters(arity = "0..1", paramLabel = "NAME", description = "convolutions (default), channels or pooling")
    String name;

    @Option(names = "--list", description = "list the chapters and exit")
    boolean list;

    @Option(names = "--seed", paramLabel = "N",
            description = "draw the random start from manualSeed(N) (default: the chapter's own tensors)")
    Long seed;

    ChapterCommand(PrintStream out) {
        super(out);
    }

    @Override
    public Integer call() {
        if (list) {
            for (Chapter c : Chapters.all()) {
                out.println(c.name() + "  " + c.title());
            }
            return 0;
        }
        Chapter chapter;
        try {
            chapter = Chapters.named(name);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        chapter.run(new Notebook(out::print), seed);
        return 0;
    }
}
