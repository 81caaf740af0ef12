package dev.jconv.cli;

import dev.jconv.examples.Corr2d;
import dev.jconv.internal.Json;
import dev.jconv.nn.Conv1dOptions;
import dev.jconv.nn.Conv2dOptions;
import dev.jconv.nn.Functional;
import dev.jconv.storage.DType;
import dev.jconv.storage.Shape;
import dev.jconv.tensor.Padding;
import dev.jconv.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Runs conformance vectors (format {@code jconv-conformance/1}): each case's op on its inputs, compared with
 * PyTorch's output and gradients within the dtype's tolerance, or, for cases PyTorch rejects, checked to
 * be rejected with a clear exception.
 */
public final class Conformance {
    /** Outcome of a file: counts and one message per failed case. */
    public record Report(int passed, int failed, int skipped, List<String> failures) {
        /** The summary line {@code N passed, N failed}. */
        public String summary() {
            return passed + " passed, " + failed + " failed" + (skipped > 0 ? ", " + skipped + " skipped" : "");
        }
    }

    private Conformance() {
    }

    /** Runs every case of a parsed vector file in {@code dtype} (float32 or float64). */
    public static Report run(String json, DType dtype) {
        Map<String, Object> root = Json.object(Json.parse(json), "file");
        String format = Json.string(root.get("format"), "format");
        if (!format.equals("jconv-conformance/1")) {
            throw new IllegalArgumentException("unsupported vector format '" + format + "', expected jconv-conformance/1");
        }
        int passed = 0;
        int skipped = 0;
        List<String> failures = new ArrayList<>();
        for (Object c : Json.array(root.get("cases"), "cases")) {
            Map<String, Object> kase = Json.object(c, "case");
            String id = Json.string(kase.get("id"), "id");
            String op = Json.string(kase.get("op"), "op");
            if (!supported(op)) {
                skipped++;
                continue;
            }
            String problem;
            try {
                problem = runCase(kase, op, dtype);
            } catch (RuntimeException e) {
                problem = "unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage();
            }
            if (problem == null) {
                passed++;
            } else {
                failures.add(id + " (" + op + "): " + problem);
            }
        }
        return new Report(passed, failures.size(), skipped, failures);
    }

    private static boolean supported(String op) {
        return switch (op) {
            case "conv2d", "corr2d", "repr", "max_pool2d", "avg_pool2d", "adaptive_avg_pool2d",
                 "adaptive_max_pool2d", "pad", "conv1d", "conv_transpose2d", "batch_norm2d" -> true;
            default -> false;
        };
    }

    /** Null when the case passes, else what went wrong. */
    private static String runCase(Map<String, Object> kase, String op, DType dtype) {
        Map<String, Object> inputs = Json.object(kase.get("inputs"), "inputs");
        Map<String, Object> attrs = Json.object(kase.get("attrs"), "attrs");
        if (op.equals("repr")) {
            return checkRepr(inputs, attrs, Json.object(kase.get("expected"), "expected"));
        }
        boolean expectError = kase.containsKey("error");
        Map<String, Tensor> leaves = new LinkedHashMap<>();
        for (var e : inputs.entrySet()) {
            boolean differentiable = !e.getKey().startsWith("running_");
            leaves.put(e.getKey(), e.getValue() == null ? null
                    : tensor(e.getValue(), dtype).requiresGrad(differentiable));
        }
        // Attributes are read before the op runs, so a malformed case cannot pass as a rejected one.
        Function<Map<String, Tensor>, Tensor> fn = prepare(op, attrs);
        Tensor out;
        try {
            out = fn.apply(leaves);
            if (expectError) {
                return "PyTorch rejects this case (" + kase.get("error") + ") but jconv accepted it";
            }
        } catch (IllegalArgumentException | IllegalStateException e) {
            return expectError ? null : "rejected a valid case: " + e.getMessage();
        }
        Map<String, Object> expected = Json.object(kase.get("expected"), "expected");
        Tensor gradOut = tensor(kase.get("grad_output"), dtype);
        out.mul(gradOut).sum().backward();
        String problem = compare("output", out, expected.get("output"), dtype);
        Map<String, Object> grads = Json.object(expected.get("grads"), "grads");
        for (var e : grads.entrySet()) {
            if (problem != null || e.getValue() == null) {
                continue;
            }
            Tensor leaf = leaves.get(e.getKey());
            if (leaf == null || leaf.grad() == null) {
                problem = "no gradient computed for " + e.getKey();
            } else {
                problem = compare("grad of " + e.getKey(), leaf.grad(), e.getValue(), dtype);
            }
        }
        for (String stat : new String[] {"running_mean", "running_var"}) {
            Object after = expected.get(stat + "_after");
            if (problem == null && after != null) {
                problem = compare(stat + " after the call", leaves.get(stat), after, dtype);
            }
        }
        return problem;
    }

