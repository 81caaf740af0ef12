package dev.jconv.nn;

import dev.jconv.storage.Shape;
import dev.jconv.tensor.Pooling;
import dev.jconv.tensor.Tensor;
import java.util.Arrays;

/**
 * Explains, layer by layer, how a model transforms the shape of its input: for each layer the formula
 * with the numbers put in and the resulting size — the answer to "why does my Linear get the wrong
 * number of inputs?". Shapes are computed from the layers' arguments, without running them.
 */
public final class ShapeExplainer {
    /** The explanation text, the final shape (null if a layer rejects its input) and that layer's problem. */
    public record Result(String text, Shape output, String error) {
    }

    private ShapeExplainer() {
    }

    /** Walks {@code model} (a Sequential is explained layer by layer) from an input of shape {@code input}. */
    public static Result explain(Module model, Shape input) {
        StringBuilder sb = new StringBuilder("input: ").append(tuple(input)).append('\n');
        Shape shape = input;
        java.util.List<Module> layers = model instanceof Sequential s ? s.layers() : java.util.List.of(model);
        for (int i = 0; i < layers.size(); i++) {
            Module layer = layers.get(i);
            sb.append('(').append(i).append(") ").append(layer.toString().replace("\n", "\n    ")).append('\n');
            try {
                Shape next = step(layer, shape, sb);
                sb.append("    output: ").append(tuple(next)).append('\n');
                shape = next;
            } catch (IllegalArgumentException e) {
                sb.append("    error: ").append(e.getMessage()).append('\n');
                return new Result(sb.toString(), null, "layer (" + i + ") " + e.getMessage());
            }
        }
        return new Result(sb.toString(), shape, null);
    }

    private static Shape step(Module layer, Shape in, StringBuilder sb) {
        return switch (layer) {
            case Conv2d c -> conv2d(c, in, sb);
            case ConvTranspose2d t -> convTranspose2d(t, in, sb);
            case MaxPool2d m -> pool(m.options(), in, sb);
            case AvgPool2d a -> pool(a.options(), in, sb);
            case Flatten f -> flatten(in, sb);
            case Linear l -> linear(l, in, sb);
            case Sigmoid s -> same(in, sb);
            case ReLU r -> same(in, sb);
            case Tanh t -> same(in, sb);
            case Dropout d -> same(in, sb);
            case AbstractBatchNorm b -> same(in, sb);
            default -> byRunning(layer, in, sb);
        };
    }

    private static Shape conv2d(Conv2d c, Shape in, StringBuilder sb) {
        requireSpatial(in, 3, "Conv2d");
        int channels = in.get(-3);
        boolean lazy = c.inChannels() == 0;
        if (!lazy && channels != c.inChannels()) {
            throw new IllegalArgumentException("expects " + c.inChannels() + " input channels, but the input has "
                    + channels + " (shape " + tuple(in) + ")");
        }
        sb.append("    channels: ").append(channels).append(" -> ").append(c.outChannels())
                .append(lazy ? " (in_channels taken from the input)" : "").append('\n');
        Conv2dOptions o = c.options();
        int[] pad = o.sidePadding();
        int h = windowed(sb, "height", in.get(-2), o.kernelH(), o.strideH(), pad[0], pad[1], o.dilationH(), false);
        int w = windowed(sb, "width", in.get(-1), o.kernelW(), o.strideW(), pad[2], pad[3], o.dilationW(), false);
        return replaceLast3(in, c.outChannels(), h, w);
    }

    private static Shape pool(Pool2dOptions o, Shape in, StringBuilder sb) {
        requireSpatial(in, 3, "pooling");
        int[] k = o.kernel();
        int[] s = o.stride();
        int[] p = o.padding();
        int[] d = o.dilation();
        sb.append("    channels: unchanged (").append(in.get(-3)).append(")\n");
        int h = windowed(sb, "height", in.get(-2), k[0], s[0], p[0], p[0], d[0], o.ceilMode());
        int w = windowed(sb, "width", in.get(-1), k[1], s[1], p[1], p[1], d[1], o.ceilMode());
        return replaceLast3(in, in.get(-3), h, w);
    }

    /** One spatial dimension of a sliding window: the formula, the numbers, the result. */
    private static int windowed(StringBuilder sb, String dim, int in, int k, int s, int before, int after, int d,
                                boolean ceil) {
        int span = d * (k - 1) + 1;
        if (span > in + before + after) {
            throw new IllegalArgumentException(dim + ": window of " + span + " is larger than the padded input "
                    + (in + before + after));
        }
        int numerator = in + before + after - span;
        int out = ceil ? Pooling.outputSize(in, k, s, before, d, true) : numerator / s + 1;
        String padTerm = before == after ? "2 * " + before : before + " + " + after;
        String kernelTerm = d == 1 ? Integer.toString(k) : d + " * (" + k + " - 1) + 1";
        sb.append("    ").append(dim).append(": ").append(ceil ? "ceil" : "floor").append("((").append(in)
                .append(" - ").append(kernelTerm).append(" + ").append(padTerm).append(") / ").append(s)
                .append(") + 1 = ").append(ceil ? "ceil" : "floor").append('(').append(numerator).append(" / ")
                .append(s).append(") + 1 = ").append(out);
        if (ceil && out != (numerator + s - 1) / s + 1) {
            sb.append(" (the last window would start in the padding, so it is dropped)");
        }
        sb.append('\n');
        return out;
    }

