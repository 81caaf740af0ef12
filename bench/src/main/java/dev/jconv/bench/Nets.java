package dev.jconv.bench;

import dev.jconv.examples.LeNet;
import dev.jconv.nn.AdaptiveAvgPool2d;
import dev.jconv.nn.BatchNorm2d;
import dev.jconv.nn.Conv2d;
import dev.jconv.nn.Conv2dOptions;
import dev.jconv.nn.Flatten;
import dev.jconv.nn.Linear;
import dev.jconv.nn.MaxPool2d;
import dev.jconv.nn.Module;
import dev.jconv.nn.Pool2dOptions;
import dev.jconv.nn.ReLU;
import dev.jconv.nn.Sequential;
import dev.jconv.tensor.Tensor;

/** The networks the step benchmark trains, with concrete channel counts (the same as PyTorch's script). */
final class Nets {
    private Nets() {
    }

    /** D2L's residual block: two 3x3 convolutions with batch norm, an optional 1x1 projection. */
    static final class Residual extends Module {
        private final Conv2d conv1;
        private final Conv2d conv2;
        private final Conv2d conv3;
        private final BatchNorm2d bn1;
        private final BatchNorm2d bn2;

        Residual(int in, int out, boolean use1x1, int stride) {
            conv1 = registerModule("conv1", new Conv2d(in, out, Conv2dOptions.kernelSize(3).padding(1).stride(stride)));
            conv2 = registerModule("conv2", new Conv2d(out, out, Conv2dOptions.kernelSize(3).padding(1)));
            conv3 = use1x1 ? registerModule("conv3", new Conv2d(in, out, Conv2dOptions.kernelSize(1).stride(stride))) : null;
            bn1 = registerModule("bn1", new BatchNorm2d(out));
            bn2 = registerModule("bn2", new BatchNorm2d(out));
        }

        @Override
        public Tensor forward(Tensor x) {
            Tensor y = bn1.forward(conv1.forward(x)).relu();
            y = bn2.forward(conv2.forward(y));
            Tensor shortcut = conv3 == null ? x : conv3.forward(x);
            return y.add(shortcut).relu();
        }
    }

    /** D2L's ResNet-18 for {@code in} input channels and 10 classes. */
    static Sequential resnet18(int in) {
        Sequential net = new Sequential(
                new Conv2d(in, 64, Conv2dOptions.kernelSize(7).stride(2).padding(3)), new BatchNorm2d(64), new ReLU(),
                new MaxPool2d(Pool2dOptions.kernelSize(3).stride(2).padding(1)));
        int[][] arch = {{2, 64}, {2, 128}, {2, 256}, {2, 512}};
        int channels = 64;
        for (int i = 0; i < arch.length; i++) {
            Sequential stage = new Sequential();
            for (int j = 0; j < arch[i][0]; j++) {
                boolean first = j == 0 && i != 0;
                stage.add(new Residual(channels, arch[i][1], first, first ? 2 : 1));
                channels = arch[i][1];
            }
            net.add(stage);
        }
        return net.add(new AdaptiveAvgPool2d(1, 1)).add(new Flatten()).add(new Linear(512, 10));
    }

    static Module named(String name) {
        return switch (name) {
            case "resnet18" -> resnet18(1);
            case "lenet" -> LeNet.classic();
            default -> throw new IllegalArgumentException("unknown network " + name + " (resnet18, lenet)");
        };
    }
}
