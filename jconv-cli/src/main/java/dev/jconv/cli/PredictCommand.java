package dev.jconv.cli;

import dev.jconv.data.FashionMnist;
import dev.jconv.examples.LeNet;
import dev.jconv.examples.LeNetTraining;
import dev.jconv.io.SafeTensors;
import dev.jconv.io.StateDict;
import dev.jconv.nn.Sequential;
import dev.jconv.tensor.Tensor;
import dev.jconv.viz.Images;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code jconv predict --weights FILE IMAGE...}: classifies images with trained LeNet weights. */
@Command(name = "predict", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Classify PNG/JPEG images with trained weights.", "Images are scaled to 28x28 grey."},
        footer = {"", "Weights saved by 'jconv train' record their model: --model defaults to it",
                "(else to lenet), and a different --model is refused."})
final class PredictCommand extends JconvCommand {
    @Option(names = "--weights", required = true, paramLabel = "FILE", description = "a MODEL.safetensors from jconv train")
    Path weights;

    @Option(names = "--model", paramLabel = "MODEL", description = "lenet or lenet-relu (default: the one the weights record)")
    String model;

    @Option(names = "--invert", description = "for dark drawings on a light background")
    boolean invert;

    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "the images to classify")
    List<Path> images;

    PredictCommand(PrintStream out) {
        super(out);
    }

    @Override
    public Integer call() {
        if (model != null) {
            try {
                LeNet.named(model);
            } catch (IllegalArgumentException e) {
                throw usage(e.getMessage());
            }
        }
        requireFile("weights file", weights);
        SafeTensors.Contents contents = SafeTensors.readContents(weights);
        Map<String, String> meta = contents.metadata() == null ? Map.of() : contents.metadata();
        String recorded = meta.get(LeNetTraining.MODEL_KEY);
        String name = model != null ? model : recorded != null ? recorded : "lenet";
        if (recorded != null && !recorded.equals(name)) {
            throw new Failure(weights + " holds " + recorded + " weights, not " + name + ": use --model " + recorded);
        }
        images.forEach(image -> requireFile("image", image));
        Sequential net;
        try {
            net = LeNet.named(name);
        } catch (IllegalArgumentException e) {
            throw new Failure(weights + " records an unknown model: " + e.getMessage(), e);
        }
        try {
            StateDict.load(net, contents.tensors());
        } catch (IllegalArgumentException e) {
            throw new Failure(weights + " does not fit " + name + ": " + e.getMessage(), e);
        }
        net.eval();
        try (var ignored = Tensor.noGrad()) {
            for (Path file : images) {
                Tensor image = Images.readGrey(file, 28, invert).unsqueeze(0);
                Tensor probabilities = net.forward(image).softmax(1);
                int best = (int) probabilities.argmax().item();
                out.println(file + ": " + FashionMnist.className(best) + " ("
                        + probabilities.get(0, best).toFixed(3) + ")");
            }
        }
        return 0;
    }

    private static void requireFile(String what, Path file) {
        if (!Files.exists(file)) {
            throw new Failure(what + " " + file + " does not exist");
        }
        if (!Files.isRegularFile(file)) {
            throw new Failure(what + " " + file + " is not a regular file");
        }
    }
}
