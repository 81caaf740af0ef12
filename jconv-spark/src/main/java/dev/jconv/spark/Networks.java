package dev.jconv.spark;

import dev.jconv.models.Models;
import dev.jconv.nn.AvgPool2d;
import dev.jconv.nn.Conv2d;
import dev.jconv.nn.Conv2dOptions;
import dev.jconv.nn.Flatten;
import dev.jconv.nn.Linear;
import dev.jconv.nn.Pool2dOptions;
import dev.jconv.nn.Sequential;
import dev.jconv.nn.Sigmoid;

/** Networks this module can name, for the {@link SparkMain} command line and the tests. */
public final class Networks {
    private Networks() {
    }

    /**
     * D2L's LeNet for 28×28 grey images (sigmoid, average pooling), Xavier-initialised from the global generator
     * as D2L's {@code init_cnn} does. Parameters are named {@code 0.weight} … {@code 11.bias}, as PyTorch names
     * them and as {@code jconv train lenet} saves them, so weights move between the two.
     */
    public static ModelFactory lenet() {
        return () -> {
            Pool2dOptions pool = Pool2dOptions.kernelSize(2).stride(2);
            Sequential net = new Sequential(
                    new Conv2d(1, 6, Conv2dOptions.kernelSize(5).padding(2)), new Sigmoid(), new AvgPool2d(pool),
                    new Conv2d(6, 16, 5), new Sigmoid(), new AvgPool2d(pool),
                    new Flatten(),
                    new Linear(16 * 5 * 5, 120), new Sigmoid(),
                    new Linear(120, 84), new Sigmoid(),
                    new Linear(84, 10));
            return Models.initCnn(net);
        };
    }

    /** The network called {@code name}; only {@code lenet} for now. */
    public static ModelFactory named(String name) {
        if (name.equals("lenet")) {
            return lenet();
        }
        throw new IllegalArgumentException("unknown model '" + name + "'; jconv-spark knows: lenet");
    }
}
