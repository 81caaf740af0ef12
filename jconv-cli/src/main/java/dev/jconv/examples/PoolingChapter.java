package dev.jconv.examples;

import dev.jconv.nn.AvgPool2d;
import dev.jconv.nn.MaxPool2d;
import dev.jconv.nn.Pool2dOptions;
import dev.jconv.storage.DType;
import dev.jconv.tensor.Tensor;

/** Max and average pooling: by hand, then as layers with padding and stride, over several channels. */
public final class PoolingChapter implements Chapter {
    @Override
    public String name() {
        return "pooling";
    }

    @Override
    public String title() {
        return "Pooling";
    }

    @Override
    public void run(Notebook nb, Long seed) {
        if (seed != null) {
            Tensor.manualSeed(seed);
        }
        nb.note("# " + title());
        nb.note("A pooling layer slides a window over its input like a convolution, but has no kernel: it "
                + "keeps the largest value of each window (max pooling) or their mean (average pooling). "
                + "It makes the output less sensitive to where exactly a feature sits, and shrinks it.");
        nb.cell(1, p -> { });
        nb.heading("Maximum Pooling and Average Pooling");
        Tensor[] x = new Tensor[1];
        nb.cell(2, p -> {
            x[0] = Tensor.of(new double[][] {{0, 1, 2}, {3, 4, 5}, {6, 7, 8}});
            p.println(Pool2d.pool2d(x[0], 2, 2, Pool2d.Mode.MAX));
        });
        nb.cell(3, p -> p.println(Pool2d.pool2d(x[0], 2, 2, Pool2d.Mode.AVG)));
        nb.heading("Padding and Stride");
        nb.note("Pooling layers take padding and stride like convolutions. By default the stride equals the "
                + "window size, so windows do not overlap. Here a (1, 1, 4, 4) input: one example, one channel.");
        nb.cell(4, p -> {
            x[0] = Tensor.arange(0, 16, 1, DType.FLOAT32).reshape(1, 1, 4, 4);
            p.println(x[0]);
        });
        nb.note("A 3 x 3 window with the default stride 3 fits once:");
        nb.cell(5, p -> p.println(new MaxPool2d(3).forward(x[0])));
        nb.note("Padding 1 and stride 2: floor((4 + 2 * 1 - 3) / 2) + 1 = 2 positions each way.");
        nb.cell(6, p -> p.println(new MaxPool2d(Pool2dOptions.kernelSize(3).padding(1).stride(2)).forward(x[0])));
        nb.note("Windows need not be square: a (2, 3) window, stride (2, 3), padding (0, 1).");
        nb.cell(7, p -> p.println(new MaxPool2d(Pool2dOptions.kernelSize(2, 3).stride(2, 3).padding(0, 1))
                .forward(x[0])));
        nb.heading("Multiple Channels");
        nb.note("Pooling works on each channel separately, so the output has as many channels as the input. "
                + "Concatenating X and X + 1 along the channel dimension gives two channels:");
        nb.cell(8, p -> {
            x[0] = Tensor.cat(new Tensor[] {x[0], x[0].add(1)}, 1);
            p.println(x[0]);
        });
        nb.cell(9, p -> p.println(new MaxPool2d(Pool2dOptions.kernelSize(3).padding(1).stride(2)).forward(x[0])));
        nb.note("Average pooling counts the zero padding in each mean by default...");
        nb.cell(10, p -> p.println(new AvgPool2d(Pool2dOptions.kernelSize(3).padding(1).stride(2)).forward(x[0])));
        nb.note("...and with countIncludePad(false) averages only the values inside the input.");
        nb.cell(11, p -> p.println(new AvgPool2d(Pool2dOptions.kernelSize(3).padding(1).stride(2)
                .countIncludePad(false)).forward(x[0])));
    }
}
