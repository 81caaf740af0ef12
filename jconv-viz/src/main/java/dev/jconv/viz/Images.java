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
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/** Reads images (PNG, JPEG, anything ImageIO knows) into tensors a model can classify. */
public final class Images {
    /** The most pixels an image may have (a 10,000 × 10,000 picture): decoding takes 4 bytes per pixel. */
    public static final long MAX_PIXELS = 100_000_000L;

    private Images() {
    }

    /**
     * Refuses an image whose header declares more than {@link #MAX_PIXELS} pixels, before decoding it: a
     * 30,000 × 30,000 PNG of a few kilobytes would otherwise take 3.6 GB of heap.
     */
    private static void checkPixels(Path file) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            if (in == null) {
                return;
            }
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                return; // not an image: ImageIO.read says so below
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
                if (pixels > MAX_PIXELS) {
                    throw new IllegalArgumentException("image " + file + " is " + reader.getWidth(0) + " x "
                            + reader.getHeight(0) + " pixels, more than the " + MAX_PIXELS + " jconv decodes");
                }
            } finally {
                reader.dispose();
            }
        }
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
            checkPixels(file);
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
