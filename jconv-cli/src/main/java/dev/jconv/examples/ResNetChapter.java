package dev.jconv.examples;

/** ResNet-18 and the residual and ResNeXt blocks it is made of. */
public final class ResNetChapter implements Chapter {
    @Override
    public String name() {
        return "resnet";
    }

    @Override
    public String title() {
        return "Residual Networks (ResNet) and ResNeXt";
    }

    @Override
    public void run(Notebook nb, Long seed) {
        nb.note("# " + title());
        nb.note("A residual block adds its input to the output of two convolutions, so it only has to learn "
                + "a correction; ResNet-18 stacks four stages of two such blocks after a convolutional stem.");
        var net = ModernCnnCells.summary(nb, 1, seed, "resnet18", 1, 1, 96, 96);
        nb.note("The stages are named b2 to b5; a block whose shape changes has a 1 x 1 convolution conv3 on "
                + "its shortcut, the others have none:");
        ModernCnnCells.printout(nb, 2, "resnet18", net);
        nb.note("A block keeps its input shape, or with the 1 x 1 convolution and stride 2 halves the height "
                + "and width and changes the channels; a ResNeXt block (grouped bottleneck) keeps it too:");
        ModernCnnCells.residualBlocks(nb, 3, seed, 4, 3, 6, 6);
    }
}
