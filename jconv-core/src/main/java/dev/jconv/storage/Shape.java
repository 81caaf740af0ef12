package dev.jconv.storage;

import java.util.Arrays;

/**
 * The sizes of a tensor's dimensions; immutable. Prints as PyTorch's {@code torch.Size([8, 8])} so that
 * shape cells of a notebook read the same in Java.
 */
public final class Shape {
    private static final Shape SCALAR = new Shape(new int[0]);
    private final int[] dims;

    private Shape(int[] dims) {
        this.dims = dims;
    }

    /** A shape from its sizes; every size must be non-negative. */
    public static Shape of(int... dims) {
        for (int d : dims) {
            if (d < 0) {
                throw new IllegalArgumentException(
                        "negative dimension " + d + " in size " + Arrays.toString(dims));
            }
        }
        return dims.length == 0 ? SCALAR : new Shape(dims.clone());
    }

    /** The shape of a 0-d (scalar) tensor. */
    public static Shape scalar() {
        return SCALAR;
    }

    /** Number of dimensions. */
    public int rank() {
        return dims.length;
    }

    /** Size of dimension {@code dim}; negative values count from the end, as in PyTorch. */
    public int get(int dim) {
        return dims[normalizeDim(dim)];
    }

    /** A copy of the sizes. */
    public int[] toArray() {
        return dims.clone();
    }

    /** Total number of elements (1 for a scalar). Fails if it does not fit an {@code int}. */
    public int numel() {
        long n = 1;
        for (int d : dims) {
            n *= d;
            if (n > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("tensor of size " + this + " has more than 2^31-1 elements");
            }
        }
        return (int) n;
    }

    /** Maps a possibly negative dimension index to 0..rank-1, or fails naming the valid range. */
    public int normalizeDim(int dim) {
        return normalizeDim(dim, dims.length);
    }

    /** Maps {@code dim} into 0..rank-1 for a tensor of the given rank (a scalar accepts -1 and 0). */
    public static int normalizeDim(int dim, int rank) {
        int r = Math.max(rank, 1);
        if (dim < -r || dim >= r) {
            throw new IllegalArgumentException("Dimension out of range (expected to be in range of ["
                    + (-r) + ", " + (r - 1) + "], but got " + dim + ")");
        }
        return dim < 0 ? dim + r : dim;
    }

    /** Row-major (C order) strides for this shape. */
    public int[] contiguousStrides() {
        int[] strides = new int[dims.length];
        int s = 1;
        for (int i = dims.length - 1; i >= 0; i--) {
            strides[i] = s;
            s *= Math.max(dims[i], 1);
        }
        return strides;
    }

    /** The shape both operands broadcast to, following NumPy/PyTorch rules. */
    public static Shape broadcast(Shape a, Shape b) {
        int rank = Math.max(a.rank(), b.rank());
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i < rank - a.rank() ? 1 : a.dims[i - (rank - a.rank())];
            int db = i < rank - b.rank() ? 1 : b.dims[i - (rank - b.rank())];
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException("The size of tensor a (" + da + ") must match the size of tensor b ("
                        + db + ") at non-singleton dimension " + i + ": shapes " + a.dimsString() + " and "
                        + b.dimsString() + " are not broadcastable");
            }
            out[i] = da == 1 ? db : da;
        }
        return new Shape(out);
    }

    /** Resolves one {@code -1} entry so the product equals {@code numel}; checks the sizes agree. */
    public static Shape infer(int numel, int... sizes) {
        int inferred = -1;
        long known = 1;
        for (int i = 0; i < sizes.length; i++) {
            if (sizes[i] == -1) {
                if (inferred >= 0) {
                    throw new IllegalArgumentException("only one dimension can be inferred in " + Arrays.toString(sizes));
                }
                inferred = i;
            } else if (sizes[i] < 0) {
                throw new IllegalArgumentException("invalid shape dimension " + sizes[i] + " in " + Arrays.toString(sizes));
            } else {
                known *= sizes[i];
            }
        }
        int[] out = sizes.clone();
        if (inferred >= 0) {
            if (known == 0 || numel % known != 0) {
                throw new IllegalArgumentException("shape " + Arrays.toString(sizes)
                        + " is invalid for input of size " + numel);
            }
            out[inferred] = (int) (numel / known);
        } else if (known != numel) {
            throw new IllegalArgumentException("shape " + Arrays.toString(sizes)
                    + " is invalid for input of size " + numel);
        }
        return new Shape(out);
    }

    /** The sizes as {@code [2, 3]}, the form PyTorch's error messages use. */
    public String dimsString() {
        return Arrays.toString(dims);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape s && Arrays.equals(dims, s.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    @Override
    public String toString() {
        return "torch.Size(" + dimsString() + ")";
    }
}
