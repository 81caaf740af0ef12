package dev.jconv.viz;

import java.io.Console;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Training progress, one epoch at a time. On a terminal it redraws one line in place:
 *
 * <pre>epoch 3/10 [=====&gt;    ] 120/235 batches, 2,341 samples/s, loss 0.512, ETA 0:14</pre>
 *
 * and, when output goes to a file or a CI log, it prints plain lines instead: one each time another tenth
 * of the epoch is done and one at its end. The loss shown is the mean over the epoch's samples so far,
 * as D2L's {@code train_ch6} reports it.
 *
 * <pre>{@code
 * var bar = new ProgressBar(numEpochs);
 * for (int epoch = 1; epoch <= numEpochs; epoch++) {
 *     bar.startEpoch(epoch, batchesPerEpoch);
 *     for (var batch : loader) {
 *         ...
 *         bar.step(batchSize, loss.item());
 *     }
 *     bar.finishEpoch();
 * }
 * }</pre>
 *
 * <p>Methods are synchronized, so one training thread may report while another thread reads or finishes;
 * the bar is meant for a single producer of steps.
 */
public final class ProgressBar {
    /** How the bar shows itself. */
    public enum Mode {
        /** One line redrawn in place with {@code \r}, at most ten times a second. */
        TERMINAL,
        /** Plain lines: one per tenth of an epoch and one at its end. */
        LOG;

        /**
         * {@link #TERMINAL} when this process talks to a terminal that can take {@code \r} redraws: there
         * is a console attached to a terminal, {@code CI} is not set (CI logs keep every redraw) and
         * {@code TERM} is not {@code dumb}. {@link #LOG} otherwise.
         */
        public static Mode detect() {
            Console console = System.console();
            // Since JDK 22 System.console() is non-null even when redirected; isTerminal() tells the truth.
            return detect(console != null && console.isTerminal(), System.getenv());
        }

        static Mode detect(boolean terminal, Map<String, String> env) {
            String ci = env.get("CI");
            boolean onCi = ci != null && !ci.isEmpty() && !ci.equalsIgnoreCase("false") && !ci.equals("0");
            boolean dumb = "dumb".equals(env.get("TERM"));
            return terminal && !onCi && !dumb ? TERMINAL : LOG;
        }
    }

    /** Terminal redraws at most this often: more is flicker and wasted time. */
    static final long REDRAW_NANOS = 100_000_000L;

    private static final int DEFAULT_BAR_WIDTH = 10;

    private final int epochs;
    private final PrintStream out;
    private final Mode mode;
    private final LongSupplier nanoClock;
    private final int barWidth;

    private int epoch;
    private int batches;
    private int done;
    private long samples;
    private double lossSum;
    private long startNanos;
    private long lastDrawNanos;
    private int lastDecile;
    private int lastLength;
    private boolean open;

    /**
     * A bar on {@code System.err}, in the {@link Mode#detect() detected} mode, timed by
     * {@link System#nanoTime()}.
     *
     * @param epochs how many epochs training runs, shown as {@code epoch 3/10}
     */
    public ProgressBar(int epochs) {
        this(epochs, System.err, Mode.detect(), System::nanoTime, DEFAULT_BAR_WIDTH);
    }

    /**
     * A bar with everything chosen: tests pass a fake clock and force a mode.
     *
     * @param epochs    how many epochs training runs
     * @param out       where to write
     * @param mode      terminal redraws or log lines
     * @param nanoClock nanoseconds from an arbitrary origin, like {@link System#nanoTime()}
     * @param barWidth  characters between the brackets
     */
    public ProgressBar(int epochs, PrintStream out, Mode mode, LongSupplier nanoClock, int barWidth) {
        if (epochs < 1 || barWidth < 1) {
            throw new IllegalArgumentException("epochs and barWidth must be positive, got " + epochs + " and "
                    + barWidth);
        }
        this.epochs = epochs;
        this.out = Objects.requireNonNull(out, "out");
        this.mode = Objects.requireNonNull(mode, "mode");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.barWidth = barWidth;
    }

    /** The mode this bar draws in. */
    public Mode mode() {
        return mode;
    }

    /**
     * Starts an epoch; on a terminal this draws the empty bar at once. An epoch still open is finished
     * first.
     *
     * @param epoch   the epoch number, counted from 1
     * @param batches how many batches the epoch has
     */
    public synchronized void startEpoch(int epoch, int batches) {
        if (batches < 1) {
            throw new IllegalArgumentException("an epoch needs at least one batch, got " + batches);
        }
        if (open) {
            finishEpoch();
        }
        this.epoch = epoch;
        this.batches = batches;
        done = 0;
        samples = 0;
        lossSum = 0;
        lastDecile = 0;
        lastLength = 0;
        startNanos = nanoClock.getAsLong();
        lastDrawNanos = startNanos;
        open = true;
        if (mode == Mode.TERMINAL) {
            redraw(startNanos);
        }
    }

