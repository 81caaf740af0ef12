package dev.jconv.data;

import java.nio.file.Path;

/**
 * A data file that cannot be what it claims to be: wrong magic number, truncated, trailing bytes, sizes in
 * its header that disagree with its contents. The message names the file and the problem.
 */
public class MalformedDataException extends IllegalArgumentException {
    private final transient Path file;

    /** A problem {@code problem} found in {@code file}. */
    public MalformedDataException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    /** A problem found in {@code file}, caused by {@code cause} (e.g. a corrupt compressed stream). */
    public MalformedDataException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    /** The file at fault. */
    public Path file() {
        return file;
    }
}
