package dev.jconv.examples;

/** Batch normalisation in LeNet: the lazy batch-norm layers take their sizes from the data. */
public final class BatchNormChapter implements Chapter {
    @Override
    public String name() {
        return "batch-norm";
    }

    @Override
    public String title() {
        return "Batch Normalization";
    }

    @Override
    public void run(Notebook nb, Long seed) {
        nb.note("# " + title());
        nb.note("Batch normalisation rescales each channel (after a convolution) or feature (after a dense "
                + "layer) to zero mean and unit variance over the minibatch, then applies a learned scale and "
                + "shift. Added to LeNet after each convolution and hidden dense layer, before the sigmoid. "
                + "Statistics need more than one value per channel, hence a batch of two:");
        ModernCnnCells.summary(nb, 1, seed, "bn-lenet", 2, 1, 28, 28);
    }
}
