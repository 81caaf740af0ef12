package dev.jconv.examples;

import dev.jconv.nn.AvgPool2d;
import dev.jconv.nn.Conv2d;
import dev.jconv.nn.Conv2dOptions;
import dev.jconv.nn.Flatten;
import dev.jconv.nn.Linear;
import dev.jconv.nn.MaxPool2d;
import dev.jconv.nn.Pool2dOptions;
import dev.jconv.nn.ReLU;
import dev.jconv.nn.Sequential;
import dev.jconv.nn.Sigmoid;

/**
 * LeNet-5 as D2L builds it for 28×28 Fashion-MNIST images: two 5×5 convolutions with pooling, then three
 * fully connected layers. Plain {@link Sequential}s, so parameters are named as PyTorch names them
 * ({@code 0.weight}, {@code 0.bias}, …, {@code 11.bias}) and weights move between the two.
 */
public final class LeNet {
    private LeNet() {
    }

    /** D2L's LeNet: sigmoid activations and average pooling. */
    public static Sequential classic() {
        return build(false);
    }

    /** The modern variant: ReLU activations and max pooling. */
    public static Sequential relu() {
        return build(true);
    }

    private static Sequential build(boolean modern) {
        Pool2dOptions pool = Pool2dOptions.kernelSize(2).stride(2);
        return new Sequential(
                new Conv2d(1, 6, Conv2dOptions.kernelSize(5).padding(2)), modern ? new ReLU() : new Sigmoid(),
                modern ? new MaxPool2d(pool) : new AvgPool2d(pool),
                new Conv2d(6, 16, 5), modern ? new ReLU() : new Sigmoid(),
                modern ? new MaxPool2d(pool) : new AvgPool2d(pool),
                new Flatten(),
                new Linear(16 * 5 * 5, 120), modern ? new ReLU() : new Sigmoid(),
                new Linear(120, 84), modern ? new ReLU() : new Sigmoid(),
                new Linear(84, 10));
    }

    /** The model called {@code lenet} or {@code lenet-relu}. */
    public static Sequential named(String name) {
        return switch (name) {
            case "lenet" -> classic();
            case "lenet-relu" -> relu();
            default -> throw new IllegalArgumentException("unknown model '" + name + "'; known: lenet, lenet-relu");
        };
    }
}
