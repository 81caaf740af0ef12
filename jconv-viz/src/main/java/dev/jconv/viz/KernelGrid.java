package dev.jconv.viz;

import dev.jconv.tensor.Tensor;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A convolution layer's learned kernels as a grid of greyscale tiles: each kernel is scaled up with sharp
 * pixels and normalised to its own minimum (black) and maximum (white), so the pattern it detects shows
 * whatever its magnitude. The picture has no text, so it needs no fonts.
 *
 * <p>A weight of shape (O, C, kh, kw) gives one row of C tiles per output channel. With one input channel
 * (LeNet's first layer, 6 × 1 × 5 × 5) the O tiles are laid out in rows of up to {@value #ROW} instead.
 */
public final class KernelGrid {
    /** Tiles per row when the kernels have a single input channel. */
    public static final int ROW = 8;

    /** A tile is about this many pixels on its longer side. */
    static final int TILE = 64;
    static final int GAP = 6;
    static final int MARGIN = 10;
    private static final Color BACKGROUND = Color.WHITE;
    private static final Color FRAME = new Color(0x808080);

    private KernelGrid() {}

    /**
     * Draws the kernels and writes them as a PNG, atomically.
     *
     * @param png    the file to write; replaced if it exists
     * @param weight a 4-d weight (out channels, in channels, kernel height, kernel width), e.g.
     *               {@code conv.weight()}
     * @throws IOException              when the file cannot be written
     * @throws IllegalArgumentException when {@code weight} is not 4-d or is empty
     */
    public static void save(Path png, Tensor weight) throws IOException {
        AtomicFiles.writePng(png, render(weight));
    }

    /** Draws the kernels into an image, as {@link #save} writes it. */
    public static BufferedImage render(Tensor weight) {
        Headless.ensure();
        if (weight.dim() != 4 || weight.numel() == 0) {
            throw new IllegalArgumentException("kernels must be a non-empty 4-d weight (O, C, kh, kw), got shape "
                    + weight.shape().dimsString());
        }
        int outChannels = weight.size(0);
        int inChannels = weight.size(1);
        int kh = weight.size(2);
        int kw = weight.size(3);
        double[] values = weight.toArray();

        int tiles = outChannels * inChannels;
        int columns = inChannels == 1 ? Math.min(outChannels, ROW) : inChannels;
        int rows = (tiles + columns - 1) / columns;
        int scale = Math.max(1, TILE / Math.max(kh, kw));
        int tileW = kw * scale;
        int tileH = kh * scale;
        int width = 2 * MARGIN + columns * tileW + (columns - 1) * GAP;
        int height = 2 * MARGIN + rows * tileH + (rows - 1) * GAP;

        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setColor(BACKGROUND);
            g.fillRect(0, 0, width, height);
            int size = kh * kw;
            for (int t = 0; t < tiles; t++) {
                int x0 = MARGIN + (t % columns) * (tileW + GAP);
                int y0 = MARGIN + (t / columns) * (tileH + GAP);
                // Kernel t is (o, c) = (t / C, t % C): the flat row-major order of the weight.
                Pixels.greyTile(image, values, t * size, kh, kw, x0, y0, scale);
                // A thin frame keeps a white kernel edge from melting into the white background.
                g.setColor(FRAME);
                g.drawRect(x0 - 1, y0 - 1, tileW + 1, tileH + 1);
            }
        } finally {
            g.dispose();
        }
        return image;
    }
}
