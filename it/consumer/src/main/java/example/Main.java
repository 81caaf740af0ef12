package example;

import dev.jconv.nn.Conv2d;
import dev.jconv.nn.Conv2dOptions;
import dev.jconv.nn.Functional;
import dev.jconv.tensor.Tensor;

/** A cross-correlation and a seeded Conv2d layer, as a program using jconv-core would write them. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        Tensor x = Tensor.of(new double[][] {{0, 1, 2}, {3, 4, 5}, {6, 7, 8}}).reshape(1, 1, 3, 3);
        Tensor k = Tensor.of(new double[][] {{0, 1}, {2, 3}}).reshape(1, 1, 2, 2);
        System.out.println(Functional.conv2d(x, k, null));
        Tensor.manualSeed(0);
        // LeNet's first layer on a random float32 image: the float kernels (scalar here, without the Vector API).
        var conv = new Conv2d(1, 6, Conv2dOptions.kernelSize(5).padding(2));
        System.out.println(conv.forward(Tensor.rand(1, 1, 28, 28)).sum().toFixed(4));
    }
}
