package dev.jconv.viz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The D2L-style training curves: size, content, the three line colours. */
class TrainingCurvesTest {
    @TempDir
    Path dir;

    @BeforeEach
    void fonts() {
        FontsRequired.assume();
    }

    /** Ten epochs shaped like LeNet's run on Fashion-MNIST in D2L. */
    static List<EpochStats> lenetLike() {
        double[] loss = {2.305, 1.720, 0.946, 0.778, 0.694, 0.633, 0.588, 0.552, 0.523, 0.497};
        double[] train = {0.102, 0.331, 0.628, 0.697, 0.728, 0.752, 0.773, 0.789, 0.801, 0.812};
        double[] test = {0.100, 0.540, 0.661, 0.712, 0.703, 0.748, 0.769, 0.771, 0.790, 0.785};
        List<EpochStats> stats = new ArrayList<>();
        for (int i = 0; i < loss.length; i++) {
            stats.add(new EpochStats(i + 1, loss[i], train[i], test[i], 12.5));
        }
        return stats;
    }

    @Test
    void drawsThreeColouredLinesOnAWhiteCanvas() throws IOException {
        Path png = dir.resolve("curves.png");
        TrainingCurves.save(png, lenetLike());
        BufferedImage image = Png.readAlone(png);
        assertThat(image.getWidth()).isEqualTo(TrainingCurves.WIDTH);
        assertThat(image.getHeight()).isEqualTo(TrainingCurves.HEIGHT);
        assertThat(Png.distinctColours(image)).isGreaterThan(20);
        assertThat(Png.count(image, rgb -> rgb == 0xFFFFFF)).as("white background")
                .isGreaterThan(image.getWidth() * image.getHeight() / 2);
        // Each line (and its legend sample) has pixels of exactly its colour.
        assertThat(Png.count(image, rgb -> rgb == 0x1f77b4)).as("blue train loss").isGreaterThan(200);
        assertThat(Png.count(image, rgb -> rgb == 0xbf00bf)).as("magenta train acc").isGreaterThan(100);
        assertThat(Png.count(image, rgb -> rgb == 0x008000)).as("green test acc").isGreaterThan(100);
        assertThat(Png.count(image, Png::dark)).as("axes, ticks and labels").isGreaterThan(500);
    }

    @Test
    void oneEpochAndMissingValuesStillDraw() throws IOException {
        Path png = dir.resolve("one.png");
        TrainingCurves.save(png, List.of(new EpochStats(1, 2.3, 0.1, Double.NaN, 10)));
        BufferedImage image = Png.readAlone(png);
        assertThat(image.getWidth()).isEqualTo(TrainingCurves.WIDTH);
        // One point each: drawn as markers. The test accuracy has no value and no line.
        assertThat(Png.count(image, rgb -> rgb == 0x1f77b4)).isGreaterThan(20);
        assertThat(Png.count(image, rgb -> rgb == 0x008000)).isZero();
    }

    @Test
    void replacesAnOlderPlot() throws IOException {
        Path png = dir.resolve("curves.png");
        TrainingCurves.save(png, lenetLike().subList(0, 2));
        TrainingCurves.save(png, lenetLike());
        assertThat(Png.readAlone(png).getWidth()).isEqualTo(TrainingCurves.WIDTH);
    }

    @Test
    void nothingToPlotIsAnError() {
        assertThatThrownBy(() -> TrainingCurves.save(dir.resolve("empty.png"), List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("no epochs to plot");
        assertThat(dir.toFile().list()).isEmpty();
    }
}
