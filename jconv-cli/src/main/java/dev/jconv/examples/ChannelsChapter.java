package dev.jconv.examples;

import dev.jconv.tensor.Tensor;

/** Multiple input and output channels, and the 1×1 convolution as a matrix multiplication. */
public final class ChannelsChapter implements Chapter {
    @Override
    public String name() {
        return "channels";
    }

    @Override
    public String title() {
        return "Multiple Input and Multiple Output Channels";
    }

    @Override
    public void run(Notebook nb, Long seed) {
        if (seed != null) {
            Tensor.manualSeed(seed);
        }
        nb.note("# " + title());
        nb.note("Colour images have three channels, and hidden layers many more. With several input "
                + "channels the kernel gets one slice per channel; each slice is cross-correlated with its "
                + "channel and the results are added. MultiChannel.corr2dMultiIn does that sum.");
        nb.cell(1, p -> { });
        nb.heading("Multiple Input Channels");
        Tensor[] xk = new Tensor[2];
        nb.cell(2, p -> {
            xk[0] = Tensor.of(new double[][][] {{{0, 1, 2}, {3, 4, 5}, {6, 7, 8}}, {{1, 2, 3}, {4, 5, 6}, {7, 8, 9}}});
            xk[1] = Tensor.of(new double[][][] {{{0, 1}, {2, 3}}, {{1, 2}, {3, 4}}});
            p.println(MultiChannel.corr2dMultiIn(xk[0], xk[1]));
        });
        nb.heading("Multiple Output Channels");
        nb.note("For several output channels, stack one multi-input kernel per output channel: the kernel "
                + "becomes (outputs, inputs, height, width). Here three kernels: K, K + 1 and K + 2.");
        nb.cell(3, p -> {
            xk[1] = Tensor.stack(new Tensor[] {xk[1], xk[1].add(1), xk[1].add(2)}, 0);
            p.println(xk[1].shape());
        });
        nb.note("The first output channel is the single-output result from above.");
        nb.cell(4, p -> p.println(MultiChannel.corr2dMultiInOut(xk[0], xk[1])));
        nb.heading("1 x 1 Convolutional Layer");
        nb.note("A 1 x 1 kernel looks at one pixel at a time across all channels: it is a fully connected "
                + "layer applied at every position, so it can be written as a matrix product of the "
                + "(outputs, inputs) weights with the (inputs, height * width) pixels.");
        nb.cell(5, p -> {
            Tensor x = Tensor.arange(27.0).reshape(3, 3, 3).div(4);
            Tensor k = Tensor.arange(6.0).reshape(2, 3, 1, 1).sub(2.5);
            Tensor y1 = MultiChannel.corr2dMultiInOut1x1(x, k);
            Tensor y2 = MultiChannel.corr2dMultiInOut(x, k);
            p.println(y1);
            p.println(y1.sub(y2).abs().sum().item() < 1e-6);
        });
    }
}
