package dev.jconv.examples;

/** RegNetX-32: an AnyNet of ResNeXt stages. */
public final class RegNetChapter implements Chapter {
    @Override
    public String name() {
        return "regnet";
    }

    @Override
    public String title() {
        return "Designing Convolution Network Architectures (RegNet)";
    }

    @Override
    public void run(Notebook nb, Long seed) {
        nb.note("# " + title());
        nb.note("AnyNet networks are a stem, stages of ResNeXt blocks and a head; RegNet picks the stage "
                + "depths and widths by a simple rule. RegNetX-32 has two stages (4 blocks of 32 channels, 6 of "
                + "80), each starting by halving the resolution:");
        ModernCnnCells.summary(nb, 1, seed, "regnetx32", 1, 1, 96, 96);
    }
}
