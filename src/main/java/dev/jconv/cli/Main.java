package dev.jconv.cli;

import dev.jconv.examples.Chapter;
import dev.jconv.examples.Chapters;
import dev.jconv.examples.Notebook;
import dev.jconv.kernels.Parallel;
import dev.jconv.data.FashionMnist;
import dev.jconv.examples.LeNet;
import dev.jconv.examples.LeNetTraining;
import dev.jconv.io.Images;
import dev.jconv.io.StateDict;
import dev.jconv.nn.Sequential;
import dev.jconv.tensor.Tensor;
import dev.jconv.nn.AvgPool2d;
import dev.jconv.nn.Conv2dOptions;
import dev.jconv.nn.ConvTranspose2d;
import dev.jconv.nn.MaxPool2d;
import dev.jconv.nn.Module;
import dev.jconv.nn.OutputSize;
import dev.jconv.nn.Pool2dOptions;
import dev.jconv.nn.ShapeExplainer;
import dev.jconv.storage.Shape;
import dev.jconv.storage.DType;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The {@code jconv} command line: {@code chapter}, {@code shape}, {@code verify}. */
public final class Main {
    private static final String USAGE = """
            usage: jconv <command> [options]

            commands:
              chapter [NAME] [--seed N] [--list]   run a chapter's cells (default: the convolutions chapter)
              shape --input HxW --kernel KHxKW [--padding PHxPW] [--stride SHxSW] [--dilation DHxDW]
                    [--pool max|avg [--ceil] | --transposed [--output-padding OHxOW]]
                                                   derive a layer's output size step by step
              shape --model lenet|lenet-relu [--input NxCxHxW]
                                                   every layer's output size through a whole model
              train [lenet|lenet-relu] [--optimizer sgd|adam|adamw] [--epochs N] [--lr X] [--batch-size N]
                    [--seed N] [--data DIR] [--out DIR] [--checkpoint-dir DIR [--resume]] [--limit N]
                                                   train LeNet on Fashion-MNIST, write metrics, weights, plots
              predict --weights FILE [--model lenet|lenet-relu] [--invert] IMAGE...
                                                   classify PNG/JPEG images (scaled to 28x28 grey)
              verify FILE.json [--dtype float32|float64]
                                                   run conformance vectors, print failures and a summary
            options for every command:
              --threads N                          kernel threads (default: all processors)
            """;

    private Main() {
    }

    public static void main(String[] args) {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        int code;
        try {
            code = run(args, out);
        } catch (IllegalArgumentException e) {
            System.err.println("jconv: " + e.getMessage());
            code = 2;
        }
        System.exit(code);
    }

    /** Runs one command; returns the process exit code. */
    public static int run(String[] args, PrintStream out) {
        Args a = new Args(args);
        String threads = a.option("--threads");
        if (threads != null) {
            Parallel.setThreads(Args.parseInt("--threads", threads));
        }
        if (a.positional.isEmpty()) {
            out.print(USAGE);
            return 2;
        }
        String command = a.positional.removeFirst();
        return switch (command) {
            case "chapter" -> chapter(a, out);
            case "shape" -> shape(a, out);
            case "verify" -> verify(a, out);
            case "train" -> train(a, out);
            case "predict" -> predict(a, out);
            case "help", "--help", "-h" -> {
                out.print(USAGE);
                yield 0;
            }
            default -> throw new IllegalArgumentException("unknown command '" + command + "'\n" + USAGE);
        };
    }

    private static int chapter(Args a, PrintStream out) {
        if (a.flag("--list")) {
            for (Chapter c : Chapters.all()) {
                out.println(c.name() + "  " + c.title());
            }
            return 0;
        }
        String seedText = a.option("--seed");
        Long seed = seedText == null ? null : Args.parseLong("--seed", seedText);
        a.finish(1);
        Chapter chapter = Chapters.named(a.positional.isEmpty() ? null : a.positional.getFirst());
        chapter.run(new Notebook(out::print), seed);
        return 0;
    }

