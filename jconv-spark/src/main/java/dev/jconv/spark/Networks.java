package dev.jconv.spark;

import dev.jconv.examples.LeNet;
import dev.jconv.examples.TrainingRecipes;
import dev.jconv.models.Models;
import dev.jconv.nn.AbstractBatchNorm;
import dev.jconv.nn.Dropout;
import dev.jconv.nn.Module;
import dev.jconv.nn.Sequential;
import dev.jconv.storage.DType;
import dev.jconv.storage.Shape;
import dev.jconv.tensor.Tensor;

/** Networks this module can name, for the {@link SparkMain} command line, the training runner and the tests. */
public final class Networks {
    private Networks() {
    }

    /**
     * D2L's LeNet for 28×28 grey images ({@link LeNet#classic()}), Xavier-initialised from the global generator
     * as D2L's {@code init_cnn} does. Parameters are named {@code 0.weight} … {@code 11.bias}, as PyTorch names
     * them and as {@code jconv train lenet} saves them, so weights move between the two.
     */
    public static ModelFactory lenet() {
        return () -> Models.initCnn(LeNet.classic());
    }

    /** {@code lenet} or {@code lenet-relu} ({@link LeNet#named}), Xavier-initialised as {@link #lenet()}. */
    public static ModelFactory named(String name) {
        if (!name.equals("lenet") && !name.equals("lenet-relu")) {
            throw new IllegalArgumentException("unknown model '" + name + "'; jconv-spark predicts with: lenet, "
                    + "lenet-relu");
        }
        return () -> Models.initCnn(LeNet.named(name));
    }

    /**
     * Any network {@code jconv train} knows ({@link TrainingRecipes#model}), with its lazy layers sized for
     * images of shape {@code imageShape} (C, H, W). Its weights are whatever its constructors drew: this is the
     * factory of replicas, which load the driver's weights.
     */
    public static ModelFactory recipe(String name, int[] imageShape) {
        int[] dims = new int[imageShape.length + 1];
        dims[0] = 1;
        System.arraycopy(imageShape, 0, dims, 1, imageShape.length);
        return () -> {
            Sequential model = TrainingRecipes.model(name);
            if (hasLazyLayers(model)) {
                try (var ignored = Tensor.noGrad()) {
                    model.forward(Tensor.zeros(Shape.of(dims), DType.FLOAT32));
                }
            }
            return model;
        };
    }

    /**
     * Why training {@code model} on Spark would not do what training it in one process does, or null. Batch
     * norm normalises each task's part of the batch by that part's statistics, not the whole batch's, and its
     * running statistics (buffers) would stay in the tasks; dropout's masks would be drawn by the tasks from
     * other random streams.
     */
    public static String unsupported(Module model) {
        String why = unsupportedLayer(model);
        if (why == null && !hasLazyLayers(model) && model.stateDict().size() > model.namedParameters().size()) {
            why = "buffers (state besides its parameters), which the tasks would update and the driver not";
        }
        return why;
    }

    private static String unsupportedLayer(Module module) {
        if (module instanceof Dropout) {
            return "dropout layers, whose masks the tasks would draw from other random streams than one process";
        }
        if (module instanceof AbstractBatchNorm || module instanceof dev.jconv.models.BatchNorm) {
            return "batch normalisation, which each task would compute over its part of the batch only";
        }
        for (Module child : module.namedChildren().values()) {
            String why = unsupportedLayer(child);
            if (why != null) {
                return why;
            }
        }
        return null;
    }

    private static boolean hasLazyLayers(Module model) {
        try {
            model.parameters();
            return false;
        } catch (IllegalStateException e) {
            return true; // parameters() refuses a network whose lazy layers have not seen an input yet
        }
    }
}
