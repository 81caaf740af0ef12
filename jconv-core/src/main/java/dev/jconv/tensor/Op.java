package dev.jconv.tensor;

import dev.jconv.autograd.GradMode;
import dev.jconv.autograd.Node;
import dev.jconv.storage.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A recorded tensor operation: remembers its inputs' graph edges and shapes, the tensors it saved for the
 * backward pass (with their storage versions, to catch in-place writes), and checks that every gradient
 * it returns has its input's shape.
 */
abstract class Op extends Node<Tensor> {
    private final Shape[] inputShapes;
    private final List<Tensor> saved = new ArrayList<>();
    private final List<Integer> savedVersions = new ArrayList<>();

    Op(Tensor... inputs) {
        super(edges(inputs));
        inputShapes = new Shape[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            inputShapes[i] = inputs[i] == null ? null : inputs[i].shape();
        }
    }

    private static List<Node<Tensor>> edges(Tensor... inputs) {
        List<Node<Tensor>> edges = new ArrayList<>(inputs.length);
        for (Tensor t : inputs) {
            edges.add(t == null ? null : t.gradEdge());
        }
        return edges;
    }

    /** True when an op on these inputs must be recorded. */
    static boolean needed(Tensor... inputs) {
        if (!GradMode.isEnabled()) {
            return false;
        }
        for (Tensor t : inputs) {
            if (t != null && t.requiresGrad()) {
                return true;
            }
        }
        return false;
    }

    /** Keeps {@code t} for the backward pass and returns its slot. */
    final int save(Tensor t) {
        saved.add(t);
        savedVersions.add(t.storage().version());
        return saved.size() - 1;
    }

    /** A saved tensor, after checking nobody wrote to it in place since it was saved. */
    final Tensor saved(int slot) {
        Tensor t = saved.get(slot);
        int expected = savedVersions.get(slot);
        if (t.storage().version() != expected) {
            throw new IllegalStateException("one of the variables needed for gradient computation has been modified "
                    + "by an inplace operation: tensor of size " + t.shape().dimsString() + " used by " + name()
                    + " is at version " + t.storage().version() + "; expected version " + expected + " instead");
        }
        return t;
    }

    /** The gradients of the inputs, in constructor order; null where no gradient is needed. */
    abstract Tensor[] gradients(Tensor gradOutput);

    @Override
    protected final List<Tensor> backward(Tensor gradOutput) {
        Tensor[] grads = gradients(gradOutput);
        for (int i = 0; i < grads.length; i++) {
            for (int j = i + 1; j < grads.length && grads[i] != null; j++) {
                if (grads[j] != null && grads[j].storage() == grads[i].storage()) {
                    // One gradient's storage for two inputs (an addition passes its gradient to both, maybe one
                    // as a view): no backward further down may write over it.
                    grads[i].takeUnshared();
                    grads[j].takeUnshared();
                }
            }
            if (grads[i] != null && inputShapes[i] != null && !grads[i].shape().equals(inputShapes[i])) {
                throw new IllegalStateException(name() + " returned a gradient of shape " + grads[i].shape().dimsString()
                        + " for input " + i + " of shape " + inputShapes[i].dimsString());
            }
        }
        return Arrays.asList(grads);
    }

    @Override
    protected void releaseSaved() {
        saved.clear();
    }

    /** The shape of input {@code i}. */
    final Shape inputShape(int i) {
        return inputShapes[i];
    }

    /** Whether input {@code i} takes part in the graph (only those need a gradient computed). */
    final boolean needsGrad(int i) {
        return inputs().get(i) != null;
    }

    /**
     * As {@link #recordUnary(String, Tensor, Tensor, java.util.function.UnaryOperator)}, for a backward that reads
     * {@code used} (saved, and checked for in-place writes before the backward runs).
     */
    static Tensor recordUnary(String name, Tensor in, Tensor out, Tensor used,
                              java.util.function.UnaryOperator<Tensor> back) {
        if (needed(in)) {
            out.setGradFn(new Op(in) {
                private final int slot = save(used);

                @Override
                public String name() {
                    return name;
                }

                @Override
                Tensor[] gradients(Tensor g) {
                    saved(slot);
                    return new Tensor[] {back.apply(g)};
                }
            });
        }
        return out;
    }

    /** Records {@code out} as made from {@code in} by an op whose backward is {@code back}; returns out. */
    static Tensor recordUnary(String name, Tensor in, Tensor out, java.util.function.UnaryOperator<Tensor> back) {
        if (needed(in)) {
            out.setGradFn(new Op(in) {
                @Override
                public String name() {
                    return name;
                }

                @Override
                Tensor[] gradients(Tensor g) {
                    return new Tensor[] {back.apply(g)};
                }
            });
        }
        return out;
    }
}