    /** The op of a case with its attributes read, as a function of the named inputs. */
    private static Function<Map<String, Tensor>, Tensor> prepare(String op, Map<String, Object> attrs) {
        return switch (op) {
            case "corr2d" -> in -> Corr2d.corr2d(in.get("input"), in.get("kernel"));
            case "conv2d" -> conv2d(attrs);
            case "conv1d" -> {
                int stride = toInt(Json.longValue(attrs.get("stride"), "stride"), "stride");
                int dilation = toInt(Json.longValue(attrs.get("dilation"), "dilation"), "dilation");
                int groups = toInt(Json.longValue(attrs.get("groups"), "groups"), "groups");
                Object padding = attrs.get("padding");
                Integer pad = padding instanceof String ? null : toInt(Json.longValue(padding, "padding"), "padding");
                yield in -> {
                    Tensor w = in.get("weight");
                    if (w.dim() != 3) {
                        throw new IllegalArgumentException("conv1d weight must be 3-D, got " + w.shape().dimsString());
                    }
                    Conv1dOptions o = Conv1dOptions.kernelSize(w.size(2)).stride(stride).dilation(dilation).groups(groups);
                    o = pad == null ? o.padding((String) padding) : o.padding(pad);
                    return Functional.conv1d(in.get("input"), w, in.get("bias"), o);
                };
            }
            case "conv_transpose2d" -> {
                int[] stride = ints(attrs.get("stride"), "stride");
                int[] padding = ints(attrs.get("padding"), "padding");
                int[] outputPadding = ints(attrs.get("output_padding"), "output_padding");
                int groups = toInt(Json.longValue(attrs.get("groups"), "groups"), "groups");
                int[] dilation = ints(attrs.get("dilation"), "dilation");
                yield in -> Functional.convTranspose2d(in.get("input"), in.get("weight"), in.get("bias"), stride,
                        padding, outputPadding, groups, dilation);
            }
            case "pad" -> {
                int[] pads = ints(attrs.get("pad"), "pad");
                Padding.Mode mode = paddingMode(Json.string(attrs.get("mode"), "mode"));
                double value = Json.doubleValue(attrs.get("value"), "value");
                yield in -> Functional.pad(in.get("input"), pads, mode, value);
            }
            case "batch_norm2d" -> {
                boolean training = bool(attrs.get("training"), "training");
                double momentum = Json.doubleValue(attrs.get("momentum"), "momentum");
                double eps = Json.doubleValue(attrs.get("eps"), "eps");
                yield in -> Functional.batchNorm(in.get("input"), in.get("running_mean"), in.get("running_var"),
                        in.get("weight"), in.get("bias"), training, momentum, eps, null);
            }
            case "max_pool2d" -> {
                int[] kernel = ints(attrs.get("kernel_size"), "kernel_size");
                int[] stride = ints(attrs.get("stride"), "stride");
                int[] padding = ints(attrs.get("padding"), "padding");
                int[] dilation = ints(attrs.get("dilation"), "dilation");
                boolean ceil = bool(attrs.get("ceil_mode"), "ceil_mode");
                yield in -> Functional.maxPool2d(in.get("input"), kernel, stride, padding, dilation, ceil);
            }
            case "avg_pool2d" -> {
                int[] kernel = ints(attrs.get("kernel_size"), "kernel_size");
                int[] stride = ints(attrs.get("stride"), "stride");
                int[] padding = ints(attrs.get("padding"), "padding");
                boolean ceil = bool(attrs.get("ceil_mode"), "ceil_mode");
                boolean countPad = bool(attrs.get("count_include_pad"), "count_include_pad");
                // Optional: files written before it existed leave it out.
                Integer divisor = optionalInt(attrs.get("divisor_override"), "divisor_override");
                yield in -> Functional.avgPool2d(in.get("input"), kernel, stride, padding, ceil, countPad, divisor);
            }
            case "adaptive_avg_pool2d", "adaptive_max_pool2d" -> {
                List<Object> size = Json.array(attrs.get("output_size"), "output_size");
                if (size.size() != 2) {
                    throw new IllegalArgumentException("output_size must have 2 entries, got " + size);
                }
                // null is PyTorch's None: keep the input's size in that dimension.
                Integer h = optionalInt(size.get(0), "output_size");
                Integer w = optionalInt(size.get(1), "output_size");
                yield op.equals("adaptive_avg_pool2d")
                        ? in -> Functional.adaptiveAvgPool2d(in.get("input"), h, w)
                        : in -> Functional.adaptiveMaxPool2d(in.get("input"), h, w);
            }
            default -> throw new IllegalArgumentException("unsupported op " + op);
        };
    }

