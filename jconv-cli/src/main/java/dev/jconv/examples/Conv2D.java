package dev.jconv.examples;

import dev.jconv.nn.Module;
import dev.jconv.nn.Parameter;
import dev.jconv.random.Generator;
import dev.jconv.storage.DType;
import dev.jconv.storage.Shape;
import dev.jconv.tensor.Tensor;

/**
 * How to write a module of your own: a 2-D convolution layer built on {@link Corr2d#corr2d}, with a weight
 * drawn uniformly from [0, 1) and a zero bias, both registered as parameters so optimizers find them.
 */
public class Conv2D extends Module {
    private final Parameter weight;
    private final Parameter bias;

    /** A layer with a {@code kh × kw} kernel drawn from the global generator. */
    public Conv2D(int kh, int kw) {
        this(kh, kw, Generator.defaultGenerator());
    }

    /** A layer whose kernel is drawn from {@code generator}. */
    public Conv2D(int kh, int kw, Generator generator) {
        weight = registerParameter("weight", new Parameter(Tensor.rand(Shape.of(kh, kw), DType.FLOAT32, generator)));
        bias = registerParameter("bias", new Parameter(Tensor.zeros(1)));
    }

    public Parameter weight() {
        return weight;
    }

    public Parameter bias() {
        return bias;
    }

    @Override
    public Tensor forward(Tensor x) {
        return Corr2d.corr2d(x, weight).add(bias);
    }
}
