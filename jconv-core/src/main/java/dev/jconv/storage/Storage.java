package dev.jconv.storage;

/**
 * The flat memory behind one or more tensor views, one array in the dtype's own width: a float32 storage holds
 * a {@code float[]} (4 bytes an element) and nothing else; the other dtypes hold a {@code double[]}.
 *
 * <p>Ops with float32 kernels (convolutions, batch norm, pooling, matmul, elementwise arithmetic, ReLU,
 * sigmoid, cat, optimizer updates) read and write the floats themselves. Ops that compute in double read a
 * widened copy ({@link #read()}, made afresh on every call and never kept) and hand back doubles already
 * rounded to the dtype, which the constructor narrows: float32 arithmetic done in double and rounded once gives
 * the same bits as float arithmetic for {@code + - * /} and {@code sqrt}.
 *
 * <p>Writers take {@link #write()} (non-float32) or {@link #writeFloats()}; readers take {@link #read()} or
 * {@link #readFloats()} and must not write to what they get. The version counter lets autograd notice
 * in-place writes to tensors it saved for the backward pass.
 */
public final class Storage {
    private final double[] doubles;
    private final float[] floats;
    private final DType dtype;
    private int version;
    private int tensors;

    /**
     * Wraps {@code data} (not copied), whose values must already be rounded to {@code dtype}; float32 values
     * are narrowed into a float array of their own.
     */
    public Storage(double[] data, DType dtype) {
        this.dtype = dtype;
        if (dtype == DType.FLOAT32) {
            float[] f = new float[data.length];
            for (int i = 0; i < f.length; i++) {
                f[i] = (float) data[i];
            }
            this.floats = f;
            this.doubles = null;
        } else {
            this.doubles = data;
            this.floats = null;
        }
    }

    /** Wraps float32 values (not copied). */
    public Storage(float[] data) {
        this.floats = data;
        this.doubles = null;
        this.dtype = DType.FLOAT32;
    }

    /** A zero-filled storage of {@code size} elements. */
    public static Storage zeros(int size, DType dtype) {
        return dtype == DType.FLOAT32 ? new Storage(new float[size]) : new Storage(new double[size], dtype);
    }

    /**
     * The values as doubles, for reading only: the array itself for a double-backed dtype, a widened copy (made
     * on each call) for float32.
     */
    public double[] read() {
        if (floats == null) {
            return doubles;
        }
        double[] d = new double[floats.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = floats[i];
        }
        return d;
    }

    /** Element {@code i} as a double, without copying anything. */
    public double get(int i) {
        return floats != null ? floats[i] : doubles[i];
    }

    /**
     * The double array, for writing in place.
     *
     * @throws IllegalStateException for float32, whose values are floats ({@link #writeFloats()})
     */
    public double[] write() {
        if (floats != null) {
            throw new IllegalStateException("double values of a float32 storage cannot be written; use writeFloats()");
        }
        return doubles;
    }

    /**
     * The float32 values for reading only.
     *
     * @throws IllegalStateException unless the dtype is float32 (other dtypes do not fit in a float exactly)
     */
    public float[] readFloats() {
        if (floats == null) {
            throw new IllegalStateException("float values of a " + dtype + " storage");
        }
        return floats;
    }

    /** The float32 values for writing in place. */
    public float[] writeFloats() {
        return readFloats();
    }

    public DType dtype() {
        return dtype;
    }

    public int size() {
        return floats != null ? floats.length : doubles.length;
    }

    /** Records one more tensor over this storage (views, detached copies and saved values each count). */
    public void attach() {
        if (tensors < 2) {
            tensors++;
        }
    }

    /**
     * Whether more than one tensor has been made over this storage. An in-place op that autograd records must
     * not change values another tensor's graph does not know about.
     */
    public boolean shared() {
        return tensors > 1;
    }

    /** How many in-place writes this storage has seen. */
    public int version() {
        return version;
    }

    /** Records an in-place write. */
    public void bumpVersion() {
        version++;
    }
}
