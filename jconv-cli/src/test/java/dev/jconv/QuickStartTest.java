package dev.jconv;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jconv.examples.Corr2d;
import dev.jconv.nn.Conv2dOptions;
import dev.jconv.nn.LazyConv2d;
import dev.jconv.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's quick start, line for line, prints what the README says it prints. */
class QuickStartTest {

    @Test
    void quickStartPrintsWhatTheReadmeShows() {
        List<String> printed = new ArrayList<>();
        Tensor x = Tensor.of(new double[][] {{0, 1, 2}, {3, 4, 5}, {6, 7, 8}});
        Tensor k = Tensor.of(new double[][] {{0, 1}, {2, 3}});
        printed.add(Corr2d.corr2d(x, k).toString());
        Tensor image = Tensor.ones(6, 8);
        image.slice(1, 2, 6).fill_(0);
        Tensor edges = Corr2d.corr2d(image, Tensor.of(new double[][] {{1, -1}}));

        Tensor.manualSeed(0);
        var conv2d = new LazyConv2d(1, Conv2dOptions.kernelSize(1, 2).bias(false));
        Tensor in = image.reshape(1, 1, 6, 8);
        Tensor target = edges.reshape(1, 1, 6, 7);
        for (int i = 0; i < 10; i++) {
            Tensor l = conv2d.forward(in).sub(target).pow(2);
            conv2d.zeroGrad();
            l.sum().backward();
            conv2d.weight().data().sub_(conv2d.weight().grad().mul(3e-2));
            if ((i + 1) % 2 == 0) {
                printed.add("epoch " + (i + 1) + ", loss " + l.sum().toFixed(3));
            }
        }
        printed.add(conv2d.weight().data().reshape(1, 2).toString());

        assertThat(printed).containsExactly("tensor([[19., 25.],\n        [37., 43.]])", "epoch 2, loss 8.330",
                "epoch 4, loss 1.722", "epoch 6, loss 0.422", "epoch 8, loss 0.125", "epoch 10, loss 0.043",
                "tensor([[ 1.0063, -0.9662]])");
    }
}
