package dev.jconv.cli;

import dev.jconv.examples.LeNet;
import dev.jconv.nn.AvgPool2d;
import dev.jconv.nn.Conv2dOptions;
import dev.jconv.nn.ConvTranspose2d;
import dev.jconv.nn.MaxPool2d;
import dev.jconv.nn.Module;
import dev.jconv.nn.OutputSize;
import dev.jconv.nn.Pool2dOptions;
import dev.jconv.nn.ShapeExplainer;
import dev.jconv.storage.Shape;
import java.io.PrintStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code jconv shape}: a layer's output size derived step by step (convolution, pooling or transposed
 * convolution), or every layer's output size through a whole model.
 */
@Command(name = "shape", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Derive output sizes step by step: one layer, or a whole model.",
                "  shape --input HxW --kernel KHxKW [--padding ..] [--stride ..] [--dilation ..]",
                "        [--pool max|avg [--ceil] | --transposed [--output-padding OHxOW]]",
                "  shape --model lenet|lenet-relu [--input NxCxHxW]"},
        footer = {"", "Sizes are HxW, or one number for both (e.g. --kernel 3)."})
final class ShapeCommand extends JconvCommand {
    @Option(names = "--input", paramLabel = "HxW", description = "the input's size (with --model: NxCxHxW, default 1x1x28x28)")
    String input;

    @Option(names = "--kernel", paramLabel = "KHxKW", description = "the kernel (or pooling window) size")
    String kernel;

    @Option(names = "--padding", paramLabel = "PHxPW", description = "zero padding on each side (default: 0)")
    String padding;

    @Option(names = "--stride", paramLabel = "SHxSW", description = "default: 1; for pooling, the window")
    String stride;

    @Option(names = "--dilation", paramLabel = "DHxDW", description = "default: 1")
    String dilation;

    @Option(names = "--pool", paramLabel = "max|avg", description = "a pooling layer instead of a convolution")
    String pool;

    @Option(names = "--ceil", description = "pooling only: round the output size up (ceil_mode=True)")
    boolean ceil;

    @Option(names = "--transposed", description = "a transposed convolution")
    boolean transposed;

    @Option(names = "--output-padding", paramLabel = "OHxOW", description = "transposed only (default: 0)")
    String outputPadding;

    @Option(names = "--model", paramLabel = "NAME", description = "lenet or lenet-relu: every layer's output size")
    String model;

    ShapeCommand(PrintStream out) {
        super(out);
    }

    @Override
    public Integer call() {
        if (model != null) {
            return model();
        }
        if (input == null || kernel == null) {
            throw usage("shape needs --input HxW and --kernel KHxKW (or --model NAME)");
        }
        if (pool != null && !pool.equals("max") && !pool.equals("avg")) {
            throw usage("--pool expects max or avg, got '" + pool + "'");
        }
        if (ceil && pool == null) {
            throw usage("--ceil applies to pooling only: add --pool max or --pool avg");
        }
        if (outputPadding != null && !transposed) {
            throw usage("--output-padding applies to --transposed only");
        }
        if (pool != null && transposed) {
            throw usage("--pool and --transposed cannot be combined");
        }
        int[] in = pair("--input", input, null);
        int[] k = pair("--kernel", kernel, null);
        int[] pad = pair("--padding", padding, "0");
        int[] dil = pair("--dilation", dilation, "1");
        // The library's refusals (a kernel larger than the padded input, a zero stride...) are about the
        // numbers given, so they are usage errors too.
        try {
            if (pool == null && !transposed) {
                int[] s = pair("--stride", stride, "1");
                out.print(OutputSize.explain(in, k, pad, s, dil));
                return 0;
            }
            Module layer;
            if (pool != null) {
                Pool2dOptions o = Pool2dOptions.kernelSize(k[0], k[1]).padding(pad[0], pad[1]).dilation(dil[0], dil[1])
                        .ceilMode(ceil);
                if (stride != null) {
                    int[] s = pair("--stride", stride, null);
                    o = o.stride(s[0], s[1]);
                }
                layer = pool.equals("max") ? new MaxPool2d(o) : new AvgPool2d(o);
            } else {
                int[] s = pair("--stride", stride, "1");
                int[] op = pair("--output-padding", outputPadding, "0");
                layer = new ConvTranspose2d(1, 1, Conv2dOptions.kernelSize(k[0], k[1]).stride(s[0], s[1])
                        .padding(pad[0], pad[1]).dilation(dil[0], dil[1]), op[0], op[1]);
            }
            ShapeExplainer.Result r = ShapeExplainer.explain(layer, Shape.of(1, 1, in[0], in[1]));
            out.print(r.text());
            return r.error() == null ? 0 : 1;
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    private int model() {
        for (String[] layerOption : new String[][] {{"--kernel", kernel}, {"--padding", padding}, {"--stride", stride},
                {"--dilation", dilation}, {"--pool", pool}, {"--output-padding", outputPadding}}) {
            if (layerOption[1] != null) {
                throw usage(layerOption[0] + " describes one layer and cannot be used with --model");
            }
        }
        if (ceil || transposed) {
            throw usage((ceil ? "--ceil" : "--transposed") + " describes one layer and cannot be used with --model");
        }
        int[] dims = convert("--input", input == null ? "1x1x28x28" : input, new Sizes.Dims());
        Module net;
        try {
            net = LeNet.named(model);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        ShapeExplainer.Result r = ShapeExplainer.explain(net, Shape.of(dims));
        out.print(r.text());
        return r.error() == null ? 0 : 1;
    }

    private int[] pair(String option, String value, String fallback) {
        return convert(option, value == null ? fallback : value, new Sizes.Pair());
    }

    private int[] convert(String option, String value, ITypeConverter<int[]> converter) {
        try {
            return converter.convert(value);
        } catch (TypeConversionException e) {
            throw usage("Invalid value for option '" + option + "': " + e.getMessage());
        } catch (Exception e) {
            throw new IllegalStateException(e); // the converters throw nothing else
        }
    }
}
