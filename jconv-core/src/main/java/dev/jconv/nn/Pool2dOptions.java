package dev.jconv.nn;

/**
 * The arguments of a 2-D max or average pooling layer, with PyTorch's defaults (stride = kernel size,
 * padding 0, dilation 1, ceil mode off, padding counted in averages, no divisor override). Immutable; each
 * setter returns a changed copy:
 * <pre>{@code Pool2dOptions.kernelSize(3).padding(1).stride(2)}</pre>
 *
 * <p>Each size remembers whether it was given as one number or as a pair, because PyTorch prints it the way
 * it was given ({@code kernel_size=3} but {@code kernel_size=(3, 3)}). As in PyTorch, the values are checked
 * when the layer runs, not here.
 */
public final class Pool2dOptions {
    private final Size kernel;
    private final Size stride;
    private final Size padding;
    private final Size dilation;
    private final boolean ceilMode;
    private final boolean countIncludePad;
    private final Integer divisorOverride;

    /** One size argument: (h, w), and whether it was given as a single int. */
    private record Size(int h, int w, boolean single) {
        static Size of(int v) {
            return new Size(v, v, true);
        }

        static Size of(int h, int w) {
            return new Size(h, w, false);
        }

        int[] toArray() {
            return new int[] {h, w};
        }

        @Override
        public String toString() {
            return single ? Integer.toString(h) : "(" + h + ", " + w + ")";
        }
    }

    private Pool2dOptions(Size kernel, Size stride, Size padding, Size dilation, boolean ceilMode,
                          boolean countIncludePad, Integer divisorOverride) {
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.dilation = dilation;
        this.ceilMode = ceilMode;
        this.countIncludePad = countIncludePad;
        this.divisorOverride = divisorOverride;
    }

    /** A square {@code k × k} window, other arguments at their defaults. */
    public static Pool2dOptions kernelSize(int k) {
        return new Pool2dOptions(Size.of(k), null, Size.of(0), Size.of(1), false, true, null);
    }

    /** A {@code kh × kw} window, other arguments at their defaults. */
    public static Pool2dOptions kernelSize(int kh, int kw) {
        return new Pool2dOptions(Size.of(kh, kw), null, Size.of(0), Size.of(1), false, true, null);
    }

    /** The same step {@code s} in both dimensions. */
    public Pool2dOptions stride(int s) {
        return new Pool2dOptions(kernel, Size.of(s), padding, dilation, ceilMode, countIncludePad, divisorOverride);
    }

    /** Steps {@code sh} down and {@code sw} across. */
    public Pool2dOptions stride(int sh, int sw) {
        return new Pool2dOptions(kernel, Size.of(sh, sw), padding, dilation, ceilMode, countIncludePad,
                divisorOverride);
    }

    /** {@code p} rows and columns of implicit padding on every side. */
    public Pool2dOptions padding(int p) {
        return new Pool2dOptions(kernel, stride, Size.of(p), dilation, ceilMode, countIncludePad, divisorOverride);
    }

    /** {@code ph} rows above and below, {@code pw} columns left and right. */
    public Pool2dOptions padding(int ph, int pw) {
        return new Pool2dOptions(kernel, stride, Size.of(ph, pw), dilation, ceilMode, countIncludePad,
                divisorOverride);
    }

    /** Spacing {@code d} between a window's taps (max pooling only). */
    public Pool2dOptions dilation(int d) {
        return new Pool2dOptions(kernel, stride, padding, Size.of(d), ceilMode, countIncludePad, divisorOverride);
    }

    /** Spacing {@code dh} down and {@code dw} across between a window's taps (max pooling only). */
    public Pool2dOptions dilation(int dh, int dw) {
        return new Pool2dOptions(kernel, stride, padding, Size.of(dh, dw), ceilMode, countIncludePad,
                divisorOverride);
    }

    /** Rounds the output size up, so a partial last window is kept. */
    public Pool2dOptions ceilMode(boolean on) {
        return new Pool2dOptions(kernel, stride, padding, dilation, on, countIncludePad, divisorOverride);
    }

    /** Whether averages count the padding in the divisor (average pooling only; default true). */
    public Pool2dOptions countIncludePad(boolean on) {
        return new Pool2dOptions(kernel, stride, padding, dilation, ceilMode, on, divisorOverride);
    }

    /** A fixed divisor for every average, or null for the window's own (average pooling only). */
    public Pool2dOptions divisorOverride(Integer divisor) {
        return new Pool2dOptions(kernel, stride, padding, dilation, ceilMode, countIncludePad, divisor);
    }

    /** (kh, kw). */
    public int[] kernel() {
        return kernel.toArray();
    }

    /** (sh, sw): the kernel size when no stride was given. */
    public int[] stride() {
        return (stride == null ? kernel : stride).toArray();
    }

    /** (ph, pw). */
    public int[] padding() {
        return padding.toArray();
    }

    /** (dh, dw). */
    public int[] dilation() {
        return dilation.toArray();
    }

    public boolean ceilMode() {
        return ceilMode;
    }

    public boolean countIncludePad() {
        return countIncludePad;
    }

    /** The divisor override, or null. */
    public Integer divisorOverride() {
        return divisorOverride;
    }

    boolean hasDilation() {
        return dilation.h != 1 || dilation.w != 1;
    }

    /** {@code kernel_size=…, stride=…, padding=…} as PyTorch prints them; stride defaults to the kernel. */
    String describeWindow() {
        return "kernel_size=" + kernel + ", stride=" + (stride == null ? kernel : stride) + ", padding=" + padding;
    }

    /** MaxPool2d's extra_repr: the window, then dilation and ceil mode. */
    String describeMax() {
        return describeWindow() + ", dilation=" + dilation + ", ceil_mode=" + (ceilMode ? "True" : "False");
    }

    @Override
    public String toString() {
        return "Pool2dOptions(" + describeWindow() + ", dilation=" + dilation + ", ceil_mode=" + ceilMode
                + ", count_include_pad=" + countIncludePad + ", divisor_override=" + divisorOverride + ")";
    }
}
