package dev.jconv.io;

import dev.jconv.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A training checkpoint in one safetensors file: the model's state under {@code model.}, the optimizer's
 * under {@code optimizer.}, and in the header's metadata the epoch, the random generators' states (base64)
 * and any notes. Written atomically (temporary file, then rename), so a crash mid-save never leaves a
 * damaged file under the final name.
 *
 * @param epoch      the number of epochs completed
 * @param model      the model's state dict
 * @param optimizer  the optimizer's state dict
 * @param generators generator states by name (e.g. {@code global}, {@code loader})
 * @param notes      further text metadata (e.g. the metrics so far)
 */
public record Checkpoint(int epoch, Map<String, Tensor> model, Map<String, Tensor> optimizer,
                         Map<String, byte[]> generators, Map<String, String> notes) {
    private static final String FORMAT = "jconv-checkpoint/1";

    /** Saves to {@code file} atomically. */
    public void save(Path file) {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        model.forEach((k, v) -> tensors.put("model." + k, v));
        optimizer.forEach((k, v) -> tensors.put("optimizer." + k, v));
        Map<String, String> meta = new LinkedHashMap<>(notes);
        meta.put("format", FORMAT);
        meta.put("epoch", Integer.toString(epoch));
        generators.forEach((k, v) -> meta.put("generator." + k, Base64.getEncoder().encodeToString(v)));
        SafeTensors.write(tensors, meta, file);
    }

    /** Reads a checkpoint written by {@link #save}; fails clearly on other files. */
    public static Checkpoint load(Path file) {
        SafeTensors.Contents c = SafeTensors.readContents(file);
        Map<String, String> meta = c.metadata() == null ? Map.of() : c.metadata();
        if (!FORMAT.equals(meta.get("format"))) {
            throw new IllegalArgumentException(file + " is not a jconv checkpoint (metadata 'format' is "
                    + meta.get("format") + ", expected " + FORMAT + ")");
        }
        int epoch;
        try {
            epoch = Integer.parseInt(meta.getOrDefault("epoch", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(file + ": checkpoint metadata 'epoch' is not a number", e);
        }
        Map<String, Tensor> model = new LinkedHashMap<>();
        Map<String, Tensor> optimizer = new LinkedHashMap<>();
        c.tensors().forEach((k, v) -> {
            if (k.startsWith("model.")) {
                model.put(k.substring(6), v);
            } else if (k.startsWith("optimizer.")) {
                optimizer.put(k.substring(10), v);
            } else {
                throw new IllegalArgumentException(file + ": unexpected tensor '" + k + "' in checkpoint");
            }
        });
        Map<String, byte[]> generators = new LinkedHashMap<>();
        Map<String, String> notes = new LinkedHashMap<>();
        meta.forEach((k, v) -> {
            if (k.startsWith("generator.")) {
                try {
                    generators.put(k.substring(10), Base64.getDecoder().decode(v));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(file + ": generator state '" + k + "' is not base64", e);
                }
            } else if (!k.equals("format") && !k.equals("epoch")) {
                notes.put(k, v);
            }
        });
        return new Checkpoint(epoch, model, optimizer, generators, notes);
    }

    /** The checkpoint file for an epoch in a directory: {@code epoch-003.safetensors}. */
    public static Path fileFor(Path dir, int epoch) {
        return dir.resolve(String.format("epoch-%03d.safetensors", epoch));
    }

    /** The newest checkpoint in {@code dir} (highest epoch), or null when there is none. */
    public static Path latest(Path dir) {
        if (!Files.isDirectory(dir)) {
            return null;
        }
        try (var files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().matches("epoch-\\d{3,}\\.safetensors"))
                    .max(java.util.Comparator.comparingLong(p -> Long.parseLong(
                            p.getFileName().toString().replaceAll("\\D", ""))))
                    .orElse(null);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("cannot list checkpoint directory " + dir + ": " + e.getMessage(), e);
        }
    }
}
