package dev.jconv.storage;

/**
 * The flat memory behind one or more tensor views. Every dtype is held as {@code double}s, rounded to the
 * dtype on every store ({@link DType#round}), so one kernel serves all dtypes; float32 arithmetic done in
 * double and rounded once gives the same bits as float arithmetic for {@code + - * /} and {@code sqrt}.
 * The version counter lets autograd notice in-place writes to tensors it saved for the backward pass.
 */
public final class Storage {
    private final double[] data;
    private final DType dtype;
    private int version;

    /** Wraps {@code data} (not copied); the values must already be rounded to {@code dtype}. */
    public Storage(double[] data, DType dtype) {
        this.data = data;
        this.dtype = dtype;
    }

    /** A zero-filled storage of {@code size} elements. */
    public static Storage zeros(int size, DType dtype) {
        return new Storage(new double[size], dtype);
    }

    /** The raw array; kernels read and write it directly. */
    public double[] data() {
        return data;
    }

    public DType dtype() {
        return dtype;
    }

    public int size() {
        return data.length;
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
