package dev.jconv.models;

import dev.jconv.nn.Module;
import dev.jconv.nn.Sequential;
import dev.jconv.tensor.Tensor;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * D2L's {@code layer_summary}: runs an input through the top-level layers of a {@code Sequential} one at a
 * time and prints each layer's class name and output shape, e.g.
 * {@code Conv2d output shape:\t torch.Size([1, 96, 54, 54])}.
 */
public final class LayerSummary {
    private LayerSummary() {
    }

    /**
     * Prints one line per top-level layer of {@code net} to {@code out} (each without its newline) and returns
     * the final output. Lazy layers are initialised on the way. If a layer fails, the lines of the layers
     * before it have been printed when its exception propagates. Nothing is recorded for autograd.
     */
    public static Tensor print(Sequential net, Tensor input, Consumer<String> out) {
        Tensor x = input;
        try (var ignored = Tensor.noGrad()) {
            for (Module layer : net.layers()) {
                x = layer.forward(x);
                out.accept(line(layer, x));
            }
        }
        return x;
    }

    /** The line for one layer: its PyTorch class name, {@code " output shape:\t "} and the output's size. */
    public static String line(Module layer, Tensor output) {
        return layer.className() + " output shape:\t " + output.shape();
    }

    /**
     * What the reference script prints for {@link Models#named model} {@code name} on a standard normal input
     * of {@code shape} drawn after {@code manualSeed(seed)}: see {@link #reference(Sequential, Tensor)}.
     */
    public static String reference(String name, long seed, int... shape) {
        Tensor.manualSeed(seed);
        Sequential net = Models.named(name);
        return reference(net, Tensor.randn(shape));
    }

    /**
     * The layer lines for {@code net} on {@code input}, each ending in a newline; if a layer fails, a last line
     * {@code error: ClassName message} (the message's first line) instead of an exception.
     */
    public static String reference(Sequential net, Tensor input) {
        StringBuilder sb = new StringBuilder();
        int[] done = {0};
        try {
            print(net, input, line -> {
                sb.append(line).append('\n');
                done[0]++;
            });
        } catch (RuntimeException e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName()
                    : e.getMessage().lines().findFirst().orElse("");
            sb.append("error: ").append(net.get(done[0]).className()).append(' ').append(message).append('\n');
        }
        return sb.toString();
    }

    /** A shape as a Python tuple: {@code (1, 1, 224, 224)}, {@code (3,)}. */
    public static String tuple(int... shape) {
        if (shape.length == 1) {
            return "(" + shape[0] + ",)";
        }
        return Arrays.stream(shape).mapToObj(Integer::toString).collect(Collectors.joining(", ", "(", ")"));
    }
}
