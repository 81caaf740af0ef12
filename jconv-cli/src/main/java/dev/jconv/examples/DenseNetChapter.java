package dev.jconv.examples;

/** DenseNet: dense blocks that concatenate, transition blocks that shrink. */
public final class DenseNetChapter implements Chapter {
    @Override
    public String name() {
        return "densenet";
    }

    @Override
    public String title() {
        return "Densely Connected Networks (DenseNet)";
    }

    @Override
    public void run(Notebook nb, Long seed) {
        nb.note("# " + title());
        nb.note("In a dense block every convolution sees the concatenation of the block input and all earlier "
                + "outputs, so the channels grow by the growth rate at each convolution; transition blocks "
                + "halve the channels and the resolution between dense blocks.");
        ModernCnnCells.summary(nb, 1, seed, "densenet", 1, 1, 96, 96);
        nb.note("Two convolutions of 10 channels turn 3 channels into 3 + 2 * 10 = 23; a transition block "
                + "brings them to 10 and halves the height and width:");
        ModernCnnCells.denseBlocks(nb, 2, seed, 4, 3, 8, 8);
    }
}
