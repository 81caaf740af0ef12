package dev.jconv.storage;

/**
 * The flat memory behind one or more tensor views, one array in the dtype's own width and nothing else:
 * float32 a {@code float[]} (4 bytes an element), float64 a {@code double[]}, int64 a {@code long[]} (exact over
 * its whole range) and bool a {@code boolean[]} (one byte).
 *
 * <p>Ops with typed kernels read and write their own arrays ({@link #readFloats()}, {@link #readLongs()}, …).
 * Ops that compute in double read a widened copy ({@link #read()}, made afresh on every call and never kept) and
 * hand back doubles already rounded to the dtype, which the constructor narrows: float32 arithmetic done in
 * double and rounded once gives the same bits as float arithmetic for {@code + - * /} and {@code sqrt}; int64
 * values pass through double exactly up to 2<sup>53</sup>, so int64 ops meant for any value use the long array.
 *
 * <p>Readers must not write to what they get; writers take the {@code write…} accessors. The version counter
 * lets autograd notice in-place writes to tensors it saved for the backward pass.
 */
public final class Storage {
    private final Object array;
    private final DType dtype;
    private int version;
    private int tensors;

    /**
     * Wraps {@code data} (not copied for float64), whose values must already be rounded to {@code dtype}; the
     * other dtypes' values are narrowed into an array of their own type.
     */
    public Storage(double[] data, DType dtype) {
        this.dtype = dtype;
        this.array = switch (dtype) {
            case FLOAT64 -> data;
            case FLOAT32 -> {
                float[] f = new float[data.length];
                for (int i = 0; i < f.length; i++) {
                    f[i] = (float) data[i];
                }
                yield f;
            }
            case INT64 -> {
                long[] l = new long[data.length];
                for (int i = 0; i < l.length; i++) {
                    l[i] = (long) data[i];
                }
                yield l;
            }
            case BOOL -> {
                boolean[] b = new boolean[data.length];
                for (int i = 0; i < b.length; i++) {
                    b[i] = data[i] != 0;
                }
                yield b;
            }
        };
    }

    /** Wraps float32 values (not copied). */
    public Storage(float[] data) {
        this.array = data;
        this.dtype = DType.FLOAT32;
    }

    /** Wraps int64 values (not copied). */
    public Storage(long[] data) {
        this.array = data;
        this.dtype = DType.INT64;
    }

    /** Wraps bool values (not copied). */
    public Storage(boolean[] data) {
        this.array = data;
        this.dtype = DType.BOOL;
    }

    /**
     * Wraps an array of a dtype's own type (not copied).
     *
     * @throws IllegalArgumentException for any other object
     */
    public static Storage over(Object array) {
        return switch (array) {
            case float[] f -> new Storage(f);
            case double[] d -> new Storage(d, DType.FLOAT64);
            case long[] l -> new Storage(l);
            case boolean[] b -> new Storage(b);
            default -> throw new IllegalArgumentException("no dtype stores a " + array.getClass().getSimpleName());
        };
    }

    /** A zero-filled (false-filled) storage of {@code size} elements. */
    public static Storage zeros(int size, DType dtype) {
        return switch (dtype) {
            case FLOAT32 -> new Storage(new float[size]);
            case FLOAT64 -> new Storage(new double[size], dtype);
            case INT64 -> new Storage(new long[size]);
            case BOOL -> new Storage(new boolean[size]);
        };
    }

    /**
     * The values as doubles, for reading only: the array itself for float64, a widened copy (made on each call)
     * for the other dtypes (bool as 0/1; int64 exact up to 2<sup>53</sup>).
     */
    public double[] read() {
        if (array instanceof double[] own) {
            return own;
        }
        // One loop per type, not a dispatch per element.
        double[] d = new double[size()];
        switch (array) {
            case float[] f -> {
                for (int i = 0; i < d.length; i++) {
                    d[i] = f[i];
                }
            }
            case long[] l -> {
                for (int i = 0; i < d.length; i++) {
                    d[i] = l[i];
                }
            }
            case boolean[] b -> {
                for (int i = 0; i < d.length; i++) {
                    d[i] = b[i] ? 1 : 0;
                }
            }
            default -> throw new AssertionError(array);
        }
        return d;
    }

    /** Element {@code i} as a double, without copying anything. */
    public double get(int i) {
        return switch (array) {
            case float[] f -> f[i];
            case double[] d -> d[i];
            case long[] l -> l[i];
            case boolean[] b -> b[i] ? 1 : 0;
            default -> throw new AssertionError(array);
        };
    }

    /** Element {@code i} of an int64 or bool storage as a long (exact). */
    public long getLong(int i) {
        return switch (array) {
            case long[] l -> l[i];
            case boolean[] b -> b[i] ? 1 : 0;
            default -> throw new IllegalStateException("long value of a " + dtype + " storage");
        };
    }

    /**
     * The float64 array, for writing in place.
     *
     * @throws IllegalStateException for the other dtypes, whose values are not doubles
     */
    public double[] write() {
        if (array instanceof double[] d) {
            return d;
        }
        throw new IllegalStateException("double values of a " + dtype + " storage cannot be written");
    }

    /**
     * The float32 values for reading only.
     *
     * @throws IllegalStateException unless the dtype is float32 (other dtypes do not fit in a float exactly)
     */
    public float[] readFloats() {
        if (array instanceof float[] f) {
            return f;
        }
        throw new IllegalStateException("float values of a " + dtype + " storage");
    }

    /** The float32 values for writing in place. */
    public float[] writeFloats() {
        return readFloats();
    }

    /**
     * The int64 values for reading only.
     *
     * @throws IllegalStateException unless the dtype is int64
     */
    public long[] readLongs() {
        if (array instanceof long[] l) {
            return l;
        }
        throw new IllegalStateException("long values of a " + dtype + " storage");
    }

    /** The int64 values for writing in place. */
    public long[] writeLongs() {
        return readLongs();
    }

    /**
     * The bool values for reading only.
     *
     * @throws IllegalStateException unless the dtype is bool
     */
    public boolean[] readBools() {
        if (array instanceof boolean[] b) {
            return b;
        }
        throw new IllegalStateException("bool values of a " + dtype + " storage");
    }

    /** The bool values for writing in place. */
    public boolean[] writeBools() {
        return readBools();
    }

    /** The backing array itself ({@code float[]}, {@code double[]}, {@code long[]} or {@code boolean[]}). */
    public Object array() {
        return array;
    }

    public DType dtype() {
        return dtype;
    }

    public int size() {
        return switch (array) {
            case float[] f -> f.length;
            case double[] d -> d.length;
            case long[] l -> l.length;
            case boolean[] b -> b.length;
            default -> throw new AssertionError(array);
        };
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
