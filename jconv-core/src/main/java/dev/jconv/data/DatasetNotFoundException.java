package dev.jconv.data;

/**
 * A data set's files are not where they were looked for. The message says where jconv looked and how to
 * get the files; jconv never downloads anything.
 */
public class DatasetNotFoundException extends IllegalStateException {
    /** A data set missing, described by {@code message}. */
    public DatasetNotFoundException(String message) {
        super(message);
    }
}
