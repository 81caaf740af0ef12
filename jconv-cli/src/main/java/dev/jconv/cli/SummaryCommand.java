package dev.jconv.cli;

import dev.jconv.models.LayerSummary;
import dev.jconv.models.Models;
import dev.jconv.nn.Sequential;
import dev.jconv.tensor.Tensor;
import java.io.PrintStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code jconv summary MODEL --input NxCxHxW}: D2L's {@code layer_summary} for one of the modern CNNs, each
 * top-level layer's class and output shape. A layer that cannot take its input fails as it does in PyTorch:
 * the lines before it are printed, then PyTorch's message as the one-line error (exit 1).
 */
@Command(name = "summary", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Print each layer's output shape through a modern CNN.",
        footer = {"", "MODEL is one of alexnet, vgg11, nin, googlenet, bn-lenet, resnet18, densenet,",
                "regnetx32. The input is drawn from a standard normal after seed 0; the",
                "layers are in training mode, so batch norm needs more than one value per",
                "channel, as in PyTorch."})
final class SummaryCommand extends JconvCommand {
    @Parameters(paramLabel = "MODEL", description = "the network, e.g. resnet18")
    String model;

    @Option(names = "--input", paramLabel = "NxCxHxW", description = "the input's shape (default: 1x1x224x224)")
    String input;

    SummaryCommand(PrintStream out) {
        super(out);
    }

    @Override
    public Integer call() {
        int[] shape = shape(input == null ? "1x1x224x224" : input);
        Sequential net;
        try {
            net = Models.named(model);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        Tensor.manualSeed(0);
        // A layer's refusal of its input is the answer to the question asked, not a bug: its message (PyTorch's)
        // becomes the one-line error, after the lines of the layers that succeeded.
        try {
            LayerSummary.print(net, Tensor.randn(shape), out::println);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new Failure(e.getMessage(), e);
        }
        return 0;
    }

    private int[] shape(String value) {
        int[] dims;
        try {
            dims = new Sizes.Dims().convert(value);
        } catch (TypeConversionException e) {
            throw usage("Invalid value for option '--input': " + e.getMessage());
        }
        if (dims.length != 4) {
            throw usage("Invalid value for option '--input': expected NxCxHxW (4 sizes), got '" + value + "'");
        }
        return dims;
    }
}
