package dev.jconv.viz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jconv.viz.ProgressBar.Mode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The bar's exact output in both modes, driven by a fake clock. */
class ProgressBarTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private final AtomicLong nanos = new AtomicLong();

    private ProgressBar bar(int epochs, Mode mode) {
        return new ProgressBar(epochs, out, mode, nanos::get, 10);
    }

    private void at(double seconds) {
        nanos.set(Math.round(seconds * 1e9));
    }

    private String output() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void terminalRedrawsOneLineInPlace() {
        ProgressBar bar = bar(10, Mode.TERMINAL);
        at(0);
        bar.startEpoch(1, 4);
        at(0.05);
        bar.step(100, 1.0); // within 100 ms of the first draw: not drawn
        at(1.0);
        bar.step(100, 0.5);
        at(1.05);
        bar.step(100, 0.25); // again too soon
        at(2.0);
        bar.step(50, 0.1); // the last batch: always drawn, then a new line
        assertThat(output()).isEqualTo(
                "\repoch 1/10 [>         ] 0/4 batches"
                + "\repoch 1/10 [=====>    ] 2/4 batches, 200 samples/s, loss 0.750, ETA 0:01"
                + "\repoch 1/10 [==========] 4/4 batches, 175 samples/s, loss 0.514, time 0:02\n");
    }

    @Test
    void theExampleLineOfTheDocumentation() {
        ProgressBar bar = bar(10, Mode.TERMINAL);
        at(0);
        bar.startEpoch(3, 235);
        for (int i = 0; i < 120; i++) {
            at(14.506 * (i + 1) / 120);
            bar.step(283, 0.512);
        }
        String[] frames = output().split("\r");
        assertThat(frames[frames.length - 1])
                .isEqualTo("epoch 3/10 [=====>    ] 120/235 batches, 2,341 samples/s, loss 0.512, ETA 0:14");
    }

    @Test
    void aShorterLineIsPaddedOverTheLongerOne() {
        ProgressBar bar = bar(2, Mode.TERMINAL);
        at(0);
        bar.startEpoch(1, 3);
        at(1);
        bar.step(1000, 2);
        at(2.2);
        bar.step(10, 2);
        String[] frames = output().split("\r");
        assertThat(frames[2]).isEqualTo("epoch 1/2 [===>      ] 1/3 batches, 1,000 samples/s, loss 2.000, ETA 0:02");
        // 459 samples/s is two characters shorter than 1,000 samples/s: two spaces wipe the old tail.
        assertThat(frames[3]).isEqualTo("epoch 1/2 [======>   ] 2/3 batches, 459 samples/s, loss 2.000, ETA 0:01  ");
    }

    @Test
    void slowTrainingShowsADecimalRate() {
        ProgressBar bar = bar(1, Mode.TERMINAL);
        at(0);
        bar.startEpoch(1, 1);
        at(40);
        bar.step(100, 0.25);
        assertThat(output()).endsWith("[==========] 1/1 batches, 2.5 samples/s, loss 0.250, time 0:40\n");
    }

    @Test
    void finishingEarlyEndsTheLineWithWhatWasDone() {
        ProgressBar bar = bar(2, Mode.TERMINAL);
        at(0);
        bar.startEpoch(2, 10);
        at(0.5);
        bar.step(10, 1);
        at(3725);
        bar.finishEpoch();
        bar.finishEpoch(); // a second call does nothing
        assertThat(output()).isEqualTo("\repoch 2/2 [>         ] 0/10 batches"
                + "\repoch 2/2 [=>        ] 1/10 batches, 20 samples/s, loss 1.000, ETA 0:05"
                + "\repoch 2/2 [=>        ] 1/10 batches, 0.0 samples/s, loss 1.000, time 1:02:05\n");
    }

    @Test
    void logModePrintsATenthAtATimeAndTheEnd() {
        ProgressBar bar = bar(3, Mode.LOG);
        at(0);
        bar.startEpoch(1, 20);
        for (int i = 1; i <= 20; i++) {
            at(0.1 * i);
            bar.step(32, 0.5);
        }
        String[] lines = output().split("\n", -1);
        assertThat(lines).hasSize(11).endsWith("");
        assertThat(lines[0]).isEqualTo("epoch 1/3: 2/20 batches (10%), 320 samples/s, loss 0.500, ETA 0:02");
        assertThat(lines[4]).isEqualTo("epoch 1/3: 10/20 batches (50%), 320 samples/s, loss 0.500, ETA 0:01");
        assertThat(lines[8]).isEqualTo("epoch 1/3: 18/20 batches (90%), 320 samples/s, loss 0.500, ETA 0:00");
        assertThat(lines[9]).isEqualTo("epoch 1/3: 20/20 batches (100%), 320 samples/s, loss 0.500, time 0:02");
        assertThat(output()).doesNotContain("\r");
    }

    @Test
    void logModeWithFewBatchesPrintsEachOnce() {
        ProgressBar bar = bar(1, Mode.LOG);
        at(0);
        bar.startEpoch(1, 3);
        at(1);
        bar.step(10, 3);
        at(2);
        bar.step(10, 1);
        at(3);
        bar.step(10, 2);
        assertThat(output()).isEqualTo("""
                epoch 1/1: 1/3 batches (33%), 10 samples/s, loss 3.000, ETA 0:02
                epoch 1/1: 2/3 batches (66%), 10 samples/s, loss 2.000, ETA 0:01
                epoch 1/1: 3/3 batches (100%), 10 samples/s, loss 2.000, time 0:03
                """);
    }

    @Test
    void startingTheNextEpochFinishesAnOpenOne() {
        ProgressBar bar = bar(2, Mode.LOG);
        at(0);
        bar.startEpoch(1, 100);
        bar.startEpoch(2, 100);
        assertThat(output()).isEqualTo("epoch 1/2: 0/100 batches (0%), time 0:00\n");
    }

    @Test
    void stepsOutsideAnEpochAreErrors() {
        ProgressBar bar = bar(1, Mode.LOG);
        assertThatThrownBy(() -> bar.step(1, 1)).isInstanceOf(IllegalStateException.class)
                .hasMessage("step() before startEpoch()");
        bar.startEpoch(1, 1);
        bar.step(1, 1);
        assertThatThrownBy(() -> bar.step(1, 1)).isInstanceOf(IllegalStateException.class)
                .hasMessage("step() after the last of the 1 batches given to startEpoch()");
        assertThatThrownBy(() -> bar.startEpoch(1, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void modeDetection() {
        assertThat(Mode.detect(true, Map.of())).isEqualTo(Mode.TERMINAL);
        assertThat(Mode.detect(true, Map.of("TERM", "xterm-256color"))).isEqualTo(Mode.TERMINAL);
        assertThat(Mode.detect(true, Map.of("CI", "false"))).isEqualTo(Mode.TERMINAL);
        assertThat(Mode.detect(false, Map.of())).isEqualTo(Mode.LOG);
        assertThat(Mode.detect(true, Map.of("CI", "true"))).isEqualTo(Mode.LOG);
        assertThat(Mode.detect(true, Map.of("CI", "1"))).isEqualTo(Mode.LOG);
        assertThat(Mode.detect(true, Map.of("TERM", "dumb"))).isEqualTo(Mode.LOG);
    }

    @Test
    void underMavenTheBarLogs() {
        // Surefire gives the test JVM no terminal; CI sets CI=true: either way, plain lines.
        assertThat(Mode.detect()).isEqualTo(Mode.LOG);
        assertThat(new ProgressBar(1).mode()).isEqualTo(Mode.LOG);
    }

    @Test
    void clockFormat() {
        assertThat(ProgressBar.clock(0)).isEqualTo("0:00");
        assertThat(ProgressBar.clock(14.4)).isEqualTo("0:14");
        assertThat(ProgressBar.clock(59.5)).isEqualTo("1:00");
        assertThat(ProgressBar.clock(3599)).isEqualTo("59:59");
        assertThat(ProgressBar.clock(3600)).isEqualTo("1:00:00");
    }
}
