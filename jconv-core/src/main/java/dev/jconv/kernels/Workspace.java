package dev.jconv.kernels;

/**
 * Per-thread scratch arrays, grown on demand and kept, so that a steady-state kernel call allocates nothing
 * but its result. Each slot has one user at a time on a thread: code that holds a slot must not call code
 * that takes the same slot on the same thread (nested parallel regions run inline on the caller's thread).
 */
final class Workspace {
    /** Packed B block of the SGEMM driver. */
    static final int PACK_B = 0;
    /** Packed A rows of a task (matmul, weight gradient). */
    static final int PACK_A = 1;
    /** A task's float accumulator tile. */
    static final int TILE_C = 2;
    /** Packed weights of one call, held by the calling thread while the workers read it. */
    static final int WEIGHTS = 3;
    /** Unfolded columns of one image (input gradient). */
    static final int COLUMNS = 4;
    /** Per-chunk partial sums of a weight gradient, held by the calling thread. */
    static final int PARTIAL = 5;
    /** A padded input or gradient plane (depthwise). */
    static final int PLANE = 6;
    /** Winograd-transformed input tiles. */
    static final int WINO_V = 7;
    /** The A block of one k step, when A is packed per block. */
    static final int PACK_A_BLOCK = 8;
    /** A call's padded input planes (sliding windows, Winograd), held by the calling thread while the workers read them. */
    static final int INPUT_P = 9;
    /** A call's output gradient, transposed and packed as B panels (weight gradient). */
    static final int GRAD_T = 10;
    /** B panels packed once for all k (im2col columns or output-gradient columns), held by the calling thread. */
    static final int B_PANELS = 11;
    /** Winograd-transformed input tiles of a chunk of the batch (weight gradient), held by the calling thread. */
    static final int WINO_VT = 12;
    /** Winograd-transformed output-gradient tiles packed as B panels (weight gradient), held by the calling thread. */
    static final int WINO_GT = 13;
    /** A task's Winograd scratch (output-gradient blocks before their transpose). */
    static final int WINO_SCRATCH = 14;
    /** The flipped kernel of a stride-1 input gradient, held by the calling thread. */
    static final int FLIPPED = 15;
    private static final int SLOTS = 16;

    private static final ThreadLocal<Workspace> LOCAL = ThreadLocal.withInitial(Workspace::new);

    private final float[][] floats = new float[SLOTS][];

    private Workspace() {
    }

    /** The calling thread's workspace. */
    static Workspace get() {
        return LOCAL.get();
    }

    /**
     * A float array of at least {@code size} elements for {@code slot}, with unspecified contents. Grows by
     * half again so that slowly growing requests do not reallocate every call.
     */
    float[] floats(int slot, int size) {
        float[] a = floats[slot];
        if (a == null || a.length < size) {
            long grown = a == null ? size : Math.max(size, a.length + (long) a.length / 2);
            a = new float[(int) Math.min(Integer.MAX_VALUE - 8, grown)];
            floats[slot] = a;
        }
        return a;
    }
}
