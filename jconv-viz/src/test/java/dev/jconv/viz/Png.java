package dev.jconv.viz;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntPredicate;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/** Reading back and looking at the PNGs the tests write. */
final class Png {
    private Png() {}

    /** Reads a PNG written by the package, checking it is the only file in its directory (no temp left). */
    static BufferedImage readAlone(Path png) throws IOException {
        try (Stream<Path> files = Files.list(png.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString()).toList())
                    .as("files next to %s", png.getFileName()).isEqualTo(List.of(png.getFileName().toString()));
        }
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image).as("a PNG ImageIO can read").isNotNull();
        return image;
    }

    static int distinctColours(BufferedImage image) {
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                colours.add(image.getRGB(x, y) & 0xFFFFFF);
            }
        }
        return colours.size();
    }

    /** Pixels in [x0, x1) × [y0, y1) whose RGB passes the test. */
    static int count(BufferedImage image, int x0, int y0, int x1, int y1, IntPredicate rgb) {
        int n = 0;
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                n += rgb.test(image.getRGB(x, y) & 0xFFFFFF) ? 1 : 0;
            }
        }
        return n;
    }

    static int count(BufferedImage image, IntPredicate rgb) {
        return count(image, 0, 0, image.getWidth(), image.getHeight(), rgb);
    }

    static int rgb(BufferedImage image, int x, int y) {
        return image.getRGB(x, y) & 0xFFFFFF;
    }

    /** Clearly red: a strong red channel, weak green and blue (antialiased red text included). */
    static boolean reddish(int rgb) {
        int r = rgb >> 16 & 0xFF;
        int g = rgb >> 8 & 0xFF;
        int b = rgb & 0xFF;
        return r > 150 && g < 110 && b < 110;
    }

    /** Dark grey to black, like black text. */
    static boolean dark(int rgb) {
        int r = rgb >> 16 & 0xFF;
        int g = rgb >> 8 & 0xFF;
        int b = rgb & 0xFF;
        return r < 100 && g < 100 && b < 100;
    }
}