    private static boolean bool(Object json, String what) {
        if (json instanceof Boolean b) {
            return b;
        }
        throw new IllegalArgumentException("'" + what + "' must be true or false, got " + json);
    }

    private static Function<Map<String, Tensor>, Tensor> conv2d(Map<String, Object> attrs) {
        int[] stride = ints(attrs.get("stride"), "stride");
        int[] dilation = ints(attrs.get("dilation"), "dilation");
        int groups = toInt(Json.longValue(attrs.get("groups"), "groups"), "groups");
        Object padding = attrs.get("padding");
        int[] pad = padding instanceof String ? null : ints(padding, "padding");
        Object mode = attrs.get("padding_mode");
        if (mode != null && !"zeros".equals(mode)) {
            // Other padding modes exist on the module only, as in PyTorch.
            Padding.Mode fill = paddingMode(mode.toString());
            return in -> {
                Tensor w = in.get("weight");
                if (w.dim() != 4) {
                    throw new IllegalArgumentException("conv2d weight must be 4-D, got " + w.shape().dimsString());
                }
                Conv2dOptions o = Conv2dOptions.kernelSize(w.size(2), w.size(3)).stride(stride[0], stride[1])
                        .dilation(dilation[0], dilation[1]).groups(groups).paddingMode(fill);
                o = pad == null ? o.padding((String) padding) : o.padding(pad[0], pad[1]);
                return Functional.conv2d(in.get("input"), w, in.get("bias"), o);
            };
        }
        if (pad == null) {
            return in -> Functional.conv2d(in.get("input"), in.get("weight"), in.get("bias"), stride, (String) padding,
                    dilation, groups);
        }
        return in -> Functional.conv2d(in.get("input"), in.get("weight"), in.get("bias"), stride, pad, dilation, groups);
    }

    private static Padding.Mode paddingMode(String name) {
        return switch (name) {
            case "zeros", "constant" -> Padding.Mode.CONSTANT;
            case "reflect" -> Padding.Mode.REFLECT;
            case "replicate" -> Padding.Mode.REPLICATE;
            case "circular" -> Padding.Mode.CIRCULAR;
            default -> throw new IllegalArgumentException("unknown padding mode '" + name + "'");
        };
    }

