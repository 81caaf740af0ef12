package dev.jconv.examples;

/** Network in Network: 1 x 1 convolutions instead of dense layers. */
public final class NinChapter implements Chapter {
    @Override
    public String name() {
        return "nin";
    }

    @Override
    public String title() {
        return "Network in Network (NiN)";
    }

    @Override
    public void run(Notebook nb, Long seed) {
        nb.note("# " + title());
        nb.note("NiN follows each convolution with two 1 x 1 convolutions, a small fully connected network at "
                + "every pixel, and drops the dense layers: the last block has one channel per class and global "
                + "average pooling turns each channel into a score.");
        ModernCnnCells.summary(nb, 1, seed, "nin", 1, 1, 224, 224);
    }
}
