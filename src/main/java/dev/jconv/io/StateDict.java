package dev.jconv.io;

import dev.jconv.nn.Module;
import dev.jconv.nn.Parameter;
import dev.jconv.tensor.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model's parameters by their PyTorch names ({@code 0.weight}, {@code 3.bias}, …), saved to and loaded
 * from safetensors files, like {@code model.state_dict()} and {@code model.load_state_dict(...)}. A file
 * saved from the same architecture in PyTorch ({@code safetensors.torch.save_file(model.state_dict(), f)})
 * loads into a jconv model, and the other way round.
 *
 * <p>Only parameters are saved: jconv's modules have no buffers (such as batch-norm statistics) yet.
 */
public final class StateDict {
    private StateDict() {
    }

    /**
     * The parameters of {@code module} by dotted name, in registration order ({@code state_dict()}). The
     * tensors share the parameters' storage and are cut from the autograd graph.
     */
    public static Map<String, Tensor> of(Module module) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> e : module.namedParameters().entrySet()) {
            out.put(e.getKey(), e.getValue().detach());
        }
        return out;
    }

    /** Saves the parameters of {@code module} to {@code file} as safetensors (atomically). */
    public static void save(Module module, Path file) {
        SafeTensors.write(of(module), file);
    }

    /**
     * Loads a safetensors file into {@code module}'s parameters; see {@link #load(Module, Map)}.
     *
     * @throws IllegalArgumentException if the file is not valid safetensors, or does not fit the module
     */
    public static void load(Module module, Path file) {
        Map<String, Tensor> state = SafeTensors.read(file);
        try {
            load(module, state);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + "\n\t(checkpoint: " + file + ")", e);
        }
    }

    /**
     * Copies {@code state} into {@code module}'s existing parameters, in place and unrecorded by autograd, so
     * optimizers holding them keep working ({@code load_state_dict(state, strict=True)}). Nothing is changed
     * unless everything fits: otherwise one exception lists every problem as PyTorch words it — missing keys,
     * unexpected keys, size mismatches — and dtype mismatches, which PyTorch would convert silently.
     *
     * @throws IllegalArgumentException if keys, shapes or dtypes do not match
     */
    public static void load(Module module, Map<String, Tensor> state) {
        List<String> missing = new ArrayList<>();
        List<String> unexpected = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        Map<Parameter, Tensor> copies = new LinkedHashMap<>();
        visit(module, "", state, missing, unexpected, errors, copies);
        if (!unexpected.isEmpty()) {
            errors.addFirst("Unexpected key(s) in state_dict: " + quoted(unexpected) + ". ");
        }
        if (!missing.isEmpty()) {
            errors.addFirst("Missing key(s) in state_dict: " + quoted(missing) + ". ");
        }
        if (!errors.isEmpty()) {
            String name = module.getClass().getSimpleName().isEmpty() ? module.getClass().getName()
                    : module.getClass().getSimpleName();
            throw new IllegalArgumentException("Error(s) in loading state_dict for " + name + ":\n\t"
                    + String.join("\n\t", errors));
        }
        try (var ignored = Tensor.noGrad()) {
            for (Map.Entry<Parameter, Tensor> e : copies.entrySet()) {
                e.getKey().copy_(e.getValue());
            }
        }
    }

    /** PyTorch's recursive {@code _load_from_state_dict}: a module's own parameters, then its children. */
    private static void visit(Module module, String prefix, Map<String, Tensor> state, List<String> missing,
            List<String> unexpected, List<String> errors, Map<Parameter, Tensor> copies) {
        Map<String, Parameter> local = new LinkedHashMap<>();
        module.namedParameters().forEach((name, p) -> {
            if (!name.contains(".")) {
                local.put(name, p);
            }
        });
        Map<String, Module> children = module.namedChildren();
        for (Map.Entry<String, Parameter> e : local.entrySet()) {
            String key = prefix + e.getKey();
            Tensor value = state.get(key);
            Parameter param = e.getValue();
            if (value == null) {
                missing.add(key);
            } else if (!value.shape().equals(param.shape())) {
                errors.add("size mismatch for " + key + ": copying a param with shape " + value.shape()
                        + " from checkpoint, the shape in current model is " + param.shape() + ".");
            } else if (value.dtype() != param.dtype()) {
                errors.add("dtype mismatch for " + key + ": copying a param with dtype " + value.dtype()
                        + " from checkpoint, the dtype in current model is " + param.dtype() + ".");
            } else {
                copies.put(param, value);
            }
        }
        // A key is unexpected here when its next name part is neither a parameter nor a child of this module.
        for (String key : state.keySet()) {
            if (key.startsWith(prefix)) {
                String head = key.substring(prefix.length()).split("\\.", 2)[0];
                if (!children.containsKey(head) && !local.containsKey(head)) {
                    unexpected.add(key);
                }
            }
        }
        for (Map.Entry<String, Module> child : children.entrySet()) {
            String childPrefix = prefix + child.getKey() + ".";
            Map<String, Tensor> childState = new LinkedHashMap<>();
            state.forEach((k, v) -> {
                if (k.startsWith(childPrefix)) {
                    childState.put(k, v);
                }
            });
            visit(child.getValue(), childPrefix, childState, missing, unexpected, errors, copies);
        }
    }

    private static String quoted(List<String> keys) {
        return String.join(", ", keys.stream().map(k -> "\"" + k + "\"").toList());
    }
}
