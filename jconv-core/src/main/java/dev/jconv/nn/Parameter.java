package dev.jconv.nn;

import dev.jconv.tensor.Tensor;

/**
 * A tensor that belongs to a module and is trained: a leaf that requires gradients. Prints as PyTorch's
 * {@code Parameter containing:} block. A lazy module's parameter starts uninitialised and is filled in,
 * keeping its identity, on the module's first call, so an optimizer made before that call still sees it.
 */
public class Parameter extends Tensor {
    private boolean materialized;

    /** A parameter over {@code data}'s values (shared, not copied), requiring gradients. */
    public Parameter(Tensor data) {
        super(data.detach());
        requiresGrad(true);
        materialized = true;
    }

    private Parameter() {
        super(Tensor.zeros(0));
        requiresGrad(true);
    }

    /** A placeholder whose shape is not known yet (PyTorch's {@code UninitializedParameter}). */
    public static Parameter uninitialized() {
        return new Parameter();
    }

    /** False until a lazy module has given this parameter its shape and values. */
    public boolean isMaterialized() {
        return materialized;
    }

    /** Gives an uninitialised parameter its values; the object stays the same. */
    public void materialize(Tensor data) {
        if (materialized) {
            throw new IllegalStateException("parameter is already initialised with shape " + shape().dimsString());
        }
        replaceData(data.detach());
        materialized = true;
    }

    @Override
    public String toString() {
        if (!materialized) {
            return "<UninitializedParameter>";
        }
        return "Parameter containing:\n" + super.toString();
    }
}
