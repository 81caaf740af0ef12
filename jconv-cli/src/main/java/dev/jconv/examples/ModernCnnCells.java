package dev.jconv.examples;

import dev.jconv.models.DenseBlock;
import dev.jconv.models.DenseNet;
import dev.jconv.models.LayerSummary;
import dev.jconv.models.Models;
import dev.jconv.models.ResNeXtBlock;
import dev.jconv.models.Residual;
import dev.jconv.nn.Sequential;
import dev.jconv.tensor.Tensor;

/** The cells the modern-CNN chapters share: a network's layer summary, its printout, block shapes. */
final class ModernCnnCells {
    private ModernCnnCells() {
    }

    /**
     * A heading and a cell printing the layer summary of model {@code name} on a random input of
     * {@code shape}, drawn after reseeding (0 when replaying); returns the network, now initialised.
     */
    static Sequential summary(Notebook nb, int number, Long seed, String name, int... shape) {
        nb.heading(name + " layer_summary" + LayerSummary.tuple(shape));
        Sequential[] net = new Sequential[1];
        nb.cell(number, p -> {
            Tensor.manualSeed(seed == null ? 0 : seed);
            net[0] = Models.named(name);
            p.println(LayerSummary.reference(net[0], Tensor.randn(shape)).stripTrailing());
        });
        return net[0];
    }

    /** A heading and a cell printing an initialised network. */
    static void printout(Notebook nb, int number, String name, Sequential net) {
        nb.heading("print(" + name + ") after initialisation");
        nb.cell(number, p -> p.println(net));
    }

    /** The shapes residual blocks give for an input of {@code shape}: kept, halved with more channels, ResNeXt. */
    static void residualBlocks(Notebook nb, int number, Long seed, int... shape) {
        nb.heading("Residual blocks on " + LayerSummary.tuple(shape));
        nb.cell(number, p -> {
            Tensor.manualSeed(seed == null ? 0 : seed);
            Tensor x = Tensor.randn(shape);
            p.println(new Residual(shape[1]).forward(x).shape());
            p.println(new Residual(6, true, 2).forward(x).shape());
            p.println(new ResNeXtBlock(32, 16, 1).forward(Tensor.randn(shape[0], 32, shape[2], shape[3])).shape());
        });
    }

    /** The shapes a dense block of two 10-channel convolutions and a transition block give for {@code shape}. */
    static void denseBlocks(Notebook nb, int number, Long seed, int... shape) {
        nb.heading("DenseBlock(2, 10) and transition_block(10) on " + LayerSummary.tuple(shape));
        nb.cell(number, p -> {
            Tensor.manualSeed(seed == null ? 0 : seed);
            Tensor y = new DenseBlock(2, 10).forward(Tensor.randn(shape));
            p.println(y.shape());
            p.println(DenseNet.transitionBlock(10).forward(y).shape());
        });
    }
}
