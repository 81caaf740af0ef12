package dev.jconv.nn;

import dev.jconv.random.Generator;
import dev.jconv.storage.DType;
import dev.jconv.storage.Shape;
import dev.jconv.tensor.Tensor;

/**
 * Weight initialisers, like {@code torch.nn.init}: each draws from a generator (the global one unless
 * given) with PyTorch's bounds, so after {@code manualSeed} the values are PyTorch's.
 */
public final class Init {
    private Init() {
    }

    /** Values uniform in [-bound, bound) of the given shape and dtype. */
    public static Tensor uniform(Generator g, Shape shape, double bound, DType dtype) {
        int n = shape.numel();
        double[] v;
        if (dtype == DType.FLOAT32) {
            float[] f = g.uniformFloat(n, -bound, bound);
            v = new double[n];
            for (int i = 0; i < n; i++) {
                v[i] = f[i];
            }
        } else if (dtype == DType.FLOAT64) {
            v = g.uniformDouble(n, -bound, bound);
        } else {
            throw new IllegalArgumentException("initialisers need a floating point dtype, got " + dtype);
        }
        return Tensor.fromArray(v, shape, dtype);
    }

    /**
     * PyTorch's {@code reset_parameters} of convolution and linear layers: the weight, then the bias (if
     * any, of the weight's first size), uniform from the global generator with the default bounds for
     * {@code fanIn}. Both parameters are filled in place, keeping their identity.
     */
    static void resetLayer(Parameter weight, Shape weightShape, Parameter bias, int biasSize, int fanIn, DType dtype) {
        Generator g = Generator.defaultGenerator();
        weight.materialize(uniform(g, weightShape, kaimingUniformBound(fanIn), dtype));
        if (bias != null) {
            bias.materialize(uniform(g, Shape.of(biasSize), biasUniformBound(fanIn), dtype));
        }
    }

    /** PyTorch's default weight bound for a layer: Kaiming-uniform with a = √5, i.e. 1/√fanIn. */
    public static double kaimingUniformBound(int fanIn) {
        return dev.jconv.random.Init.kaimingUniformBound(fanIn);
    }

    /** PyTorch's default bias bound: 1/√fanIn. */
    public static double biasUniformBound(int fanIn) {
        return dev.jconv.random.Init.biasUniformBound(fanIn);
    }

    /**
     * Fills {@code p} in place with Xavier (Glorot) uniform values, bound {@code gain·√(6 / (fanIn + fanOut))},
     * fans computed as PyTorch does (dimension 1 and 0 times the receptive field size).
     */
    public static void xavierUniform(Parameter p, double gain, Generator g) {
        int[] fans = fans(p);
        double bound = gain * Math.sqrt(6.0 / (fans[0] + fans[1]));
        fill(p, uniform(g, p.shape(), bound, p.dtype()));
    }

    /** Xavier uniform with gain 1 from the global generator. */
    public static void xavierUniform(Parameter p) {
        xavierUniform(p, 1.0, Generator.defaultGenerator());
    }

    /** Kaiming (He) uniform for ReLU layers: bound √2·√(3 / fanIn). */
    public static void kaimingUniform(Parameter p, Generator g) {
        double bound = Math.sqrt(2.0) * Math.sqrt(3.0 / fans(p)[0]);
        fill(p, uniform(g, p.shape(), bound, p.dtype()));
    }

    /** Sets every element of {@code p} to 0. */
    public static void zeros(Parameter p) {
        try (var ignored = Tensor.noGrad()) {
            p.zero_();
        }
    }

    private static void fill(Parameter p, Tensor values) {
        try (var ignored = Tensor.noGrad()) {
            p.copy_(values);
        }
    }

    /** (fanIn, fanOut) of a weight: size(1)·receptive field and size(0)·receptive field. */
    private static int[] fans(Parameter p) {
        if (p.dim() < 2) {
            throw new IllegalArgumentException("Fan in and fan out can not be computed for tensor with fewer than 2 "
                    + "dimensions (shape " + p.shape().dimsString() + ")");
        }
        int receptive = 1;
        for (int d = 2; d < p.dim(); d++) {
            receptive *= p.size(d);
        }
        return new int[] {p.size(1) * receptive, p.size(0) * receptive};
    }
}
