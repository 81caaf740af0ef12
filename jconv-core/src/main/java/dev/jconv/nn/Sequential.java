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
