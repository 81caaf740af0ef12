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
     * The parameters and buffers of {@code module} by dotted name, in PyTorch's order ({@code state_dict()}). The
     * tensors share the parameters' storage and are cut from the autograd graph.
     */
    public static Map<String, Tensor> of(Module module) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : module.stateDict().entrySet()) {
            out.put(e.getKey(), e.getValue().detach());
        }
        return out;
    }

    /** Saves the parameters and buffers of {@code module} to {@code file} as safetensors (atomically). */
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
        Map<Tensor, Tensor> copies = new java.util.IdentityHashMap<>();
        visit(module, state, missing, unexpected, errors, copies);
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
            for (Map.Entry<Tensor, Tensor> e : copies.entrySet()) {
                e.getKey().copy_(e.getValue());
            }
        }
    }

    /** Compares the module's own state (parameters and buffers, {@link Module#stateDict()}) with the file's. */
    private static void visit(Module module, Map<String, Tensor> state, List<String> missing,
            List<String> unexpected, List<String> errors, Map<Tensor, Tensor> copies) {
        Map<String, Tensor> own = module.stateDict();
        for (Map.Entry<String, Tensor> e : own.entrySet()) {
            String key = e.getKey();
            Tensor value = state.get(key);
            Tensor target = e.getValue();
            if (value == null) {
                missing.add(key);
            } else if (!value.shape().equals(target.shape())) {
                errors.add("size mismatch for " + key + ": copying a param with shape " + value.shape()
                        + " from checkpoint, the shape in current model is " + target.shape() + ".");
            } else if (value.dtype() != target.dtype()) {
                errors.add("dtype mismatch for " + key + ": copying a param with dtype " + value.dtype()
                        + " from checkpoint, the dtype in current model is " + target.dtype() + ".");
            } else {
                copies.put(target, value);
            }
        }
        for (String key : state.keySet()) {
            if (!own.containsKey(key)) {
                unexpected.add(key);
            }
        }
    }

    private static String quoted(List<String> keys) {
        return String.join(", ", keys.stream().map(k -> "\"" + k + "\"").toList());
    }
}
