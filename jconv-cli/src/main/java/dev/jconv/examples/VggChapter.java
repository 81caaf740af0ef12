package dev.jconv.examples;

/** VGG: networks made of repeated convolution blocks; VGG-11 layer by layer. */
public final class VggChapter implements Chapter {
    @Override
    public String name() {
        return "vgg";
    }

    @Override
    public String title() {
        return "Networks Using Blocks (VGG)";
    }

    @Override
    public void run(Notebook nb, Long seed) {
        nb.note("# " + title());
        nb.note("VGG builds a network from one repeated block: some padded 3 x 3 convolutions, which keep the "
                + "height and width, then a 2 x 2 max pooling that halves them. VGG-11 has five blocks with 8 "
                + "convolutions in all; each block output below is one line. (The chapter trains a version with "
                + "a quarter of the channels, VGG.narrow(), which has the same shapes but fewer channels.)");
        ModernCnnCells.summary(nb, 1, seed, "vgg11", 1, 1, 224, 224);
    }
}
