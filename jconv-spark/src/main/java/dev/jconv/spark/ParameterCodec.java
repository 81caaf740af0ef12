package dev.jconv.spark;

import dev.jconv.io.StateDict;
import dev.jconv.nn.Module;
import dev.jconv.nn.Parameter;
import dev.jconv.storage.DType;
import dev.jconv.storage.Shape;
import dev.jconv.tensor.Tensor;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bytes that travel between the driver and the tasks: a state dict (names, shapes, float32 values) and
 * flat gradient vectors. Float32 throughout, since that is what the parameters hold: 4 bytes a parameter
 * each way.
 */
public final class ParameterCodec {
    private static final int MAGIC = 0x6a636f76; // "jcov"

    private ParameterCodec() {
    }

    /** {@code module}'s state dict as bytes: every entry's name, shape and float32 values, in state-dict order. */
    public static byte[] encode(Module module) {
        Map<String, Tensor> state = StateDict.of(module);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeInt(state.size());
            for (Map.Entry<String, Tensor> e : state.entrySet()) {
                Tensor t = e.getValue();
                if (t.dtype() != DType.FLOAT32) {
                    throw new IllegalArgumentException(e.getKey() + " is " + t.dtype() + "; only float32 state "
                            + "dicts can be shipped");
                }
                out.writeUTF(e.getKey());
                int[] dims = t.shape().toArray();
                out.writeInt(dims.length);
                for (int d : dims) {
                    out.writeInt(d);
                }
                for (float v : t.toFloatArray()) {
                    out.writeFloat(v);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** The state dict {@link #encode} wrote. */
    public static Map<String, Tensor> decode(byte[] bytes) {
        Map<String, Tensor> state = new LinkedHashMap<>();
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            if (in.readInt() != MAGIC) {
                throw new IllegalArgumentException("not a jconv parameter block");
            }
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                String name = in.readUTF();
                int[] dims = new int[in.readInt()];
                for (int d = 0; d < dims.length; d++) {
                    dims[d] = in.readInt();
                }
                Shape shape = Shape.of(dims);
                double[] values = new double[shape.numel()];
                for (int k = 0; k < values.length; k++) {
                    values[k] = in.readFloat();
                }
                state.put(name, Tensor.fromArray(values, shape, DType.FLOAT32));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return state;
    }

    /** Copies an encoded state dict into {@code module} (in place, checked as {@link StateDict#load} checks). */
    public static void load(Module module, byte[] bytes) {
        StateDict.load(module, decode(bytes));
    }

    /**
     * The gradients of {@code parameters}, concatenated in their order as float32; a parameter without a
     * gradient contributes zeros.
     */
    public static float[] flatGradients(List<Parameter> parameters) {
        int total = 0;
        for (Parameter p : parameters) {
            total += p.numel();
        }
        float[] flat = new float[total];
        int at = 0;
        for (Parameter p : parameters) {
            if (p.grad() != null) {
                float[] g = p.grad().toFloatArray();
                System.arraycopy(g, 0, flat, at, g.length);
            }
            at += p.numel();
        }
        return flat;
    }

    /** Sets each parameter's gradient from its slice of {@code flat} (the layout of {@link #flatGradients}). */
    public static void setGradients(List<Parameter> parameters, float[] flat) {
        int at = 0;
        for (Parameter p : parameters) {
            int n = p.numel();
            double[] g = new double[n];
            for (int i = 0; i < n; i++) {
                g[i] = flat[at + i];
            }
            p.setGrad(Tensor.fromArray(g, p.shape(), DType.FLOAT32));
            at += n;
        }
        if (at != flat.length) {
            throw new IllegalArgumentException("gradient vector of " + flat.length + " values for " + at
                    + " parameters");
        }
    }
}
