package dev.jconv.examples;

import dev.jconv.nn.Conv2dOptions;
import dev.jconv.nn.LazyConv2d;
import dev.jconv.nn.OutputSize;
import dev.jconv.tensor.Tensor;

/**
 * Convolutions for images, then padding and stride: cross-correlation by hand, an edge detector, learning
 * its kernel with autograd, and how padding and stride set the output size.
 */
public final class ConvolutionsChapter implements Chapter {
    /** The kernel the recorded notebook started its learning loop from (its random draw was not saved). */
    static final double[] NOTEBOOK_START_KERNEL = {0.2993, 0.6984};

    @Override
    public String name() {
        return "convolutions";
    }

    @Override
    public String title() {
        return "Convolutions for Images; Padding and Stride";
    }

    @Override
    public void run(Notebook nb, Long seed) {
        if (seed != null) {
            Tensor.manualSeed(seed);
        }
        nb.note("# " + title());
        nb.cell(1, p -> { });
        nb.heading("The Cross-Correlation Operation");
        nb.note("A convolution layer actually computes a cross-correlation: the kernel slides over the input, "
                + "and each output element is the sum of the elementwise product of the kernel with the window "
                + "under it. An (H, W) input and an (h, w) kernel give an (H - h + 1, W - w + 1) output. "
                + "Corr2d.corr2d writes that as a plain loop.");
        nb.cell(3, p -> { });
        nb.cell(4, p -> {
            Tensor x = Tensor.of(new double[][] {{0, 1, 2}, {3, 4, 5}, {6, 7, 8}});
            Tensor k = Tensor.of(new double[][] {{0, 1}, {2, 3}});
            p.println(Corr2d.corr2d(x, k));
        });

        nb.heading("Convolutional Layers");
        nb.note("A layer holds the kernel and a scalar bias as parameters and adds the bias to the "
                + "cross-correlation. The example class Conv2D does exactly that: a Module that registers a "
                + "weight drawn from [0, 1) and a zero bias.");
        nb.cell(5, p -> { });
        nb.heading("Object Edge Detection in Images");
        nb.note("An image 6 pixels high and 8 wide: a black band (zeros) between white columns (ones). "
                + "Writing through a slice view blacks out columns 2 to 5 in one line.");
        Tensor[] xy = new Tensor[2];
        nb.cell(6, p -> {
            Tensor x = Tensor.ones(6, 8);
            x.slice(1, 2, 6).fill_(0);
            xy[0] = x;
            p.println(x);
        });
        Tensor[] kernel = new Tensor[1];
        nb.cell(7, p -> kernel[0] = Tensor.of(new double[][] {{1.0, -1.0}}));
        nb.note("The kernel [1, -1] answers 1 where white turns to black going right, -1 where black turns "
                + "to white, and 0 where nothing changes.");
        nb.cell(8, p -> {
            xy[1] = Corr2d.corr2d(xy[0], kernel[0]);
            p.println(xy[1]);
        });
        nb.note("On the transposed image the edges run horizontally, and this kernel sees none of them.");
        nb.cell(10, p -> p.println(Corr2d.corr2d(xy[0].t(), kernel[0])));

        learningAKernel(nb, seed, xy[0], xy[1]);
        paddingAndStride(nb);
    }

