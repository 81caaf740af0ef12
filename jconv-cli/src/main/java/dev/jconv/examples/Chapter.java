package dev.jconv.examples;

/** A runnable chapter: code cells whose printed output matches what PyTorch prints for the same cells. */
public interface Chapter {
    /** The name used on the command line ({@code ./jconv chapter NAME}). */
    String name();

    /** The chapter's title. */
    String title();

    /**
     * Runs every cell in order into {@code notebook}.
     *
     * @param seed null to replay the recorded notebook; otherwise the value given to {@code manualSeed}
     */
    void run(Notebook notebook, Long seed);
}
