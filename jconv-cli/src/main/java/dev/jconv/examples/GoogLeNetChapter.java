package dev.jconv.examples;

/** GoogLeNet: Inception blocks with parallel branches, stage by stage. */
public final class GoogLeNetChapter implements Chapter {
    @Override
    public String name() {
        return "googlenet";
    }

    @Override
    public String title() {
        return "Multi-Branch Networks (GoogLeNet)";
    }

    @Override
    public void run(Notebook nb, Long seed) {
        nb.note("# " + title());
        nb.note("GoogLeNet runs several convolutions of different sizes side by side in each Inception block "
                + "and concatenates their channels. Nine such blocks sit between a convolutional stem and a global "
                + "average pooling; on a 96 x 96 input each stage halves the resolution:");
        ModernCnnCells.summary(nb, 1, seed, "googlenet", 1, 1, 96, 96);
    }
}
