package dev.jconv.nn;

import dev.jconv.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Base class of layers and models, like {@code torch.nn.Module}. Subclasses register their parameters and
 * sub-modules by name in the constructor; {@link #parameters()}, {@link #zeroGrad()}, {@link #train()} and
 * {@link #toString()} then walk that tree in registration order.
 */
public abstract class Module {
    private final Map<String, Parameter> parameters = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    private boolean training = true;

    /** Computes the module's output. */
    public abstract Tensor forward(Tensor input);

    /** Registers a parameter under {@code name} (null records an absent one, e.g. no bias); returns it. */
    protected final <P extends Parameter> P registerParameter(String name, P parameter) {
        checkName(name);
        parameters.put(name, parameter);
        return parameter;
    }

    /**
     * Registers state that is saved with the module but not trained (e.g. batch-norm running statistics);
     * returns it. Update a buffer in place ({@code copy_}) so the registered object stays current.
     */
    protected final Tensor registerBuffer(String name, Tensor buffer) {
        checkName(name);
        buffers.put(name, buffer);
        return buffer;
    }

    /**
     * Puts a new tensor in place of a registered buffer (e.g. once a lazy module knows its sizes); returns
     * it. The name must already be registered as a buffer.
     */
    protected final Tensor replaceBuffer(String name, Tensor buffer) {
        if (!buffers.containsKey(name)) {
            throw new IllegalArgumentException("no buffer '" + name + "' is registered in " + getClass().getSimpleName());
        }
        buffers.put(name, buffer);
        return buffer;
    }

    /** Registers a sub-module under {@code name}; returns it. */
    protected final <M extends Module> M registerModule(String name, M module) {
        checkName(name);
        children.put(name, module);
        return module;
    }

    private void checkName(String name) {
        if (name == null || name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException("module attribute name must be non-empty and contain no '.', got '"
                    + name + "'");
        }
        if (parameters.containsKey(name) || children.containsKey(name) || buffers.containsKey(name)) {
            throw new IllegalArgumentException("attribute '" + name + "' is already registered in " + getClass().getSimpleName());
        }
    }

    /** All parameters of this module and its sub-modules, in registration order. */
    public final List<Parameter> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /** Parameters by dotted path ({@code 0.weight}, {@code features.1.bias}), as PyTorch names them. */
    public final Map<String, Parameter> namedParameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        collect("", out);
        return out;
    }

    private void collect(String prefix, Map<String, Parameter> out) {
        for (var e : parameters.entrySet()) {
            Parameter p = e.getValue();
            if (p == null) {
                continue;
            }
            if (!p.isMaterialized()) {
                throw new IllegalStateException("parameter '" + prefix + e.getKey() + "' of " + getClass().getSimpleName()
                        + " is not initialised yet: call the lazy module once on an input first");
            }
            out.putIfAbsent(prefix + e.getKey(), p);
        }
        for (var e : children.entrySet()) {
            e.getValue().collect(prefix + e.getKey() + ".", out);
        }
    }

    /**
     * Everything that defines the module's state, by PyTorch's names and in PyTorch's order: each module's
     * parameters, then its buffers, then its children's entries. This is what {@code state_dict()} holds.
     */
    public final Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collectState("", out);
        return out;
    }

    private void collectState(String prefix, Map<String, Tensor> out) {
        for (var e : parameters.entrySet()) {
            if (e.getValue() != null) {
                if (!e.getValue().isMaterialized()) {
                    throw new IllegalStateException("parameter '" + prefix + e.getKey()
                            + "' is not initialised yet: call the lazy module once on an input first");
                }
                out.put(prefix + e.getKey(), e.getValue());
            }
        }
        for (var e : buffers.entrySet()) {
            if (e.getValue() != null) {
                out.put(prefix + e.getKey(), e.getValue());
            }
        }
        for (var e : children.entrySet()) {
            e.getValue().collectState(prefix + e.getKey() + ".", out);
        }
    }

    /** Direct sub-modules by name. */
    public final Map<String, Module> namedChildren() {
        return java.util.Collections.unmodifiableMap(children);
    }

    /** Clears the gradients of every parameter (PyTorch's {@code zero_grad(set_to_none=True)}). */
    public void zeroGrad() {
        for (Parameter p : parameters.values()) {
            if (p != null) {
                p.setGrad(null);
            }
        }
        for (Module m : children.values()) {
            m.zeroGrad();
        }
    }

    /** Switches this module and its children to training mode; returns this. */
    public Module train() {
        return train(true);
    }

    /** Sets training mode on the whole tree; returns this. */
    public Module train(boolean mode) {
        training = mode;
        for (Module m : children.values()) {
            m.train(mode);
        }
        return this;
    }

    /** Switches to evaluation mode (dropout off, batch-norm uses running statistics); returns this. */
    public Module eval() {
        return train(false);
    }

    /** Whether the module is in training mode. */
    public boolean isTraining() {
        return training;
    }

    /** The name shown by {@link #toString()}; the class name unless a module says otherwise. */
    protected String name() {
        return getClass().getSimpleName();
    }

    /**
     * The class name PyTorch reports for this module ({@code type(m).__name__}): the name {@link #toString()}
     * starts with, e.g. {@code Conv2d} for a {@code LazyConv2d} after its first call.
     */
    public final String className() {
        return name();
    }

    /** The arguments shown between the parentheses, like PyTorch's {@code extra_repr()}. */
    protected String extraRepr() {
        return "";
    }

    /** PyTorch's module tree: {@code Sequential(\n  (0): Conv2d(...)\n)}. */
    @Override
    public String toString() {
        if (children.isEmpty()) {
            return name() + "(" + extraRepr() + ")";
        }
        StringBuilder sb = new StringBuilder(name()).append('(');
        String extra = extraRepr();
        if (!extra.isEmpty()) {
            sb.append("\n  ").append(extra.replace("\n", "\n  "));
        }
        for (var e : children.entrySet()) {
            sb.append("\n  (").append(e.getKey()).append("): ").append(e.getValue().toString().replace("\n", "\n  "));
        }
        return sb.append("\n)").toString();
    }
}
