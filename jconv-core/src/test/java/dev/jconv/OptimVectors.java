package dev.jconv;

import dev.jconv.internal.Json;
import dev.jconv.storage.DType;
import dev.jconv.storage.Shape;
import dev.jconv.tensor.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Reads {@code src/test/resources/vectors/optim.json}, written by make_optim_vectors.py with PyTorch 1.13. */
public final class OptimVectors {
    private static Map<String, Object> root;

    private OptimVectors() {
    }

    /** The whole file, parsed once. */
    public static synchronized Map<String, Object> root() {
        if (root == null) {
            try (InputStream in = OptimVectors.class.getResourceAsStream("/vectors/optim.json")) {
                if (in == null) {
                    throw new IllegalStateException("missing test resource /vectors/optim.json");
                }
                root = Json.object(Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8)), "optim.json");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return root;
    }

    /** The cases of one section ({@code optimizers}, {@code schedulers}, {@code losses}, {@code softmax}). */
    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> section(String name) {
        return (List<Map<String, Object>>) (List<?>) Json.array(root().get(name), name);
    }

    /** The case with the given id in a section. */
    public static Map<String, Object> find(String section, String id) {
        return section(section).stream().filter(c -> id.equals(c.get("id"))).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no case " + id + " in " + section));
    }

    /** A tensor written as {@code {"shape": […], "dtype": "float32", "data": […]}}. */
    public static Tensor tensor(Object encoded) {
        Map<String, Object> m = Json.object(encoded, "tensor");
        List<Object> sizes = Json.array(m.get("shape"), "shape");
        int[] shape = new int[sizes.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = (int) Json.longValue(sizes.get(i), "shape");
        }
        List<Object> data = Json.array(m.get("data"), "data");
        double[] values = new double[data.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = Json.doubleValue(data.get(i), "data");
        }
        DType dtype = switch (Json.string(m.get("dtype"), "dtype")) {
            case "float32" -> DType.FLOAT32;
            case "float64" -> DType.FLOAT64;
            case "int64" -> DType.INT64;
            default -> throw new IllegalArgumentException("unknown dtype " + m.get("dtype"));
        };
        return Tensor.fromArray(values, Shape.of(shape), dtype);
    }
}