    private static int shape(Args a, PrintStream out) {
        String model = a.option("--model");
        if (model != null) {
            int[] dims = Args.dims("--input", a.optionOr("--input", "1x1x28x28"));
            a.finish(0);
            ShapeExplainer.Result r = ShapeExplainer.explain(LeNet.named(model), Shape.of(dims));
            out.print(r.text());
            return r.error() == null ? 0 : 1;
        }
        int[] input = Args.pair("--input", a.require("--input"));
        int[] kernel = Args.pair("--kernel", a.require("--kernel"));
        int[] padding = Args.pair("--padding", a.optionOr("--padding", "0"));
        String pool = a.option("--pool");
        boolean transposed = a.flag("--transposed");
        int[] dilation = Args.pair("--dilation", a.optionOr("--dilation", "1"));
        a.finish(0);
        if (pool == null && !transposed && !a.flag("--ceil") && a.option("--output-padding") == null) {
            int[] stride = Args.pair("--stride", a.optionOr("--stride", "1"));
            out.print(OutputSize.explain(input, kernel, padding, stride, dilation));
            return 0;
        }
        Module layer;
        if (pool != null) {
            Pool2dOptions o = Pool2dOptions.kernelSize(kernel[0], kernel[1]).padding(padding[0], padding[1])
                    .dilation(dilation[0], dilation[1]).ceilMode(a.flag("--ceil"));
            String strideText = a.option("--stride");
            if (strideText != null) {
                int[] stride = Args.pair("--stride", strideText);
                o = o.stride(stride[0], stride[1]);
            }
            layer = switch (pool) {
                case "max" -> new MaxPool2d(o);
                case "avg" -> new AvgPool2d(o);
                default -> throw new IllegalArgumentException("--pool expects max or avg, got '" + pool + "'");
            };
        } else {
            int[] stride = Args.pair("--stride", a.optionOr("--stride", "1"));
            int[] outputPadding = Args.pair("--output-padding", a.optionOr("--output-padding", "0"));
            layer = new ConvTranspose2d(1, 1, Conv2dOptions.kernelSize(kernel[0], kernel[1]).stride(stride[0], stride[1])
                    .padding(padding[0], padding[1]).dilation(dilation[0], dilation[1]), outputPadding[0],
                    outputPadding[1]);
        }
        ShapeExplainer.Result r = ShapeExplainer.explain(layer, Shape.of(1, 1, input[0], input[1]));
        out.print(r.text());
        return r.error() == null ? 0 : 1;
    }

    private static int train(Args a, PrintStream out) {
        String model = a.option("--model");
        if (model == null) {
            model = a.positional.isEmpty() ? "lenet" : a.positional.getFirst();
        }
        LeNet.named(model); // fails early on an unknown name
        LeNetTraining.Config d = LeNetTraining.Config.defaults(model);
        String checkpoints = a.option("--checkpoint-dir");
        LeNetTraining.Config c = new LeNetTraining.Config(model, a.optionOr("--optimizer", d.optimizer()),
                Args.parseInt("--epochs", a.optionOr("--epochs", Integer.toString(d.epochs()))),
                Args.parseDouble("--lr", a.optionOr("--lr", Double.toString(d.lr()))),
                Args.parseInt("--batch-size", a.optionOr("--batch-size", Integer.toString(d.batchSize()))),
                Args.parseLong("--seed", a.optionOr("--seed", "0")),
                Path.of(a.optionOr("--data", d.data().toString())), Path.of(a.optionOr("--out", d.out().toString())),
                checkpoints == null ? null : Path.of(checkpoints), a.flag("--resume"),
                Args.parseInt("--limit", a.optionOr("--limit", "0")));
        a.finish(1);
        out.println("training " + model + " with " + c.optimizer() + " (lr " + c.lr() + ", batch " + c.batchSize()
                + ", " + c.epochs() + " epochs, seed " + c.seed() + ", " + Parallel.threads() + " threads)");
        LeNetTraining.run(c, out);
        return 0;
    }

