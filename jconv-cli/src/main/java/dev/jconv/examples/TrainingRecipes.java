package dev.jconv.examples;

import dev.jconv.models.Models;
import dev.jconv.nn.Conv2d;
import dev.jconv.nn.Module;
import dev.jconv.nn.Sequential;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What {@link LeNetTraining} needs to know about each trainable model: how to build it, and for the modern CNNs
 * D2L's learning rate and image size.
 */
public final class TrainingRecipes {
    /** D2L's SGD learning rates for the chapter's networks. */
    private static final Map<String, Double> LR = Map.of("alexnet", 0.01, "vgg11", 0.05, "nin", 0.05,
            "googlenet", 0.01, "bn-lenet", 0.1, "resnet18", 0.01, "densenet", 0.1, "regnetx32", 0.05);

    /** The networks designed for ImageNet-sized inputs; D2L trains them on 224×224, the others on 96×96. */
    private static final List<String> LARGE_INPUT = List.of("alexnet", "vgg11", "nin");

    private TrainingRecipes() {
    }

    /** Every model name {@code jconv train} accepts: LeNet's two, then the modern CNNs. */
    public static List<String> names() {
        return Stream.concat(Stream.of("lenet", "lenet-relu"), Models.names().stream()).toList();
    }

    /** Whether {@code model} is one of the modern CNNs of {@link Models}. */
    public static boolean isModern(String model) {
        return LR.containsKey(model);
    }

    /** D2L's learning rate for a modern CNN. */
    public static double lr(String model) {
        return LR.get(modern(model));
    }

    /** The side of the square images D2L trains a modern CNN on: 224 or 96. */
    public static int resize(String model) {
        return LARGE_INPUT.contains(modern(model)) ? 224 : 96;
    }

    /** A new network by name, not yet initialised (lazy layers, for the modern CNNs, not yet sized). */
    public static Sequential model(String name) {
        if (isModern(name)) {
            return Models.named(name);
        }
        if (name.equals("lenet") || name.equals("lenet-relu")) {
            return LeNet.named(name);
        }
        throw new IllegalArgumentException("unknown model '" + name + "'; known: " + String.join(", ", names()));
    }

    /** The first convolution of a network, depth first: the one whose kernels look at the pixels. */
    public static Conv2d firstConv(Module module) {
        if (module instanceof Conv2d conv) {
            return conv;
        }
        for (Module child : module.namedChildren().values()) {
            Conv2d found = firstConv(child);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    private static String modern(String model) {
        if (!isModern(model)) {
            throw new IllegalArgumentException("'" + model + "' is not one of " + String.join(", ", Models.names()));
        }
        return model;
    }
}
