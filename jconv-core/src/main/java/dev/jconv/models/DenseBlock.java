package dev.jconv.models;

import dev.jconv.nn.Module;
import dev.jconv.nn.Sequential;
import dev.jconv.tensor.Tensor;

/**
 * DenseNet's dense block: {@code numConvs} convolution blocks ({@link DenseNet#convBlock}), each seeing the
 * block's input concatenated with every earlier block's output, so the channels grow by
 * {@code numChannels} per convolution. The convolution blocks live in a {@code Sequential} named {@code net}.
 */
public class DenseBlock extends Module {
    private final Sequential net;

    public DenseBlock(int numConvs, int numChannels) {
        net = registerModule("net", new Sequential());
        for (int i = 0; i < numConvs; i++) {
            net.add(DenseNet.convBlock(numChannels));
        }
    }

    @Override
    public Tensor forward(Tensor x) {
        for (Module block : net.layers()) {
            Tensor y = block.forward(x);
            x = Tensor.cat(new Tensor[] {x, y}, 1);
        }
        return x;
    }
}
