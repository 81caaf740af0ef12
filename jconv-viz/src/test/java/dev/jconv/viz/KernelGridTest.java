package dev.jconv.viz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jconv.tensor.Tensor;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Learned kernels as greyscale tiles; no text, so no fonts needed. */
class KernelGridTest {
    @TempDir
    Path dir;

    /** 5 × 5 kernels are drawn with 12-pixel squares: 60-pixel tiles. */
    private static final int SCALE = KernelGrid.TILE / 5;
    private static final int TILE = 5 * SCALE;

    /** Top-left pixel of kernel square (r, c) of tile t in a grid of the given columns. */
    private static int[] square(int t, int columns, int r, int c) {
        int x = KernelGrid.MARGIN + (t % columns) * (TILE + KernelGrid.GAP) + c * SCALE;
        int y = KernelGrid.MARGIN + (t / columns) * (TILE + KernelGrid.GAP) + r * SCALE;
        return new int[] {x, y};
    }

    @Test
    void lenetsFirstLayerIsOneRowOfSixTiles() throws IOException {
        // Kernel k holds 25k, ..., 25k + 24: each tile's own min and max are its first and last value.
        Tensor weight = Tensor.arange(150.0).reshape(6, 1, 5, 5);
        Path png = dir.resolve("kernels.png");
        KernelGrid.save(png, weight);
        BufferedImage image = Png.readAlone(png);
        assertThat(image.getWidth()).isEqualTo(2 * KernelGrid.MARGIN + 6 * TILE + 5 * KernelGrid.GAP);
        assertThat(image.getHeight()).isEqualTo(2 * KernelGrid.MARGIN + TILE);
        for (int t = 0; t < 6; t++) {
            int[] first = square(t, 6, 0, 0);
            int[] middle = square(t, 6, 2, 2);
            int[] last = square(t, 6, 4, 4);
            assertThat(Png.rgb(image, first[0], first[1])).as("tile %d min", t).isEqualTo(0x000000);
            assertThat(Png.rgb(image, middle[0] + SCALE - 1, middle[1] + SCALE - 1)).as("tile %d middle", t)
                    .isEqualTo(0x808080);
            assertThat(Png.rgb(image, last[0] + SCALE - 1, last[1] + SCALE - 1)).as("tile %d max", t)
                    .isEqualTo(0xFFFFFF);
        }
        assertThat(Png.distinctColours(image)).isGreaterThan(10);
    }

    @Test
    void manyInputChannelsGiveOneRowPerOutputChannel() {
        Tensor.manualSeed(0);
        BufferedImage image = KernelGrid.render(Tensor.randn(16, 6, 5, 5));
        assertThat(image.getWidth()).isEqualTo(2 * KernelGrid.MARGIN + 6 * TILE + 5 * KernelGrid.GAP);
        assertThat(image.getHeight()).isEqualTo(2 * KernelGrid.MARGIN + 16 * TILE + 15 * KernelGrid.GAP);
        assertThat(Png.distinctColours(image)).isGreaterThan(100);
    }

    @Test
    void moreThanEightSingleChannelKernelsWrap() {
        BufferedImage image = KernelGrid.render(Tensor.rand(10, 1, 3, 3));
        int tile = 3 * (KernelGrid.TILE / 3);
        assertThat(image.getWidth()).isEqualTo(2 * KernelGrid.MARGIN + 8 * tile + 7 * KernelGrid.GAP);
        assertThat(image.getHeight()).isEqualTo(2 * KernelGrid.MARGIN + 2 * tile + KernelGrid.GAP);
    }

    @Test
    void aConstantKernelIsMidGrey() {
        BufferedImage image = KernelGrid.render(Tensor.ones(1, 1, 5, 5));
        assertThat(Png.rgb(image, KernelGrid.MARGIN + TILE / 2, KernelGrid.MARGIN + TILE / 2)).isEqualTo(0x808080);
    }

    @Test
    void onlyFourDimensionalWeights() {
        assertThatThrownBy(() -> KernelGrid.render(Tensor.ones(6, 5, 5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[6, 5, 5]");
    }
}
