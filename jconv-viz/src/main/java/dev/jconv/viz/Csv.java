package dev.jconv.viz;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;

/** Training statistics as CSV, for a spreadsheet or {@code pandas.read_csv}. */
public final class Csv {
    /** The header line (without its line break). */
    public static final String HEADER = "epoch,train_loss,train_acc,test_acc,seconds";

    private Csv() {}

    /**
     * Writes {@link #HEADER} and one line per epoch, each ending in {@code \n}, atomically. Numbers are
     * written as the shortest decimal that reads back as the same double, never in exponent form
     * ({@code 0.0001}, not {@code 1.0E-4}); NaN and infinities as Python writes them ({@code nan},
     * {@code inf}, {@code -inf}).
     *
     * @param csv    the file to write; replaced if it exists
     * @param epochs the rows, in the order given
     * @throws IOException when the file cannot be written
     */
    public static void write(Path csv, List<EpochStats> epochs) throws IOException {
        AtomicFiles.writeText(csv, format(epochs));
    }

    /** The text {@link #write} writes. */
    public static String format(List<EpochStats> epochs) {
        StringBuilder out = new StringBuilder(HEADER).append('\n');
        for (EpochStats e : epochs) {
            out.append(e.epoch()).append(',')
                    .append(number(e.trainLoss())).append(',')
                    .append(number(e.trainAccuracy())).append(',')
                    .append(number(e.testAccuracy())).append(',')
                    .append(number(e.seconds())).append('\n');
        }
        return out.toString();
    }

    /** Reads text written by {@link #format} back into rows (a checkpoint keeps the history this way). */
    public static List<EpochStats> parse(String text) {
        String[] lines = text.split("\n");
        if (lines.length == 0 || !lines[0].equals(HEADER)) {
            throw new IllegalArgumentException("training history must start with the header '" + HEADER + "'");
        }
        List<EpochStats> rows = new java.util.ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            String[] f = lines[i].split(",");
            if (f.length != 5) {
                throw new IllegalArgumentException("training history line " + (i + 1) + " has " + f.length
                        + " fields, expected 5: '" + lines[i] + "'");
            }
            try {
                rows.add(new EpochStats(Integer.parseInt(f[0]), value(f[1]), value(f[2]), value(f[3]), value(f[4])));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("training history line " + (i + 1) + " is not numeric: '"
                        + lines[i] + "'", e);
            }
        }
        return rows;
    }

    private static double value(String s) {
        return switch (s) {
            case "nan" -> Double.NaN;
            case "inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(s);
        };
    }

    static String number(double value) {
        if (Double.isNaN(value)) {
            return "nan";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "inf" : "-inf";
        }
        // Double.toString gives the shortest round-tripping digits; BigDecimal drops its exponent form.
        String plain = BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
        return plain.contains(".") ? plain : plain + ".0";
    }
}
