package dev.jconv.random;

/**
 * PyTorch's default parameter initialisation streams for {@code nn.Conv2d} and {@code nn.Linear}
 * ({@code reset_parameters()}), drawn from a {@link Generator} so the values are bit-identical to
 * PyTorch 1.13 given the same generator state.
 *
 * <p>A module draws its weight first and then its bias: for {@code Conv2d(in, out, (kh, kw),
 * groups=g)} call {@link #kaimingUniformDefault} with {@code n = out * in/g * kh * kw} and
 * {@code fanIn = conv2dFanIn(in, g, kh, kw)}, then {@link #biasUniformDefault} with {@code n = out}
 * and the same {@code fanIn}; for {@code Linear(in, out)} use {@code fanIn = in}.
 */
public final class Init {

    private Init() {
    }

    /** Fan-in of a Conv2d weight of shape {@code (out, in/groups, kh, kw)}. */
    public static int conv2dFanIn(int inChannels, int groups, int kernelH, int kernelW) {
        if (groups <= 0 || inChannels % groups != 0) {
            throw new IllegalArgumentException("in_channels " + inChannels + " must be divisible by groups " + groups);
        }
        return Math.multiplyExact(Math.multiplyExact(inChannels / groups, kernelH), kernelW);
    }

    /**
     * Bound of {@code kaiming_uniform_(w, a=sqrt(5))}, evaluated with the same double operations as
     * PyTorch's Python code: {@code sqrt(3) * (sqrt(2 / (1 + a**2)) / sqrt(fan_in))}.
     *
     * @throws IllegalArgumentException if {@code fanIn <= 0}
     */
    public static double kaimingUniformBound(int fanIn) {
        if (fanIn <= 0) {
            throw new IllegalArgumentException("fan_in must be positive, got " + fanIn);
        }
        double a = Math.sqrt(5.0);
        double gain = Math.sqrt(2.0 / (1.0 + a * a)); // a**2 is exactly a*a (correctly rounded)
        double std = gain / Math.sqrt(fanIn);
        return Math.sqrt(3.0) * std;
    }

    /** Bias bound {@code 1 / sqrt(fan_in)}, or 0 when {@code fanIn <= 0} (as PyTorch does). */
    public static double biasUniformBound(int fanIn) {
        return fanIn > 0 ? 1.0 / Math.sqrt(fanIn) : 0.0;
    }

    /**
     * {@code nn.init.kaiming_uniform_(w, a=math.sqrt(5))} on a float32 weight of {@code n} elements.
     * An empty weight draws nothing, like PyTorch.
     */
    public static float[] kaimingUniformDefault(Generator g, int n, int fanIn) {
        if (n == 0) {
            return new float[0];
        }
        double bound = kaimingUniformBound(fanIn);
        return g.uniformFloat(n, -bound, bound);
    }

    /** Float64 version of {@link #kaimingUniformDefault}. */
    public static double[] kaimingUniformDefaultDouble(Generator g, int n, int fanIn) {
        if (n == 0) {
            return new double[0];
        }
        double bound = kaimingUniformBound(fanIn);
        return g.uniformDouble(n, -bound, bound);
    }

    /** Default float32 bias of Conv2d/Linear: {@code uniform_(-1/sqrt(fan_in), 1/sqrt(fan_in))}. */
    public static float[] biasUniformDefault(Generator g, int n, int fanIn) {
        double bound = biasUniformBound(fanIn);
        return g.uniformFloat(n, -bound, bound);
    }

    /** Float64 version of {@link #biasUniformDefault}. */
    public static double[] biasUniformDefaultDouble(Generator g, int n, int fanIn) {
        double bound = biasUniformBound(fanIn);
        return g.uniformDouble(n, -bound, bound);
    }
}
