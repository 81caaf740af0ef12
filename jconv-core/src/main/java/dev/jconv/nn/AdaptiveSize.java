package dev.jconv.nn;

/** An adaptive pooling's output size: (h, w) with null for "as the input", printed as PyTorch prints it. */
record AdaptiveSize(Integer h, Integer w, boolean single) {
    static AdaptiveSize of(int size) {
        return new AdaptiveSize(size, size, true);
    }

    static AdaptiveSize of(Integer h, Integer w) {
        return new AdaptiveSize(h, w, false);
    }

    @Override
    public String toString() {
        return single ? h.toString() : "(" + (h == null ? "None" : h) + ", " + (w == null ? "None" : w) + ")";
    }
}
