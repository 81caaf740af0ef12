package dev.jconv.models;

import dev.jconv.nn.Conv2d;
import dev.jconv.nn.Init;
import dev.jconv.nn.Linear;
import dev.jconv.nn.Module;
import dev.jconv.nn.Sequential;
import dev.jconv.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** The chapter's networks by name, and D2L's weight initialisation for them. */
public final class Models {
    private static final Map<String, Supplier<Sequential>> BY_NAME = new LinkedHashMap<>();

    static {
        BY_NAME.put("alexnet", AlexNet::create);
        BY_NAME.put("vgg11", VGG::vgg11);
        BY_NAME.put("nin", NiN::create);
        BY_NAME.put("googlenet", GoogLeNet::create);
        BY_NAME.put("bn-lenet", BNLeNet::concise);
        BY_NAME.put("resnet18", ResNet::resnet18);
        BY_NAME.put("densenet", DenseNet::create);
        BY_NAME.put("regnetx32", RegNet::regNetX32);
    }

    private Models() {
    }

    /** The names {@link #named} knows, in the chapter's order. */
    public static List<String> names() {
        return List.copyOf(BY_NAME.keySet());
    }

    /** A new, not yet initialised, 10-class network: {@code alexnet}, {@code vgg11}, …, {@code regnetx32}. */
    public static Sequential named(String name) {
        Supplier<Sequential> factory = BY_NAME.get(name);
        if (factory == null) {
            throw new IllegalArgumentException("unknown model '" + name + "'; known: " + String.join(", ", names()));
        }
        return factory.get();
    }

    /**
     * D2L's {@code init_cnn}: refills the weight of every {@code Conv2d} and {@code Linear} in the tree
     * (lazy ones included) with Xavier-uniform values from the global generator, leaving biases and other
     * layers as they are. Lazy layers must have seen an input first (see {@link #applyInit}). Returns
     * {@code module}.
     */
    public static <M extends Module> M initCnn(M module) {
        visit(module);
        return module;
    }

    private static void visit(Module m) {
        switch (m) {
            case Conv2d c -> xavier(c.weight(), c);
            case Linear l -> xavier(l.weight(), l);
            default -> { }
        }
        for (Module child : m.namedChildren().values()) {
            visit(child);
        }
    }

    private static void xavier(dev.jconv.nn.Parameter weight, Module owner) {
        if (!weight.isMaterialized()) {
            throw new IllegalStateException(owner + " has no weights yet: call the network once on an input "
                    + "(Models.applyInit) before initialising it");
        }
        Init.xavierUniform(weight);
    }

    /**
     * D2L's {@code apply_init}: runs {@code example} through the network once, without recording gradients,
     * so that every lazy layer learns its input size, then applies {@link #initCnn}. Returns {@code module}.
     */
    public static <M extends Module> M applyInit(M module, Tensor example) {
        try (var ignored = Tensor.noGrad()) {
            module.forward(example);
        }
        return initCnn(module);
    }
}
