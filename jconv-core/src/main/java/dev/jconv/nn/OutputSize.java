package dev.jconv.nn;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The output-size arithmetic of convolution layers, computed and explained step by step:
 * {@code out = floor((in - dilation·(kernel - 1) - 1 + 2·padding) / stride) + 1}, which for dilation 1 is
 * the familiar {@code floor((in - kernel + 2·padding) / stride) + 1}.
 */
public final class OutputSize {
    private OutputSize() {
    }

    /** The output size of one dimension, or an exception saying which rule the arguments break. */
    public static int of(int in, int kernel, int padding, int stride, int dilation) {
        check("", in, kernel, padding, stride, dilation);
        return (in + 2 * padding - dilation * (kernel - 1) - 1) / stride + 1;
    }

    private static void check(String dim, int in, int kernel, int padding, int stride, int dilation) {
        String where = dim.isEmpty() ? "" : " (" + dim + ")";
        if (in <= 0) {
            throw new IllegalArgumentException("input size must be positive, got " + in + where);
        }
        if (kernel <= 0) {
            throw new IllegalArgumentException("kernel size must be positive, got " + kernel + where);
        }
        if (stride <= 0) {
            throw new IllegalArgumentException("stride must be at least 1, got " + stride + where);
        }
        if (padding < 0) {
            throw new IllegalArgumentException("padding must be non-negative, got " + padding + where);
        }
        if (dilation <= 0) {
            throw new IllegalArgumentException("dilation must be at least 1, got " + dilation + where);
        }
        int span = dilation * (kernel - 1) + 1;
        if (span > in + 2 * padding) {
            throw new IllegalArgumentException("kernel " + (dilation == 1 ? "size " + kernel : "span " + span
                    + " (kernel " + kernel + " with dilation " + dilation + ")") + " is larger than the padded input "
                    + (in + 2 * padding) + " (input " + in + " + 2 * padding " + padding + ")" + where);
        }
    }

    /**
     * The derivation for one dimension named {@code dim} ("Height", "Width"): the formula, the numbers put
     * in, each arithmetic step, the floor division and the result.
     */
    public static String explain(String dim, int in, int kernel, int padding, int stride, int dilation) {
        check(dim.toLowerCase(java.util.Locale.ROOT), in, kernel, padding, stride, dilation);
        String lhs = "Output " + dim + " = ";
        String pad = " ".repeat(lhs.length() - 2) + "= ";
        StringBuilder sb = new StringBuilder();
        String kernelTerm = dilation == 1 ? "Kernel " + dim : "Dilation " + dim + " * (Kernel " + dim + " - 1) - 1";
        sb.append(lhs).append("floor((Input ").append(dim).append(" - ").append(kernelTerm).append(" + 2 * Padding ")
                .append(dim).append(") / Stride ").append(dim).append(") + 1\n");
        int effective = dilation == 1 ? kernel : dilation * (kernel - 1) + 1;
        String k = dilation == 1 ? Integer.toString(kernel) : dilation + " * (" + kernel + " - 1) - 1";
        sb.append(pad).append("floor((").append(in).append(" - ").append(k).append(" + 2 * ").append(padding)
                .append(") / ").append(stride).append(") + 1\n");
        int diff = in - effective;
        int twoPad = 2 * padding;
        sb.append(pad).append("floor((").append(diff).append(" + ").append(twoPad).append(") / ").append(stride)
                .append(") + 1\n");
        int numerator = diff + twoPad;
        sb.append(pad).append("floor(").append(numerator).append(" / ").append(stride).append(") + 1\n");
        int quotient = numerator / stride;
        if (stride != 1) {
            sb.append(pad).append("floor(").append(decimal(numerator, stride)).append(") + 1\n");
        }
        sb.append(pad).append(quotient).append(" + 1 = ").append(quotient + 1).append('\n');
        return sb.toString();
    }

    /** Both dimensions' derivations and the resulting size, e.g. for {@code ./jconv shape}. */
    public static String explain(int[] input, int[] kernel, int[] padding, int[] stride, int[] dilation) {
        int h = of(input[0], kernel[0], padding[0], stride[0], dilation[0]);
        int w = of(input[1], kernel[1], padding[1], stride[1], dilation[1]);
        return explain("Height", input[0], kernel[0], padding[0], stride[0], dilation[0]) + "\n"
                + explain("Width", input[1], kernel[1], padding[1], stride[1], dilation[1]) + "\n"
                + "Output shape: (" + h + ", " + w + ")\n";
    }

    /** The quotient as a decimal: exact when it terminates within 3 places, else 3 places and "...". */
    private static String decimal(int numerator, int denominator) {
        BigDecimal q = BigDecimal.valueOf(numerator).divide(BigDecimal.valueOf(denominator), 10, RoundingMode.DOWN)
                .stripTrailingZeros();
        if (q.scale() <= 3) {
            return q.scale() <= 0 ? q.setScale(1).toPlainString() : q.toPlainString();
        }
        return q.setScale(3, RoundingMode.DOWN).toPlainString() + "...";
    }
}
