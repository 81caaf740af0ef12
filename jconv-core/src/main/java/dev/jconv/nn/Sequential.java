package dev.jconv.nn;

import dev.jconv.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/** Modules applied one after another, named {@code 0}, {@code 1}, … as in {@code nn.Sequential}. */
public class Sequential extends Module {
    private final List<Module> layers = new ArrayList<>();

    public Sequential(Module... layers) {
        for (Module m : layers) {
            add(m);
        }
    }

    /** Appends a layer; returns this. */
    public Sequential add(Module layer) {
        return add(Integer.toString(layers.size()), layer);
    }

    /**
     * Appends a layer under {@code name} instead of its position, like {@code add_module(name, layer)} on an
     * {@code nn.Sequential}; it still runs in the order added. Returns this.
     */
    public Sequential add(String name, Module layer) {
        registerModule(name, layer);
        layers.add(layer);
        return this;
    }

    /** The layer at {@code index}. */
    public Module get(int index) {
        return layers.get(index);
    }

    /**
     * The layer at {@code index} as the class the caller expects, {@code net.get(0, Conv2d.class).weight()},
     * without a cast; a layer of another class is refused naming both.
     */
    public <M extends Module> M get(int index, Class<M> type) {
        if (index < 0 || index >= layers.size()) {
            throw new IllegalArgumentException("index " + index + " is out of range for a Sequential of "
                    + layers.size() + " layers");
        }
        Module layer = layers.get(index);
        if (!type.isInstance(layer)) {
            throw new IllegalArgumentException("layer " + index + " is a " + layer.getClass().getSimpleName()
                    + ", not a " + type.getSimpleName());
        }
        return type.cast(layer);
    }

    /** The layers in order (unmodifiable). */
    public List<Module> layers() {
        return java.util.Collections.unmodifiableList(layers);
    }

    @Override
    public Tensor forward(Tensor input) {
        Tensor x = input;
        for (Module m : layers) {
            x = m.forward(x);
        }
        return x;
    }
}
