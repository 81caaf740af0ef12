package dev.jconv.storage;

/**
 * The flat memory behind one or more tensor views.
 *
 * <p>A float32 storage holds its values as a {@code float[]}, a {@code double[]} or both (equal values), and
 * each form is made from the other on first use. The ops of a CNN's training step (convolutions, batch norm,
 * ReLU, addition, cat) read and write the float form, so tensors passed between them never exist as doubles;
 * the other ops read doubles, rounded to the dtype on every store ({@link DType#round}): float32 arithmetic
 * done in double and rounded once gives the same bits as float arithmetic for {@code + - * /} and
 * {@code sqrt}. Other dtypes hold doubles only.
 *
 * <p>Writers take {@link #write()} or {@link #writeFloats()}, which drop the other form (it would go stale);
 * readers take {@link #read()} or {@link #readFloats()} and must not write to what they get. The forms are
 * published through volatile fields, so readers on several threads at once see complete arrays.
 *
 * <p>The version counter lets autograd notice in-place writes to tensors it saved for the backward pass.
 */
public final class Storage {
    private volatile double[] doubles;
    private volatile float[] floats;
    private final DType dtype;
    private final int size;
    private int version;

    /** Wraps {@code data} (not copied); the values must already be rounded to {@code dtype}. */
    public Storage(double[] data, DType dtype) {
        this.doubles = data;
        this.dtype = dtype;
        this.size = data.length;
    }

    /** Wraps float32 values (not copied). */
    public Storage(float[] data) {
        this.floats = data;
        this.dtype = DType.FLOAT32;
        this.size = data.length;
    }

    /** A zero-filled storage of {@code size} elements. */
    public static Storage zeros(int size, DType dtype) {
        return new Storage(new double[size], dtype);
    }

    /** The values as doubles, for reading only (made from the float form if there is no double form yet). */
    public double[] read() {
        double[] d = doubles;
        if (d == null) {
            float[] f = floats;
            d = new double[f.length];
            for (int i = 0; i < f.length; i++) {
                d[i] = f[i];
            }
            doubles = d;
        }
        return d;
    }

    /** The values as doubles, for writing: the float form, which the write would make stale, is dropped. */
    public double[] write() {
        double[] d = read();
        floats = null;
        return d;
    }

    /**
     * The values as floats, for reading only (made from the double form if there is no float form yet, and
     * then kept beside it until the next {@link #write()}).
     *
     * @throws IllegalStateException unless the dtype is float32 (other dtypes do not fit in a float exactly)
     */
    public float[] readFloats() {
        if (dtype != DType.FLOAT32) {
            throw new IllegalStateException("float values of a " + dtype + " storage");
        }
        float[] f = floats;
        if (f == null) {
            double[] d = doubles;
            f = new float[d.length];
            for (int i = 0; i < d.length; i++) {
                f[i] = (float) d[i];
            }
            floats = f;
        }
        return f;
    }

    /**
     * The float32 values for writing in place: the double form, which the write would make stale, is dropped,
     * so a tensor updated as floats never exists as doubles.
     */
    public float[] writeFloats() {
        float[] f = readFloats();
        doubles = null;
        return f;
    }

    /** Whether the double form exists (reading it with {@link #read()} then converts nothing). */
    public boolean hasDoubles() {
        return doubles != null;
    }

    public DType dtype() {
        return dtype;
    }

    public int size() {
        return size;
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
