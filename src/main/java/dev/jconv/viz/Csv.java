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
