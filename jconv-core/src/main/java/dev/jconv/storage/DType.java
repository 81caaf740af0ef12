package dev.jconv.storage;

/** Element types a tensor can hold, named as PyTorch names them. */
public enum DType {
    FLOAT32("torch.float32", 4),
    FLOAT64("torch.float64", 8),
    INT64("torch.int64", 8),
    BOOL("torch.bool", 1);

    private final String torchName;
    private final int byteSize;

    DType(String torchName, int byteSize) {
        this.torchName = torchName;
        this.byteSize = byteSize;
    }

    /** PyTorch's spelling, e.g. {@code torch.float64}, as printed in {@code dtype=} suffixes. */
    public String torchName() {
        return torchName;
    }

    /** Bytes per element in PyTorch's (and safetensors') layout. */
    public int byteSize() {
        return byteSize;
    }

    /** True for the floating point types, the only ones that can require gradients. */
    public boolean isFloatingPoint() {
        return this == FLOAT32 || this == FLOAT64;
    }

    /** Rounds a value to what this dtype can hold (float32 rounding, truncation toward zero, 0/1). */
    public double round(double v) {
        return switch (this) {
            case FLOAT32 -> (float) v;
            case FLOAT64 -> v;
            case INT64 -> v < 0 ? Math.ceil(v) : Math.floor(v);
            case BOOL -> v != 0 ? 1 : 0;
        };
    }

    /** The dtype of a binary op's result, following PyTorch's promotion (bool &lt; int64 &lt; float32 &lt; float64). */
    public static DType promote(DType a, DType b) {
        return a.ordinalRank() >= b.ordinalRank() ? a : b;
    }

    private int ordinalRank() {
        return switch (this) {
            case BOOL -> 0;
            case INT64 -> 1;
            case FLOAT32 -> 2;
            case FLOAT64 -> 3;
        };
    }

    @Override
    public String toString() {
        return torchName;
    }
}