    /**
     * Records one batch. The epoch finishes by itself with its last batch.
     *
     * @param batchSamples how many samples the batch had
     * @param meanLoss     the batch's mean loss per sample (weighted by {@code batchSamples} in the epoch mean)
     * @throws IllegalStateException when no epoch was started
     */
    public synchronized void step(int batchSamples, double meanLoss) {
        if (!open) {
            throw new IllegalStateException(epoch == 0 ? "step() before startEpoch()"
                    : "step() after the last of the " + batches + " batches given to startEpoch()");
        }
        done++;
        samples += batchSamples;
        lossSum += meanLoss * batchSamples;
        long now = nanoClock.getAsLong();
        if (done >= batches) {
            finishEpoch();
        } else if (mode == Mode.TERMINAL) {
            if (now - lastDrawNanos >= REDRAW_NANOS) {
                redraw(now);
            }
        } else {
            int decile = (int) (10L * done / batches);
            if (decile > lastDecile) {
                lastDecile = decile;
                log(logLine(now, false));
            }
        }
    }

    /**
     * Ends the epoch: draws its final line with the time it took and moves to a new line. Does nothing when
     * no epoch is open, so it is safe to call after the last batch finished the epoch.
     */
    public synchronized void finishEpoch() {
        if (!open) {
            return;
        }
        open = false;
        long now = nanoClock.getAsLong();
        if (mode == Mode.TERMINAL) {
            draw(terminalLine(now, true));
            out.print('\n');
            out.flush();
        } else {
            log(logLine(now, true));
        }
    }

    /** A log line ends in {@code \n} on every platform: the same bytes in every CI log. */
    private void log(String line) {
        out.print(line + "\n");
        out.flush();
    }

    private void redraw(long now) {
        lastDrawNanos = now;
        draw(terminalLine(now, false));
    }

    /** Overwrites the line in place, padding with spaces when it got shorter. */
    private void draw(String line) {
        int pad = Math.max(0, lastLength - line.length());
        out.print('\r' + line + " ".repeat(pad));
        out.flush();
        lastLength = line.length();
    }

    private String terminalLine(long now, boolean end) {
        return "epoch " + epoch + "/" + epochs + " [" + bar() + "] " + done + "/" + batches + " batches"
                + figures(now, end);
    }

    private String logLine(long now, boolean end) {
        int percent = (int) (100L * Math.min(done, batches) / batches);
        return "epoch " + epoch + "/" + epochs + ": " + done + "/" + batches + " batches (" + percent + "%)"
                + figures(now, end);
    }

    /** {@code =====>    }: filled in proportion, with an arrow head while not complete. */
    private String bar() {
        int filled = (int) ((long) barWidth * Math.min(done, batches) / batches);
        StringBuilder b = new StringBuilder(barWidth).append("=".repeat(filled));
        if (filled < barWidth) {
            b.append('>');
        }
        return b.append(" ".repeat(barWidth - b.length())).toString();
    }

    /** Speed, mean loss and the ETA (or, at the end, the time taken), each left out while unknown. */
    private String figures(long now, boolean end) {
        StringBuilder s = new StringBuilder();
        double seconds = (now - startNanos) / 1e9;
        if (seconds > 0 && samples > 0) {
            double rate = samples / seconds;
            s.append(", ").append(rate < 10 ? String.format(Locale.ROOT, "%.1f", rate)
                    : String.format(Locale.ROOT, "%,d", Math.round(rate))).append(" samples/s");
        }
        if (samples > 0) {
            s.append(", loss ").append(String.format(Locale.ROOT, "%.3f", lossSum / samples));
        }
        if (end) {
            s.append(", time ").append(clock(seconds));
        } else if (seconds > 0 && done > 0) {
            s.append(", ETA ").append(clock(seconds * (batches - done) / done));
        }
        return s.toString();
    }

    /** {@code m:ss}, or {@code h:mm:ss} from an hour on. */
    static String clock(double seconds) {
        long total = Math.round(seconds);
        long h = total / 3600;
        long m = total / 60 % 60;
        long s = total % 60;
        return h > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, s)
                : String.format(Locale.ROOT, "%d:%02d", m, s);
    }
}
