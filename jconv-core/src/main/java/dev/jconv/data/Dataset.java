package dev.jconv.data;

/**
 * A collection of labelled examples reached by index, like PyTorch's map-style {@code Dataset}. A
 * {@link DataLoader} reads it from a background thread, so {@link #get} must be safe to call from any
 * thread (immutable data sets are).
 */
public interface Dataset {
    /** The number of examples ({@code len(dataset)}). */
    int size();

    /**
     * Example {@code index}, 0 ≤ index &lt; {@link #size()}.
     *
     * @throws IndexOutOfBoundsException if the index is out of range
     */
    Example get(int index);
}
