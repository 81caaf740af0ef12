package dev.jconv.noflags;

import dev.jconv.nn.Conv2d;
import dev.jconv.nn.Conv2dOptions;
import dev.jconv.nn.Linear;
import dev.jconv.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * A few float32 layers through the kernels that have Vector API paths: a LeNet-like convolution (sliding
 * windows), a 3×3 one with 16 channels (Winograd), im2col with stride 2, a linear layer (SGEMM), sigmoid (the
 * vector exp) and their backward passes. {@link #main} prints the results' bits, one line per tensor, so that a
 * JVM started without {@code --add-modules jdk.incubator.vector} can be compared with one started with it.
 */
public final class SmallNet {
    private SmallNet() {
    }

    public static void main(String[] args) {
        for (String line : run()) {
            System.out.println(line);
        }
    }

    /** One line per result: its name, shape and the hash of its float bits, then its first values. */
    public static List<String> run() {
        Tensor.manualSeed(0);
        List<String> out = new ArrayList<>();
        Tensor x = Tensor.rand(2, 1, 28, 28).requiresGrad(true);
        var lenet = new Conv2d(1, 6, Conv2dOptions.kernelSize(5).padding(2));
        Tensor a = lenet.forward(x).sigmoid();
        var wide = new Conv2d(6, 16, Conv2dOptions.kernelSize(3).stride(2));
        Tensor b = wide.forward(a);
        var winograd = new Conv2d(16, 16, Conv2dOptions.kernelSize(3).padding(1));
        Tensor c = winograd.forward(b);
        var fc = new Linear(16 * 13 * 13, 10);
        Tensor y = fc.forward(c.reshape(2, 16 * 13 * 13));
        y.pow(2).sum().backward();
        out.add(line("conv 5x5", a));
        out.add(line("conv stride 2", b));
        out.add(line("conv 3x3, 16 channels", c));
        out.add(line("linear", y));
        out.add(line("grad x", x.grad()));
        out.add(line("grad conv 5x5", lenet.weight().grad()));
        out.add(line("grad conv 3x3", winograd.weight().grad()));
        out.add(line("grad linear", fc.weight().grad()));
        return out;
    }

    private static String line(String name, Tensor t) {
        float[] f = t.toFloatArray();
        int hash = 1;
        for (float v : f) {
            hash = 31 * hash + Float.floatToRawIntBits(v);
        }
        return String.format("%s %s %08x %s %s", name, t.shape(), hash, f[0], f[f.length - 1]);
    }
}
