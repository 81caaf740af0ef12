package dev.jconv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.jconv.random.Generator;
import dev.jconv.storage.DType;
import dev.jconv.storage.Shape;
import dev.jconv.tensor.Tensor;
import java.util.Arrays;
import java.util.function.Function;

/**
 * Finite-difference gradient check, like {@code torch.autograd.gradcheck}: compares the gradients autograd
 * computes for {@code sum(f(x) * w)} with central differences of the same function.
 *
 * <p>{@code w} is a fixed random tensor rather than ones, so the backward rules see a non-uniform upstream
 * gradient; with ones, a rule that e.g. forgot to permute or slice the incoming gradient could still pass.
 * Inputs must be float64 leaves; only those with {@code requiresGrad()} are checked.
 */
public final class GradCheck {
    /** Central-difference step: small enough for O(eps²) truncation error, large enough for float64 roundoff. */
    public static final double EPS = 1e-6;
    /** Allowed |autograd - numeric| is {@code ATOL + RTOL·|numeric|}. */
    public static final double ATOL = 1e-6;
    public static final double RTOL = 1e-6;

    private static final long WEIGHT_SEED = 20240607L;

    private GradCheck() {
    }

    /** A float64 leaf of standard normal values that requires grad. */
    public static Tensor randn(Generator g, int... sizes) {
        return Tensor.randn(Shape.of(sizes), DType.FLOAT64, g).requiresGrad(true);
    }

    /** A float64 leaf with values uniform in [low, high) that requires grad (for log, sqrt, pow, …). */
    public static Tensor uniform(Generator g, double low, double high, int... sizes) {
        Tensor u = Tensor.rand(Shape.of(sizes), DType.FLOAT64, g);
        return u.mul(high - low).add(low).detach().requiresGrad(true);
    }

    /** Asserts that autograd's gradient of {@code sum(f(inputs) * w)} matches finite differences for every input. */
    public static void check(Function<Tensor[], Tensor> f, Tensor... inputs) {
        check("", f, inputs);
    }

    /** As {@link #check(Function, Tensor...)}, naming the case (e.g. a random configuration) in failures. */
    public static void check(String description, Function<Tensor[], Tensor> f, Tensor... inputs) {
        for (Tensor x : inputs) {
            assertThat(x.dtype()).as("gradcheck needs float64 inputs").isEqualTo(DType.FLOAT64);
            assertThat(x.isLeaf()).as("gradcheck inputs must be leaves").isTrue();
            x.setGrad(null);
        }
        Tensor out = f.apply(inputs);
        assertThat(out.dtype()).as("output dtype").isEqualTo(DType.FLOAT64);
        assertThat(out.requiresGrad()).as("output of an op on inputs requiring grad records a graph").isTrue();
        double[] w = Tensor.randn(out.shape(), DType.FLOAT64, new Generator(WEIGHT_SEED)).toArray();
        out.mul(Tensor.fromArray(w, out.shape(), DType.FLOAT64)).sum().backward();

        for (int i = 0; i < inputs.length; i++) {
            if (inputs[i].requiresGrad()) {
                compare(description, f, inputs, i, w);
            }
        }
    }

    private static void compare(String description, Function<Tensor[], Tensor> f, Tensor[] inputs, int which,
                                double[] w) {
        Tensor x = inputs[which];
        Tensor grad = x.grad();
        double[] analytic;
        if (grad == null) {
            analytic = new double[x.numel()]; // no path from this input: autograd leaves grad unset, meaning zeros
        } else {
            assertThat(grad.shape()).as("shape of the gradient of input %d", which).isEqualTo(x.shape());
            assertThat(grad.dtype()).as("dtype of the gradient of input %d", which).isEqualTo(DType.FLOAT64);
            analytic = grad.toArray();
        }
        double[] numeric = numericGradient(f, inputs, which, w);

        int worst = -1;
        double worstRatio = 0;
        for (int k = 0; k < numeric.length; k++) {
            double allowed = ATOL + RTOL * Math.abs(numeric[k]);
            double ratio = Math.abs(analytic[k] - numeric[k]) / allowed;
            if (Double.isNaN(ratio)) {
                ratio = Double.POSITIVE_INFINITY; // a NaN gradient is as wrong as it gets
            }
            if (ratio > worstRatio) {
                worst = k;
                worstRatio = ratio;
            }
        }
        if (worstRatio > 1) {
            fail("%sgradient of input %d (shape %s) is wrong; worst element at index %s (flat %d): autograd %s, "
                            + "finite difference %s, |difference| %s exceeds tolerance %s%nautograd: %s%nnumeric:  %s",
                    description.isEmpty() ? "" : description + ": ", which, x.shape().dimsString(),
                    Arrays.toString(unravel(worst, x.shape())), worst,
                    analytic[worst], numeric[worst], Math.abs(analytic[worst] - numeric[worst]),
                    ATOL + RTOL * Math.abs(numeric[worst]), abbreviate(analytic), abbreviate(numeric));
        }
    }

    /** d sum(f(x)·w) / dx by central differences, one element at a time, without recording a graph. */
    private static double[] numericGradient(Function<Tensor[], Tensor> f, Tensor[] inputs, int which, double[] w) {
        Tensor x = inputs[which];
        double[] base = x.toArray();
        double[] g = new double[base.length];
        Tensor[] args = inputs.clone();
        try (var _ = Tensor.noGrad()) {
            for (int k = 0; k < base.length; k++) {
                double[] plus = evaluate(f, args, which, base, k, EPS);
                double[] minus = evaluate(f, args, which, base, k, -EPS);
                // Difference elementwise before weighting: less cancellation than differencing two sums.
                double s = 0;
                for (int j = 0; j < w.length; j++) {
                    s += w[j] * (plus[j] - minus[j]);
                }
                g[k] = s / (2 * EPS);
            }
        }
        return g;
    }

    private static double[] evaluate(Function<Tensor[], Tensor> f, Tensor[] args, int which, double[] base, int k,
                                     double delta) {
        double[] moved = base.clone();
        moved[k] += delta;
        args[which] = Tensor.fromArray(moved, args[which].shape(), DType.FLOAT64);
        return f.apply(args).toArray();
    }

    private static int[] unravel(int flat, Shape shape) {
        int[] sizes = shape.toArray();
        int[] index = new int[sizes.length];
        for (int d = sizes.length - 1; d >= 0; d--) {
            index[d] = flat % sizes[d];
            flat /= sizes[d];
        }
        return index;
    }

    private static String abbreviate(double[] v) {
        String s = Arrays.toString(v);
        return s.length() <= 400 ? s : s.substring(0, 400) + "…";
    }
}