    private static int predict(Args a, PrintStream out) {
        Path weights = Path.of(a.require("--weights"));
        String model = a.optionOr("--model", "lenet");
        boolean invert = a.flag("--invert");
        if (a.positional.isEmpty()) {
            throw new IllegalArgumentException("predict needs one or more image files: jconv predict --weights FILE "
                    + "image.png ...");
        }
        Sequential net = LeNet.named(model);
        StateDict.load(net, weights);
        net.eval();
        try (var ignored = Tensor.noGrad()) {
            for (String name : a.positional) {
                Tensor image = Images.readGrey(Path.of(name), 28, invert).unsqueeze(0);
                Tensor probabilities = net.forward(image).softmax(1);
                int best = (int) probabilities.argmax().item();
                out.println(name + ": " + FashionMnist.className(best) + " ("
                        + probabilities.get(0, best).toFixed(3) + ")");
            }
        }
        return 0;
    }

    private static int verify(Args a, PrintStream out) {
        DType dtype = Conformance.dtypeNamed(a.optionOr("--dtype", "float64"));
        a.finish(1);
        if (a.positional.isEmpty()) {
            throw new IllegalArgumentException("verify needs a vector file: jconv verify FILE.json");
        }
        Path file = Path.of(a.positional.getFirst());
        String json;
        try {
            json = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
        }
        Conformance.Report report = Conformance.run(json, dtype);
        report.failures().forEach(out::println);
        out.println(report.summary());
        return report.failed() == 0 ? 0 : 1;
    }

    /** A small argument parser: {@code --name value} options, {@code --flag}s and positional words. */
    static final class Args {
        final List<String> positional = new ArrayList<>();
        private final List<String> words;

        Args(String[] args) {
            words = new ArrayList<>(List.of(args));
            for (int i = 0; i < words.size(); i++) {
                if (!words.get(i).startsWith("--")) {
                    positional.add(words.get(i));
                } else if (!isFlag(words.get(i))) {
                    i++;
                }
            }
        }

        private static boolean isFlag(String w) {
            return switch (w) {
                case "--list", "--help", "--ceil", "--transposed", "--resume", "--invert" -> true;
                default -> false;
            };
        }

        boolean flag(String name) {
            return words.contains(name);
        }

        String option(String name) {
            int i = words.indexOf(name);
            if (i < 0) {
                return null;
            }
            if (i + 1 >= words.size()) {
                throw new IllegalArgumentException("option " + name + " needs a value");
            }
            return words.get(i + 1);
        }

        String optionOr(String name, String fallback) {
            String v = option(name);
            return v == null ? fallback : v;
        }

        String require(String name) {
            String v = option(name);
            if (v == null) {
                throw new IllegalArgumentException("missing required option " + name);
            }
            return v;
        }

        /** Fails on more positional words than a command takes. */
        void finish(int maxPositional) {
            if (positional.size() > maxPositional) {
                throw new IllegalArgumentException("unexpected argument '" + positional.get(maxPositional) + "'");
            }
        }

        static int parseInt(String name, String v) {
            try {
                return Integer.parseInt(v.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " expects an integer, got '" + v + "'", e);
            }
        }

        static double parseDouble(String name, String v) {
            try {
                return Double.parseDouble(v.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " expects a number, got '" + v + "'", e);
            }
        }

        static long parseLong(String name, String v) {
            try {
                return Long.parseLong(v.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " expects an integer, got '" + v + "'", e);
            }
        }

        /** Sizes such as "1x28x28". */
        static int[] dims(String name, String v) {
            String[] parts = v.toLowerCase(java.util.Locale.ROOT).split("x", -1);
            int[] out = new int[parts.length];
            for (int i = 0; i < parts.length; i++) {
                out[i] = parseInt(name, parts[i]);
                if (out[i] <= 0) {
                    throw new IllegalArgumentException(name + " sizes must be positive, got '" + v + "'");
                }
            }
            return out;
        }

        /** "8x8" or "8" (both dimensions the same). */
        static int[] pair(String name, String v) {
            String[] parts = v.toLowerCase(java.util.Locale.ROOT).split("x", -1);
            if (parts.length == 1) {
                int n = parseInt(name, parts[0]);
                return new int[] {n, n};
            }
            if (parts.length != 2) {
                throw new IllegalArgumentException(name + " expects HxW (e.g. 8x8), got '" + v + "'");
            }
            return new int[] {parseInt(name, parts[0]), parseInt(name, parts[1])};
        }
    }
}
