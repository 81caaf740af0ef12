package dev.jconv.autograd;

import java.util.List;

/**
 * One recorded operation in the autograd graph. It receives the gradient of its output and returns the
 * gradients of its inputs, in the order of {@link #inputs()}; an entry is {@code null} when that input
 * needs no gradient. The engine is generic in the gradient type so that it sits below the tensor layer.
 *
 * @param <T> the gradient type (the tensor class)
 */
public abstract class Node<T> {
    private List<Node<T>> inputs;
    private boolean released;

    /** @param inputs the nodes producing each input's gradient flow; {@code null} for inputs without one */
    protected Node(List<Node<T>> inputs) {
        this.inputs = inputs;
    }

    /** The graph edges, one per differentiable input (entries may be {@code null}). */
    public final List<Node<T>> inputs() {
        return inputs;
    }

    /** PyTorch's name for this node, e.g. {@code MulBackward0}, shown in {@code grad_fn=<...>}. */
    public abstract String name();

    /** Computes the input gradients from the output gradient. */
    protected abstract List<T> backward(T gradOutput);

    /** Drops what the node saved for the backward pass, so a finished graph does not hold memory. */
    protected void releaseSaved() {
    }

    /** False for nodes that outlive one backward pass (a leaf's gradient accumulator). */
    protected boolean freedAfterBackward() {
        return true;
    }

    final List<T> apply(T gradOutput) {
        if (released) {
            throw new IllegalStateException("Trying to backward through the graph a second time (or directly access "
                    + "saved tensors after they have already been freed) at " + name()
                    + ": call backward(gradient, true) the first time to retain the graph");
        }
        return backward(gradOutput);
    }

    final void release() {
        if (!freedAfterBackward()) {
            return;
        }
        released = true;
        releaseSaved();
        // Cut the edges too: a node's backward closure holds tensors that releaseSaved cannot reach, and a loss
        // kept after its backward (the training loop's variable) otherwise keeps every activation of the step
        // reachable until the next step replaces it. A released node can never run again, so nothing reads them.
        inputs = List.of();
    }

    @Override
    public String toString() {
        return "<" + name() + ">";
    }
}