    private static Shape convTranspose2d(ConvTranspose2d t, Shape in, StringBuilder sb) {
        requireSpatial(in, 3, "ConvTranspose2d");
        Conv2dOptions o = t.options;
        int channels = in.get(-3);
        if (t.inChannels != 0 && channels != t.inChannels) {
            throw new IllegalArgumentException("expects " + t.inChannels + " input channels, but the input has "
                    + channels + " (shape " + tuple(in) + ")");
        }
        sb.append("    channels: ").append(channels).append(" -> ").append(t.outChannels).append('\n');
        int h = transposed(sb, "height", in.get(-2), o.kernelH(), o.strideH(), o.padH(), o.dilationH(),
                t.outputPadding[0]);
        int w = transposed(sb, "width", in.get(-1), o.kernelW(), o.strideW(), o.padW(), o.dilationW(),
                t.outputPadding[1]);
        return replaceLast3(in, t.outChannels, h, w);
    }

    private static int transposed(StringBuilder sb, String dim, int in, int k, int s, int p, int d, int op) {
        int out = (in - 1) * s - 2 * p + d * (k - 1) + op + 1;
        sb.append("    ").append(dim).append(": (").append(in).append(" - 1) * ").append(s).append(" - 2 * ").append(p)
                .append(" + ").append(d).append(" * (").append(k).append(" - 1) + ").append(op).append(" + 1 = ")
                .append(out).append('\n');
        if (out <= 0) {
            throw new IllegalArgumentException(dim + " would be " + out + ", which is not a valid size");
        }
        return out;
    }

    private static Shape flatten(Shape in, StringBuilder sb) {
        if (in.rank() < 2) {
            return same(in, sb);
        }
        int[] dims = in.toArray();
        int product = 1;
        StringBuilder factors = new StringBuilder();
        for (int i = 1; i < dims.length; i++) {
            product *= dims[i];
            factors.append(i > 1 ? " * " : "").append(dims[i]);
        }
        sb.append("    features: ").append(factors).append(" = ").append(product).append('\n');
        return Shape.of(dims[0], product);
    }

    private static Shape linear(Linear l, Shape in, StringBuilder sb) {
        if (in.rank() == 0) {
            throw new IllegalArgumentException("Linear needs at least one dimension, got a scalar");
        }
        int features = in.get(-1);
        int expected = l.inFeatures;
        if (l.isInitialized() && expected != features) {
            throw new IllegalArgumentException("expects " + expected + " input features, but the input's last "
                    + "dimension is " + features + " (shape " + tuple(in) + "): make in_features " + features);
        }
        sb.append("    features: ").append(features).append(" -> ").append(l.weight().isMaterialized()
                ? l.weight().size(0) : "out_features").append('\n');
        int[] dims = in.toArray();
        dims[dims.length - 1] = l.isInitialized() ? l.weight().size(0) : l.outFeatures();
        return Shape.of(dims);
    }

    private static Shape same(Shape in, StringBuilder sb) {
        sb.append("    elementwise: the shape is unchanged\n");
        return in;
    }

    /** Layers without a rule of their own: run them once on zeros. */
    private static Shape byRunning(Module layer, Shape in, StringBuilder sb) {
        sb.append("    (shape found by running the layer on zeros)\n");
        try (var ignored = Tensor.noGrad()) {
            return layer.forward(Tensor.zeros(in, dev.jconv.storage.DType.FLOAT32)).shape();
        }
    }

    private static void requireSpatial(Shape in, int minRank, String what) {
        if (in.rank() < minRank || in.rank() > minRank + 1) {
            throw new IllegalArgumentException(what + " expects (C, H, W) or (N, C, H, W) input, got " + tuple(in));
        }
    }

    private static Shape replaceLast3(Shape in, int c, int h, int w) {
        int[] dims = in.toArray();
        dims[dims.length - 3] = c;
        dims[dims.length - 2] = h;
        dims[dims.length - 1] = w;
        return Shape.of(dims);
    }

    /** A shape as a Python tuple, {@code (1, 6, 28, 28)}. */
    static String tuple(Shape s) {
        String inner = Arrays.toString(s.toArray());
        return "(" + inner.substring(1, inner.length() - 1) + (s.rank() == 1 ? ",)" : ")");
    }
}