    private void learningAKernel(Notebook nb, Long seed, Tensor image, Tensor edges) {
        nb.heading("Learning a Kernel");
        nb.note("Can the kernel be learned from the input and the wanted output alone? A LazyConv2d with one "
                + "output channel and a (1, 2) kernel, no bias, takes its input channel count from the first "
                + "batch. The loss is the squared error; each step subtracts 3e-2 times the gradient from the "
                + "kernel's data.");
        LazyConv2d[] conv = new LazyConv2d[1];
        nb.cell(11, p -> {
            LazyConv2d conv2d = new LazyConv2d(1, Conv2dOptions.kernelSize(1, 2).bias(false));
            Tensor x = image.reshape(1, 1, 6, 8);
            Tensor y = edges.reshape(1, 1, 6, 7);
            double lr = 3e-2;
            if (seed == null) {
                conv2d.forward(x); // the first call gives the lazy layer its input channels and a weight
                conv2d.weight().data().copy_(Tensor.of(NOTEBOOK_START_KERNEL).reshape(1, 1, 1, 2));
            }
            for (int i = 0; i < 10; i++) {
                Tensor yHat = conv2d.forward(x);
                Tensor l = yHat.sub(y).pow(2);
                conv2d.zeroGrad();
                l.sum().backward();
                conv2d.weight().data().sub_(conv2d.weight().grad().mul(lr));
                if ((i + 1) % 2 == 0) {
                    p.println("epoch " + (i + 1) + ", loss " + l.sum().toFixed(3));
                }
            }
            conv[0] = conv2d;
        });
        if (seed == null) {
            nb.note("(Replaying the recorded notebook: the loop started from the kernel [0.2993, 0.6984]; "
                    + "run with --seed N to draw it from the generator instead.)");
        } else {
            nb.note("(The kernel started from the generator's draw after manualSeed(" + seed + ").)");
        }
        nb.note("The learned kernel is close to [1, -1]:");
        nb.cell(12, p -> p.println(conv[0].weight().data().reshape(1, 2)));
    }

    private void paddingAndStride(Notebook nb) {
        nb.heading("Padding");
        nb.note("Each convolution shrinks its input by kernel - 1 in each dimension. Padding adds rows and "
                + "columns of zeros around the input to compensate: with p rows on each side, the height "
                + "becomes H - h + 2p + 1. compConv2d adds the batch and channel dimensions a layer expects and "
                + "strips them from its output.");
        Tensor[] x = new Tensor[1];
        nb.cell(13, p -> {
            LazyConv2d conv2d = new LazyConv2d(1, Conv2dOptions.kernelSize(3).padding(1));
            x[0] = Tensor.rand(8, 8);
            p.println(compConv2d(conv2d, x[0]).shape());
        });
        nb.note(OutputSize.explain(new int[] {8, 8}, new int[] {3, 3}, new int[] {1, 1}, new int[] {1, 1},
                new int[] {1, 1}));
        nb.note("A kernel 5 high and 3 wide keeps the size with padding 2 above and below and 1 on each side:");
        nb.cell(14, p -> {
            LazyConv2d conv2d = new LazyConv2d(1, Conv2dOptions.kernelSize(5, 3).padding(2, 1));
            p.println(compConv2d(conv2d, x[0]).shape());
        });
        nb.note(OutputSize.explain(new int[] {8, 8}, new int[] {5, 3}, new int[] {2, 1}, new int[] {1, 1},
                new int[] {1, 1}));

        nb.heading("Stride");
        nb.note("The stride is how far the window moves at each step. A stride s divides the output size by "
                + "about s: floor((H - h + 2p) / s) + 1.");
        nb.cell(15, p -> {
            LazyConv2d conv2d = new LazyConv2d(1, Conv2dOptions.kernelSize(3).padding(1).stride(2));
            p.println(compConv2d(conv2d, x[0]).shape());
        });
        nb.note(OutputSize.explain(new int[] {8, 8}, new int[] {3, 3}, new int[] {1, 1}, new int[] {2, 2},
                new int[] {1, 1}));
        nb.cell(16, p -> {
            LazyConv2d conv2d = new LazyConv2d(1, Conv2dOptions.kernelSize(3, 5).padding(0, 1).stride(3, 4));
            p.println(compConv2d(conv2d, x[0]).shape());
        });
        nb.note(OutputSize.explain(new int[] {8, 8}, new int[] {3, 5}, new int[] {0, 1}, new int[] {3, 4},
                new int[] {1, 1}));
    }

    /** Runs a layer on a single-channel (H, W) image and returns the (H', W') result. */
    static Tensor compConv2d(LazyConv2d conv2d, Tensor x) {
        int[] hw = x.shape().toArray();
        Tensor y = conv2d.forward(x.reshape(1, 1, hw[0], hw[1]));
        return y.reshape(y.size(2), y.size(3));
    }
}
