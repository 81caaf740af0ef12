package dev.jconv.viz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jconv.storage.DType;
import dev.jconv.storage.Shape;
import dev.jconv.tensor.Tensor;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Captioned image grids with wrong predictions in red, and heatmaps of single matrices. */
class ImageGridTest {
    @TempDir
    Path dir;

    private static final int SCALE = ImageGrid.IMAGE / 28;
    private static final int TILE = 28 * SCALE;
    /** Captions here are narrower than an image, so a cell is as wide as an image and its frame. */
    private static final int CELL = TILE + 2 * ImageGrid.FRAME;

    /** Four 28 × 28 images: image i is a left-to-right ramp with its top-left pixel at i / 4. */
    private static Tensor images() {
        double[] px = new double[4 * 28 * 28];
        for (int i = 0; i < 4; i++) {
            for (int y = 0; y < 28; y++) {
                for (int x = 0; x < 28; x++) {
                    px[i * 784 + y * 28 + x] = x == 0 && y == 0 ? i / 4.0 : x / 27.0;
                }
            }
        }
        return Tensor.fromArray(px, Shape.of(4, 1, 28, 28), DType.FLOAT32);
    }

    private static int imageLeft(int i) {
        return ImageGrid.MARGIN + i * (CELL + ImageGrid.GAP) + ImageGrid.FRAME;
    }

    private static final int IMAGE_TOP = ImageGrid.MARGIN + ImageGrid.FRAME;

    @Test
    void wrongPredictionsAreFramedAndCaptionedInRed() throws IOException {
        FontsRequired.assume();
        Path png = dir.resolve("predictions.png");
        ImageGrid.savePredictions(png, images(), new String[] {"1", "7", "2", "9"}, new String[] {"1", "1", "2", "4"});
        BufferedImage image = Png.readAlone(png);
        assertThat(image.getWidth()).isEqualTo(2 * ImageGrid.MARGIN + 4 * CELL + 3 * ImageGrid.GAP);
        assertThat(image.getHeight()).isGreaterThan(2 * ImageGrid.MARGIN + CELL + 10);
        assertThat(Png.distinctColours(image)).isGreaterThan(20);
        int captionTop = IMAGE_TOP + TILE + ImageGrid.FRAME;
        int captionBottom = image.getHeight() - ImageGrid.MARGIN;
        boolean[] wrong = {false, true, false, true};
        for (int i = 0; i < 4; i++) {
            int left = imageLeft(i);
            // The frame: on the left edge, halfway down, and along the top.
            int frameLeft = Png.rgb(image, left - 2, IMAGE_TOP + TILE / 2);
            int frameTop = Png.rgb(image, left + TILE / 2, IMAGE_TOP - 2);
            int cellLeft = left - ImageGrid.FRAME;
            int reddish = Png.count(image, cellLeft, captionTop, cellLeft + CELL, captionBottom, Png::reddish);
            int dark = Png.count(image, cellLeft, captionTop, cellLeft + CELL, captionBottom, Png::dark);
            if (wrong[i]) {
                assertThat(frameLeft).as("frame left of image %d", i).isEqualTo(ImageGrid.WRONG.getRGB() & 0xFFFFFF);
                assertThat(frameTop).as("frame above image %d", i).isEqualTo(ImageGrid.WRONG.getRGB() & 0xFFFFFF);
                assertThat(reddish).as("red caption of image %d", i).isGreaterThan(10);
                assertThat(dark).as("no black caption under image %d", i).isZero();
            } else {
                assertThat(frameLeft).as("no frame around image %d", i).isEqualTo(0xFFFFFF);
                assertThat(frameTop).as("no frame around image %d", i).isEqualTo(0xFFFFFF);
                assertThat(reddish).as("no red under image %d", i).isZero();
                assertThat(dark).as("black caption of image %d", i).isGreaterThan(10);
            }
            // The image itself is untouched by the frame: its corner pixel is i / 4 in grey.
            int level = (int) Math.round(255 * i / 4.0);
            assertThat(Png.rgb(image, left, IMAGE_TOP)).as("corner of image %d", i)
                    .isEqualTo(level << 16 | level << 8 | level);
            assertThat(Png.rgb(image, left + TILE - 1, IMAGE_TOP + TILE - 1)).as("right edge is white")
                    .isEqualTo(0xFFFFFF);
        }
    }

    @Test
    void withoutTitlesThereAreNoCaptionsAndNoFontsAreNeeded() {
        BufferedImage image = ImageGrid.render(images(), null, new boolean[] {true, false, false, false}, 2);
        assertThat(image.getWidth()).isEqualTo(2 * ImageGrid.MARGIN + 2 * CELL + ImageGrid.GAP);
        assertThat(image.getHeight()).isEqualTo(2 * ImageGrid.MARGIN + 2 * CELL + ImageGrid.GAP);
        assertThat(Png.rgb(image, imageLeft(0) - 1, IMAGE_TOP)).isEqualTo(ImageGrid.WRONG.getRGB() & 0xFFFFFF);
        // The fourth image starts the second row's second column.
        int level = (int) Math.round(255 * 3 / 4.0);
        assertThat(Png.rgb(image, imageLeft(1), IMAGE_TOP + CELL + ImageGrid.GAP))
                .isEqualTo(level << 16 | level << 8 | level);
    }

