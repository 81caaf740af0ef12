package dev.jconv.models;

import static dev.jconv.models.Layers.conv;
import static dev.jconv.models.Layers.maxPool;

import dev.jconv.nn.LazyConv2d;
import dev.jconv.nn.MaxPool2d;
import dev.jconv.nn.Module;
import dev.jconv.tensor.Tensor;

/**
 * GoogLeNet's Inception block: four parallel branches over the same input, concatenated along the channels.
 * Branch 1 is a 1×1 convolution; branches 2 and 3 reduce the channels with a 1×1 convolution before a 3×3 or
 * 5×5 one; branch 4 is a 3×3 max pooling followed by a 1×1 convolution. Every branch keeps the height and
 * width, so the output has {@code c1 + c2[1] + c3[1] + c4} channels.
 */
public class Inception extends Module {
    private final LazyConv2d b11;
    private final LazyConv2d b21;
    private final LazyConv2d b22;
    private final LazyConv2d b31;
    private final LazyConv2d b32;
    private final MaxPool2d b41;
    private final LazyConv2d b42;

    /**
     * @param c1 channels of branch 1
     * @param c2 (reduced, output) channels of branch 2
     * @param c3 (reduced, output) channels of branch 3
     * @param c4 channels of branch 4
     */
    public Inception(int c1, int[] c2, int[] c3, int c4) {
        if (c2.length != 2 || c3.length != 2) {
            throw new IllegalArgumentException("branches 2 and 3 take (reduced, output) channel pairs");
        }
        b11 = registerModule("b1_1", conv(c1, 1, 0));
        b21 = registerModule("b2_1", conv(c2[0], 1, 0));
        b22 = registerModule("b2_2", conv(c2[1], 3, 1));
        b31 = registerModule("b3_1", conv(c3[0], 1, 0));
        b32 = registerModule("b3_2", conv(c3[1], 5, 2));
        b41 = registerModule("b4_1", maxPool(3, 1, 1));
        b42 = registerModule("b4_2", conv(c4, 1, 0));
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor b1 = b11.forward(x).relu();
        Tensor b2 = b22.forward(b21.forward(x).relu()).relu();
        Tensor b3 = b32.forward(b31.forward(x).relu()).relu();
        Tensor b4 = b42.forward(b41.forward(x)).relu();
        return Tensor.cat(new Tensor[] {b1, b2, b3, b4}, 1);
    }
}
