package dev.jconv.cli;

import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parsers for sizes written {@code HxW} ({@code 8x8}, or {@code 8} for both) and {@code NxCxHxW}. */
final class Sizes {
    private Sizes() {
    }

    /** {@code "8x8"} or {@code "8"} (both dimensions the same) as {@code {h, w}}. */
    static final class Pair implements ITypeConverter<int[]> {
        @Override
        public int[] convert(String v) {
            String[] parts = v.toLowerCase(Locale.ROOT).split("x", -1);
            if (parts.length == 1) {
                int n = integer(parts[0], v);
                return new int[] {n, n};
            }
            if (parts.length != 2) {
                throw new TypeConversionException("expected HxW (e.g. 8x8), got '" + v + "'");
            }
            return new int[] {integer(parts[0], v), integer(parts[1], v)};
        }
    }

    /** Positive sizes such as {@code "1x1x28x28"}. */
    static final class Dims implements ITypeConverter<int[]> {
        @Override
        public int[] convert(String v) {
            String[] parts = v.toLowerCase(Locale.ROOT).split("x", -1);
            int[] out = new int[parts.length];
            for (int i = 0; i < parts.length; i++) {
                out[i] = integer(parts[i], v);
                if (out[i] <= 0) {
                    throw new TypeConversionException("sizes must be positive, got '" + v + "'");
                }
            }
            return out;
        }
    }

    private static int integer(String part, String whole) {
        try {
            return Integer.parseInt(part.trim());
        } catch (NumberFormatException e) {
            throw new TypeConversionException("expected integers separated by 'x', got '" + whole + "'");
        }
    }
}
