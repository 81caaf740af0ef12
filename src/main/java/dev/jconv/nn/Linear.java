package dev.jconv.nn;

import dev.jconv.random.Generator;
import dev.jconv.random.Init;
import dev.jconv.storage.Shape;
import dev.jconv.tensor.Tensor;

/** A fully connected layer {@code y = x·Wᵀ + b}, initialised as {@code nn.Linear} (same random stream). */
public class Linear extends Module {
    private final int inFeatures;
    private final int outFeatures;
    private final Parameter weight;
    private final Parameter bias;

    public Linear(int inFeatures, int outFeatures) {
        this(inFeatures, outFeatures, true);
    }

    public Linear(int inFeatures, int outFeatures, boolean bias) {
        if (inFeatures <= 0 || outFeatures <= 0) {
            throw new IllegalArgumentException("Linear needs positive sizes, got in_features=" + inFeatures
                    + ", out_features=" + outFeatures);
        }
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        Generator g = Generator.defaultGenerator();
        float[] w = Init.kaimingUniformDefault(g, outFeatures * inFeatures, inFeatures);
        weight = registerParameter("weight", new Parameter(Tensor.of(w).reshape(Shape.of(outFeatures, inFeatures))));
        this.bias = registerParameter("bias",
                bias ? new Parameter(Tensor.of(Init.biasUniformDefault(g, outFeatures, inFeatures))) : null);
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
    protected String extraRepr() {
        return "in_features=" + inFeatures + ", out_features=" + outFeatures + ", bias=" + (bias != null ? "True" : "False");
    }
}
