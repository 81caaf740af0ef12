package dev.jconv.autograd;

/**
 * A scope in which operations are not recorded for autograd, like {@code with torch.no_grad():}.
 * <pre>{@code try (var ignored = Tensor.noGrad()) { ... } }</pre>
 */
public final class NoGrad implements AutoCloseable {
    private final boolean[] flag;
    private final boolean previous;

    NoGrad(boolean[] flag, boolean previous) {
        this.flag = flag;
        this.previous = previous;
    }

    /** Restores the grad mode that was in force when the scope opened. */
    @Override
    public void close() {
        flag[0] = previous;
    }
}
