package dev.jconv.viz;

import dev.jconv.storage.DType;
import dev.jconv.storage.Shape;
import dev.jconv.tensor.Tensor;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Reads images (PNG, JPEG, anything ImageIO knows) into tensors a model can classify. */
public final class Images {
    private Images() {
    }

    /**
     * Reads an image as a (1, size, size) float32 tensor of grey levels in [0, 1]: colour is averaged to grey,
     * the image is scaled (keeping nothing of its aspect ratio) to {@code size × size} with bilinear
     * interpolation, and with {@code invert} dark-on-light pictures become light-on-dark like Fashion-MNIST.
     */
    public static Tensor readGrey(Path file, int size, boolean invert) {
        if (size <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + size);
        }
        BufferedImage image;
        try {
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("no such image file: " + file);
            }
            image = ImageIO.read(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read image " + file + ": " + e.getMessage(), e);
        }
        if (image == null) {
            throw new IllegalArgumentException(file + " is not an image in a format this JVM can read (PNG, JPEG, "
                    + "GIF, BMP)");
        }
        BufferedImage scaled = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = scaled.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(image, 0, 0, size, size, null);
        } finally {
            g.dispose();
        }
        double[] grey = new double[size * size];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int rgb = scaled.getRGB(x, y);
                double v = (((rgb >> 16) & 0xff) + ((rgb >> 8) & 0xff) + (rgb & 0xff)) / (3 * 255.0);
                grey[y * size + x] = invert ? 1 - v : v;
            }
        }
        return Tensor.fromArray(grey, Shape.of(1, size, size), DType.FLOAT32);
    }
}
