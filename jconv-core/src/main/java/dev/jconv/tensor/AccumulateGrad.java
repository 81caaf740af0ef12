package dev.jconv.tensor;

import dev.jconv.autograd.Node;
import java.util.List;

/** The graph's end at a leaf tensor: adds the arriving gradient into the leaf's {@code grad()}. */
final class AccumulateGrad extends Node<Tensor> {
    private final Tensor leaf;

    AccumulateGrad(Tensor leaf) {
        super(List.of());
        this.leaf = leaf;
    }

    @Override
    public String name() {
        return "AccumulateGrad";
    }

    @Override
    protected boolean freedAfterBackward() {
        return false;
    }

    @Override
    protected List<Tensor> backward(Tensor gradOutput) {
        if (!gradOutput.shape().equals(leaf.shape())) {
            throw new IllegalStateException("gradient of shape " + gradOutput.shape().dimsString()
                    + " arrived at a leaf of shape " + leaf.shape().dimsString());
        }
        Tensor current = leaf.grad();
        if (current == null) {
            Tensor own = gradOutput.dtype() == leaf.dtype() ? gradOutput.takeUnshared() : null;
            // A gradient nothing else holds (a convolution's input gradient, say) is kept as it is; any other
            // may be shared with another branch of the graph or with the caller, so it is copied.
            leaf.setGrad(own != null ? own.detach() : gradOutput.to(leaf.dtype()).detach().cloneData());
        } else {
            current.add_(gradOutput);
        }
        return List.of();
    }
}
