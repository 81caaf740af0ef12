package dev.jconv.kernels;

import java.util.Locale;

/**
 * How a 2-D convolution is computed. {@link #AUTO} picks per shape and dtype; any other value forces that
 * algorithm for every convolution and is checked against each shape: forcing one on a shape (or dtype) it
 * cannot handle throws {@link IllegalArgumentException} rather than falling back. Chosen with
 * {@code -Djconv.conv.algorithm=auto|direct|im2col|pointwise|depthwise|winograd|sliding} (read once, at first use)
 * or {@link #force(ConvAlgorithm)}.
 *
 * <p>The choice covers the forward kernel and the two gradient kernels. With stride 1 the input gradient
 * of im2col and Winograd is computed as a forward convolution of the output gradient with the flipped
 * kernel (by the same algorithm, or as chosen for that convolution under {@code auto}).
 */
public enum ConvAlgorithm {
    /**
     * Per shape: direct for tiny problems, else depthwise, pointwise, sliding, Winograd or im2col ({@link #choose});
     * a 1×1 kernel with a stride above 1 and no padding runs as the pointwise GEMM on the subsampled input.
     */
    AUTO,
    /** Plain loops in double precision, rounded once: any shape and dtype; fastest when per-call overhead dominates. */
    DIRECT,
    /** Unfold patches (im2col) into a packed GEMM operand and multiply: any shape and dtype. */
    IM2COL,
    /**
     * A 1×1 kernel with stride 1 and no padding is a plain GEMM on the input: its unfolded matrix is the input
     * itself, copied plane row by plane row into the GEMM's packed panels. Float32 only.
     */
    POINTWISE,
    /** Depthwise (groups equal to input channels): one small loop per channel, vectorised along rows. Float32 only. */
    DEPTHWISE,
    /**
     * Winograd F(2×2, 3×3) for 3×3 kernels with stride 1 and dilation 1: 16 multiplies per 2×2 output tile
     * instead of 36. Forward, input gradient and weight gradient. Float32 only.
     */
    WINOGRAD,
    /**
     * Sliding-window loops over zero-padded planes, vectorised along their flattened rows, for stride 1 and
     * padding of at most dilation·(k − 1) per side: no unfolding, for layers with few channels. Forward and
     * both gradients. Float32 only.
     */
    SLIDING;

    /**
     * Whether Winograd's 2×2 output tiles cover a plane with little waste: at least three quarters of the
     * positions they compute are outputs. A 6×6 plane is covered exactly; a 3×3 plane by four tiles of which
     * seven of sixteen positions are cropped, which leaves too little of the 2.25× saving.
     */
    static boolean winogradTilesFit(ConvGeometry g) {
        long computed = 4L * ((g.outH() + 1) / 2) * ((g.outW() + 1) / 2);
        return 4L * g.outH() * g.outW() >= 3 * computed;
    }

    /** Below this many multiply-adds, call overhead dominates and the direct loop wins. */
    static final long TINY = 4096;

    private static volatile ConvAlgorithm forced = fromProperty();

    private static ConvAlgorithm fromProperty() {
        String p = System.getProperty("jconv.conv.algorithm");
        return p == null || p.isBlank() ? AUTO : parse(p);
    }

    /** Parses a name such as {@code im2col} or {@code WINOGRAD}. */
    public static ConvAlgorithm parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown convolution algorithm '" + name
                    + "', expected one of auto, direct, im2col, pointwise, depthwise, winograd, sliding", e);
        }
    }

    /** The algorithm in force ({@link #AUTO} unless forced). */
    public static ConvAlgorithm current() {
        return forced;
    }

    /** Forces an algorithm for all later convolutions ({@link #AUTO} restores the per-shape choice). */
    public static void force(ConvAlgorithm algorithm) {
        forced = java.util.Objects.requireNonNull(algorithm, "algorithm");
    }

    /** Why this algorithm cannot run the convolution, or null when it can. */
    String unsupported(ConvGeometry g, boolean float32) {
        return switch (this) {
            case AUTO, DIRECT, IM2COL -> null;
            case POINTWISE -> !float32 ? "it is float32 only"
                    : g.kernelH() != 1 || g.kernelW() != 1 || g.strideH() != 1 || g.strideW() != 1
                    || g.padTop() != 0 || g.padBottom() != 0 || g.padLeft() != 0 || g.padRight() != 0
                    || g.outH() != g.height() || g.outW() != g.width()
                    ? "it needs a 1x1 kernel with stride 1 and no padding" : null;
            case DEPTHWISE -> !float32 ? "it is float32 only"
                    : g.inPerGroup() != 1 ? "it needs groups equal to the input channels" : null;
            case WINOGRAD -> !float32 ? "it is float32 only"
                    : g.kernelH() != 3 || g.kernelW() != 3 || g.strideH() != 1 || g.strideW() != 1
                    || g.dilationH() != 1 || g.dilationW() != 1
                    ? "it needs a 3x3 kernel with stride 1 and dilation 1" : null;
            case SLIDING -> !float32 ? "it is float32 only"
                    : Conv2dKernels.fullConvolution(g) == null
                    ? "it needs stride 1 and padding of at most dilation*(kernel-1) per side"
                    : Conv2dSliding.Plane.weightWorkspace(g) > Integer.MAX_VALUE / 2
                    ? "its padded planes would not fit in one array" : null;
        };
    }

    /**
     * The algorithm for a shape: the forced one (checked), or the per-shape choice. Winograd is only chosen
     * with at least 16 input and output channels per group, where its 2.25× fewer multiply-adds outweigh the
     * transforms, and planes its tiles cover with little waste ({@link #winogradTilesFit}).
     */
    static ConvAlgorithm choose(ConvGeometry g, boolean float32) {
        ConvAlgorithm f = forced;
        if (f != AUTO) {
            String why = f.unsupported(g, float32);
            if (why != null) {
                throw new IllegalArgumentException("convolution algorithm " + f.name().toLowerCase(Locale.ROOT)
                        + " cannot run this convolution (input " + g.batch() + "x" + g.inChannels() + "x" + g.height()
                        + "x" + g.width() + ", kernel " + g.kernelH() + "x" + g.kernelW() + ", stride " + g.strideH()
                        + "x" + g.strideW() + ", groups " + g.groups() + ", " + (float32 ? "float32" : "float64")
                        + "): " + why);
            }
            return f;
        }
        long macs = (long) g.batch() * g.outChannels() * g.outH() * g.outW() * g.colRows();
        if (macs <= TINY || !float32) {
            return macs <= TINY ? DIRECT : IM2COL;
        }
        if (g.inPerGroup() == 1 && g.groups() > 1) {
            return DEPTHWISE;
        }
        if (POINTWISE.unsupported(g, true) == null) {
            return POINTWISE;
        }
        if (SLIDING.unsupported(g, true) == null && g.inPerGroup() <= 16 && g.outPerGroup() <= 32
                && 2 * g.outW() >= Conv2dSliding.Plane.of(g).wp()
                && Conv2dSliding.Plane.weightWorkspace(g) <= 1 << 27) {
            return SLIDING;
        }
        if (WINOGRAD.unsupported(g, true) == null && g.inPerGroup() >= 16 && g.outPerGroup() >= 16
                && winogradTilesFit(g)) {
            return WINOGRAD;
        }
        return IM2COL;
    }
}
