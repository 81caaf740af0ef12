package dev.jconv.io;

import dev.jconv.storage.DType;
import dev.jconv.tensor.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

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
    private static final String CHECKSUM = "checksum";
    private static final Pattern CHECKPOINT_NAME = Pattern.compile("epoch-\\d{3,}\\.safetensors");

    /** Saves to {@code file} atomically. */
    public void save(Path file) {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        model.forEach((k, v) -> tensors.put("model." + k, v));
        optimizer.forEach((k, v) -> tensors.put("optimizer." + k, v));
        Map<String, String> meta = new LinkedHashMap<>(notes);
        meta.put("format", FORMAT);
        meta.put("epoch", Integer.toString(epoch));
        generators.forEach((k, v) -> meta.put("generator." + k, Base64.getEncoder().encodeToString(v)));
        meta.put(CHECKSUM, checksum(tensors, meta));
        SafeTensors.write(tensors, meta, file);
    }

    /**
     * CRC-32C over every tensor (name, dtype, shape, values) and every metadata entry but the checksum itself,
     * in name order: a checkpoint damaged on disk fails to load instead of resuming from wrong numbers.
     */
    static String checksum(Map<String, Tensor> tensors, Map<String, String> meta) {
        CRC32C crc = new CRC32C();
        new TreeMap<>(tensors).forEach((name, t) -> {
            crc.update((name + "\0" + t.dtype() + "\0" + t.shape() + "\0").getBytes(StandardCharsets.UTF_8));
            ByteBuffer values;
            if (t.dtype() == DType.FLOAT32) {
                float[] f = t.toFloatArray();
                values = ByteBuffer.allocate(4 * f.length);
                values.asFloatBuffer().put(f);
            } else {
                double[] d = t.toArray();
                values = ByteBuffer.allocate(8 * d.length);
                values.asDoubleBuffer().put(d);
            }
            crc.update(values);
        });
        new TreeMap<>(meta).forEach((k, v) -> {
            if (!k.equals(CHECKSUM)) {
                crc.update((k + "\0" + v + "\0").getBytes(StandardCharsets.UTF_8));
            }
        });
        return String.format("crc32c:%08x", crc.getValue());
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
        String stored = meta.get(CHECKSUM);
        if (stored != null) {
            String computed = checksum(c.tensors(), meta);
            if (!stored.equals(computed)) {
                throw new IllegalArgumentException(file + " is damaged: its checksum is " + stored
                        + " but its contents give " + computed);
            }
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
            } else if (!k.equals("format") && !k.equals("epoch") && !k.equals(CHECKSUM)) {
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
        List<Path> all = list(dir);
        return all.isEmpty() ? null : all.getLast();
    }

    /** The checkpoints ({@code epoch-NNN.safetensors}) in {@code dir}, oldest epoch first; none if it does not exist. */
    public static List<Path> list(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (var files = Files.list(dir)) {
            return files.filter(p -> CHECKPOINT_NAME.matcher(p.getFileName().toString()).matches())
                    .sorted(Comparator.comparingLong(Checkpoint::epochOf)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list checkpoint directory " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Deletes the {@code *.tmp} files in {@code dir}: saves write a temporary file there and rename it, so one
     * left behind is from a save that was killed before the rename, and nothing will ever read it.
     *
     * @return how many were deleted
     */
    public static int removeTemporaryFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        int removed = 0;
        try (var files = Files.list(dir)) {
            for (Path p : files.filter(f -> f.getFileName().toString().endsWith(".tmp") && Files.isRegularFile(f))
                    .toList()) {
                Files.deleteIfExists(p);
                removed++;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean checkpoint directory " + dir + ": " + e.getMessage(), e);
        }
        return removed;
    }

    /**
     * Deletes all but the newest {@code keep} checkpoints in {@code dir} (0 keeps them all).
     *
     * @return the deleted files
     */
    public static List<Path> prune(Path dir, int keep) {
        if (keep < 0) {
            throw new IllegalArgumentException("keep must be 0 (all) or more, got " + keep);
        }
        List<Path> all = list(dir);
        if (keep == 0 || all.size() <= keep) {
            return List.of();
        }
        List<Path> old = all.subList(0, all.size() - keep);
        try {
            for (Path p : old) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete old checkpoints in " + dir + ": " + e.getMessage(), e);
        }
        return List.copyOf(old);
    }

    private static long epochOf(Path checkpoint) {
        return Long.parseLong(checkpoint.getFileName().toString().replaceAll("\\D", ""));
    }
}