    @Test
    void twoLineCaptionsLikeD2L() throws IOException {
        FontsRequired.assume();
        BufferedImage oneLine = ImageGrid.render(images(), new String[] {"a", "b", "c", "d"}, null, 4);
        BufferedImage twoLines = ImageGrid.render(images(), new String[] {"a\nb", "b", "c", "d"}, null, 4);
        assertThat(twoLines.getHeight()).isGreaterThan(oneLine.getHeight() + 10);
    }

    @Test
    void mismatchedLengthsAreErrors() {
        assertThatThrownBy(() -> ImageGrid.render(images(), new String[] {"a"}, null, 4))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("4 images need 4 titles");
        assertThatThrownBy(() -> ImageGrid.render(Tensor.ones(4, 2, 5, 5), null, null, 4))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[4, 2, 5, 5]");
    }

    // ---- heatmaps -----------------------------------------------------------------------------------------

    /** The chapter's edge-detection input: ones with a dark band in columns 2 to 5. */
    private static Tensor edgeImage() {
        Tensor x = Tensor.ones(6, 8);
        x.slice(1, 2, 6).fill_(0);
        return x;
    }

    /** Top-left pixel of cell (r, c) of a titled heatmap with the given cell size. */
    private static int[] cell(int size, int r, int c) {
        return new int[] {ImageGrid.MARGIN + c * size + 2, ImageGrid.MARGIN + 34 + 4 + r * size + 2};
    }

    @Test
    void anImageIsAGreyHeatmap() throws IOException {
        FontsRequired.assume();
        Path png = dir.resolve("x.png");
        ImageGrid.saveHeatmap(png, edgeImage(), "X");
        BufferedImage image = Png.readAlone(png);
        int size = 56; // 480 / 8 columns = 60, at most 56
        assertThat(image.getWidth()).isEqualTo(2 * ImageGrid.MARGIN + 8 * size + 14 + 16 + 64);
        assertThat(image.getHeight()).isEqualTo(2 * ImageGrid.MARGIN + 34 + 6 * size + 8);
        int[] one = cell(size, 3, 0);
        int[] zero = cell(size, 3, 3);
        assertThat(Png.rgb(image, one[0], one[1])).isEqualTo(0xFFFFFF);
        assertThat(Png.rgb(image, zero[0], zero[1])).isEqualTo(0x000000);
        // Values written in the cells: white text on the black band.
        assertThat(Png.count(image, zero[0], zero[1], zero[0] + size - 4, zero[1] + size - 4, rgb -> rgb != 0))
                .isGreaterThan(5);
        assertThat(Png.count(image, Png::reddish)).isZero();
    }

    @Test
    void signedValuesGoBlueWhiteRed() throws IOException {
        FontsRequired.assume();
        Tensor y = Tensor.of(new double[][] {{0, 1, 0, 0, 0, -1, 0}, {0, 1, 0, 0, 0, -1, 0}});
        Path png = dir.resolve("y.png");
        ImageGrid.saveHeatmap(png, y, "Y");
        BufferedImage image = Png.readAlone(png);
        int size = 56;
        int[] zero = cell(size, 1, 0);
        int[] plus = cell(size, 1, 1);
        int[] minus = cell(size, 1, 5);
        assertThat(Png.rgb(image, zero[0], zero[1])).isEqualTo(0xFFFFFF);
        assertThat(Png.rgb(image, plus[0], plus[1])).isEqualTo(0xb2182b);
        assertThat(Png.rgb(image, minus[0], minus[1])).isEqualTo(0x2166ac);
        assertThat(Png.distinctColours(image)).isGreaterThan(20);
    }

    @Test
    void largeMatricesHaveSmallCellsAndNoTitle() throws IOException {
        FontsRequired.assume();
        Tensor.manualSeed(0);
        Path png = dir.resolve("big.png");
        ImageGrid.saveHeatmap(png, Tensor.randn(28, 28));
        BufferedImage image = Png.readAlone(png);
        int size = 480 / 28;
        assertThat(image.getWidth()).isEqualTo(2 * ImageGrid.MARGIN + 28 * size + 14 + 16 + 64);
        assertThat(image.getHeight()).isEqualTo(2 * ImageGrid.MARGIN + 28 * size + 8);
        assertThat(Png.distinctColours(image)).isGreaterThan(100);
    }

    @Test
    void labelsAreShort() {
        assertThat(ImageGrid.label(1.0)).isEqualTo("1");
        assertThat(ImageGrid.label(-1.0)).isEqualTo("-1");
        assertThat(ImageGrid.label(0.125)).isEqualTo("0.12");
        assertThat(ImageGrid.label(-0.001)).isEqualTo("0");
        assertThat(ImageGrid.label(2.5)).isEqualTo("2.5");
    }
}
