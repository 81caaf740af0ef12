package dev.jconv.examples;

/** AlexNet: the layer shapes of the first deep CNN, and the network once its lazy layers are sized. */
public final class AlexNetChapter implements Chapter {
    @Override
    public String name() {
        return "alexnet";
    }

    @Override
    public String title() {
        return "Deep Convolutional Neural Networks (AlexNet)";
    }

    @Override
    public void run(Notebook nb, Long seed) {
        nb.note("# " + title());
        nb.note("AlexNet is LeNet made deeper and wider for 224 x 224 colour images: an 11 x 11 convolution with "
                + "stride 4 shrinks the image early, four more convolutions and three max poolings follow, then "
                + "two 4096-wide dense layers regularised by dropout. Every layer is lazy: its input size comes "
                + "from the first batch. Here a single-channel (Fashion-MNIST upsampled) input:");
        var net = ModernCnnCells.summary(nb, 1, seed, "alexnet", 1, 1, 224, 224);
        nb.note("After that first call every lazy layer knows its input size and prints as the plain layer:");
        ModernCnnCells.printout(nb, 2, "alexnet", net);
    }
}
