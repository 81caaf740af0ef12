package dev.jconv.kernels;

/**
 * Whether the float kernels can use the incubating Vector API, decided once without touching it.
 *
 * <p>{@code jdk.incubator.vector} is resolved only when asked for ({@code --add-modules jdk.incubator.vector});
 * jconv reads it as {@code requires static}, so it also runs from the class path or the module path without
 * it. The classes that hold Vector API constants ({@link Species}) or call operations the verifier must check
 * against its classes ({@link VectorOps}) are loaded only on the vector path; without the module every
 * kernel runs its scalar loops, which give the same bits, and one warning is logged.
 */
final class Vectors {
    private static final String MODULE = "jdk.incubator.vector";

    /** Whether {@code jdk.incubator.vector} is in the boot layer and readable by jconv. */
    static final boolean PRESENT = present();

    /**
     * Lanes of the preferred float vector (16 with AVX-512, 8 with AVX2), or 16 without the Vector API: the
     * panel widths of the GEMM and the sliding-window convolution are built from it.
     */
    static final int FLOAT_LANES = PRESENT ? Species.FLOAT_LANES : 16;

    static {
        if (PRESENT) {
            // The JIT directive that keeps the vector helpers inlined, on a thread of its own: setting up the
            // platform MBean server takes about 150 ms, which would otherwise delay the first kernel call. It is
            // in place long before the kernels run often enough for C2 to compile them.
            Thread.ofPlatform().daemon().name("jconv-inline-directive").start(InlineDirective::install);
        }
        if (!PRESENT) {
            System.getLogger("dev.jconv").log(System.Logger.Level.WARNING,
                    "jconv: the module " + MODULE + " is not resolved, so the float kernels run scalar loops (the "
                            + "same results, slower); start the JVM with --add-modules " + MODULE
                            + " to use the Vector API");
        }
    }

    private Vectors() {
    }

    private static boolean present() {
        Module self = Vectors.class.getModule();
        return ModuleLayer.boot().findModule(MODULE)
                .map(m -> !self.isNamed() || self.canRead(m))
                .orElse(false);
    }
}