    private static String checkRepr(Map<String, Object> inputs, Map<String, Object> attrs, Map<String, Object> expected) {
        DType dtype = dtypeNamed(Json.string(attrs.get("dtype"), "dtype"));
        Tensor t = tensor(inputs.get("input"), dtype);
        if (Boolean.TRUE.equals(attrs.get("requires_grad"))) {
            t.requiresGrad(true);
        }
        String want = Json.string(expected.get("repr"), "repr");
        String got = t.toString();
        return got.equals(want) ? null : "repr differs:\n  expected: " + want.replace("\n", "\\n")
                + "\n  actual:   " + got.replace("\n", "\\n");
    }

    /** Parses a dtype name as the vector files spell it. */
    public static DType dtypeNamed(String name) {
        return switch (name) {
            case "float32" -> DType.FLOAT32;
            case "float64" -> DType.FLOAT64;
            case "int64" -> DType.INT64;
            case "bool" -> DType.BOOL;
            default -> throw new IllegalArgumentException("unknown dtype '" + name
                    + "', expected float32, float64, int64 or bool");
        };
    }

    private static String compare(String what, Tensor actual, Object expectedJson, DType dtype) {
        Map<String, Object> exp = Json.object(expectedJson, what);
        int[] shape = ints(exp.get("shape"), "shape");
        if (!actual.shape().equals(Shape.of(shape))) {
            return what + " has shape " + actual.shape().dimsString() + ", expected " + java.util.Arrays.toString(shape);
        }
        double tol = dtype == DType.FLOAT32 ? 1e-4 : 1e-10;
        List<Object> data = Json.array(exp.get("data"), "data");
        if (actual.dtype() == DType.INT64) {
            long[] longs = actual.toLongArray(); // exactly, beyond what a double holds
            for (int i = 0; i < longs.length; i++) {
                long want = Json.longValue(data.get(i), "data");
                if (longs[i] != want) {
                    return what + " element " + i + " is " + longs[i] + ", expected " + want;
                }
            }
            return null;
        }
        double[] got = actual.toArray();
        for (int i = 0; i < got.length; i++) {
            double want = Json.doubleValue(data.get(i), "data");
            boolean same = Double.compare(want, got[i]) == 0 || (Double.isNaN(want) && Double.isNaN(got[i]));
            if (!same && !(Math.abs(got[i] - want) <= tol + tol * Math.abs(want))) {
                return what + " element " + i + " is " + got[i] + ", expected " + want + " (tolerance " + tol + ")";
            }
        }
        return null;
    }

    /** A tensor from a vector file's {@code {"shape", "data"}} object. */
    static Tensor tensor(Object json, DType dtype) {
        Map<String, Object> t = Json.object(json, "tensor");
        int[] shape = ints(t.get("shape"), "shape");
        List<Object> data = Json.array(t.get("data"), "data");
        if (dtype == DType.INT64) {
            long[] longs = new long[data.size()]; // every int64 exactly, beyond what a double holds
            for (int i = 0; i < longs.length; i++) {
                longs[i] = Json.longValue(data.get(i), "data");
            }
            return Tensor.fromArray(longs, Shape.of(shape));
        }
        double[] values = new double[data.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = Json.doubleValue(data.get(i), "data");
        }
        return Tensor.fromArray(values, Shape.of(shape), dtype);
    }

    private static int[] ints(Object json, String what) {
        List<Object> list = Json.array(json, what);
        int[] out = new int[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = toInt(Json.longValue(list.get(i), what), what);
        }
        return out;
    }

    /** An integer, or null for JSON null (or a missing key). */
    private static Integer optionalInt(Object json, String what) {
        return json == null ? null : toInt(Json.longValue(json, what), what);
    }

    private static int toInt(long v, String what) {
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(what + " value " + v + " is out of range");
        }
        return (int) v;
    }
}
