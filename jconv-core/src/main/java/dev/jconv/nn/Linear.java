package dev.jconv.nn;

import dev.jconv.storage.DType;
import dev.jconv.storage.Shape;
import dev.jconv.tensor.Tensor;

/** A fully connected layer {@code y = x·Wᵀ + b}, initialised as {@code nn.Linear} (same random stream). */
public class Linear extends Module {
    int inFeatures;
    private final int outFeatures;
    private final Parameter weight;
    private final Parameter bias;

    public Linear(int inFeatures, int outFeatures) {
        this(inFeatures, outFeatures, true);
    }

    public Linear(int inFeatures, int outFeatures, boolean bias) {
        if (inFeatures < 0 || outFeatures <= 0) {
            throw new IllegalArgumentException("Linear needs positive sizes, got in_features=" + inFeatures
                    + ", out_features=" + outFeatures);
        }
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        weight = registerParameter("weight", Parameter.uninitialized());
        this.bias = registerParameter("bias", bias ? Parameter.uninitialized() : null);
        if (inFeatures > 0) {
            initialize(DType.FLOAT32);
        }
    }

    /** Draws the weight, then the bias, as {@code nn.Linear.reset_parameters} does. */
    final void initialize(DType dtype) {
        Init.resetLayer(weight, Shape.of(outFeatures, inFeatures), bias, outFeatures, inFeatures, dtype);
    }

    /** Whether the weights exist yet (always, except for a lazy layer before its first call). */
    boolean isInitialized() {
        return weight.isMaterialized();
    }

    /** The number of output features. */
    public int outFeatures() {
        return outFeatures;
    }

    public Parameter weight() {
        return weight;
    }

    public Parameter bias() {
        return bias;
    }

    @Override
    public Tensor forward(Tensor input) {
        return Functional.linear(input, weight, bias);
    }

    @Override
    protected String name() {
        return "Linear";
    }

    @Override
    protected String extraRepr() {
        return "in_features=" + inFeatures + ", out_features=" + outFeatures + ", bias=" + (bias != null ? "True" : "False");
    }
}
