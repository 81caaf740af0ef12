package dev.jconv.viz;

import dev.jconv.tensor.Tensor;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Images as D2L's {@code show_images} shows them: a grid of small pictures, each with a caption under it
 * ({@code "pred / true"} for a classifier's test images), the wrong ones framed and captioned in red; and
 * a single matrix as a heatmap with its values written in the cells (the edge-detection input and output
 * of the convolutions chapter).
 */
public final class ImageGrid {
    /** The red of wrong predictions (matplotlib's {@code tab:red}). */
    public static final Color WRONG = new Color(0xd62728);

    /** Images per row unless told otherwise. */
    public static final int DEFAULT_COLUMNS = 10;

    /** An image is scaled up by a whole factor to about this many pixels on its longer side. */
    static final int IMAGE = 84;
    static final int MARGIN = 12;
    static final int GAP = 14;
    static final int FRAME = 3;
    private static final Color BACKGROUND = Color.WHITE;
    private static final Color TEXT = Color.BLACK;

    private ImageGrid() {}

    /**
     * Draws the images in rows of {@value #DEFAULT_COLUMNS} and writes them as a PNG, atomically.
     *
     * @see #save(Path, Tensor, String[], boolean[], int)
     */
    public static void save(Path png, Tensor images, String[] titles, boolean[] highlight) throws IOException {
        save(png, images, titles, highlight, DEFAULT_COLUMNS);
    }

    /**
     * Draws the images and writes them as a PNG, atomically.
     *
     * @param png       the file to write; replaced if it exists
     * @param images    (N, 1, H, W) greyscale or (N, 3, H, W) colour, values in [0, 1] (clamped); (N, H, W)
     *                  is taken as greyscale
     * @param titles    a caption per image ({@code \n} breaks lines), or null for none
     * @param highlight which images to frame and caption in {@link #WRONG red}, or null for none
     * @param columns   images per row (fewer when there are fewer images)
     * @throws IOException              when the file cannot be written
     * @throws IllegalArgumentException when the shapes or lengths do not fit
     * @throws IllegalStateException    when there are titles and this JVM has no fonts (see {@link Fonts})
     */
    public static void save(Path png, Tensor images, String[] titles, boolean[] highlight, int columns)
            throws IOException {
        AtomicFiles.writePng(png, render(images, titles, highlight, columns));
    }

    /**
     * A classifier's test images captioned {@code "predicted / actual"}, the wrong ones in red.
     *
     * @param png       the file to write; replaced if it exists
     * @param images    as for {@link #save(Path, Tensor, String[], boolean[], int)}
     * @param predicted the predicted label of each image
     * @param actual    the true label of each image
     * @throws IOException when the file cannot be written
     */
    public static void savePredictions(Path png, Tensor images, String[] predicted, String[] actual)
            throws IOException {
        if (predicted.length != actual.length) {
            throw new IllegalArgumentException(predicted.length + " predictions for " + actual.length + " labels");
        }
        String[] titles = new String[predicted.length];
        boolean[] wrong = new boolean[predicted.length];
        for (int i = 0; i < titles.length; i++) {
            titles[i] = predicted[i] + " / " + actual[i];
            wrong[i] = !Objects.equals(predicted[i], actual[i]);
        }
        save(png, images, titles, wrong);
    }

    /** Draws the images into a picture, as {@link #save(Path, Tensor, String[], boolean[], int)} writes it. */
    public static BufferedImage render(Tensor images, String[] titles, boolean[] highlight, int columns) {
        Headless.ensure();
        if (images.dim() == 3) {
            images = images.unsqueeze(1);
        }
        if (images.dim() != 4 || (images.size(1) != 1 && images.size(1) != 3) || images.numel() == 0) {
            throw new IllegalArgumentException("images must be (N, 1, H, W) or (N, 3, H, W), got shape "
                    + images.shape().dimsString());
        }
        int n = images.size(0);
        int channels = images.size(1);
        int h = images.size(2);
        int w = images.size(3);
        if (titles != null && titles.length != n || highlight != null && highlight.length != n) {
            throw new IllegalArgumentException(n + " images need " + n + " titles and highlights, got "
                    + (titles == null ? "no" : titles.length) + " and " + (highlight == null ? "no" : highlight.length));
        }
        if (columns < 1) {
            throw new IllegalArgumentException("columns must be positive, got " + columns);
        }
        double[] values = images.toArray();
        int cols = Math.min(columns, n);
        int rows = (n + cols - 1) / cols;
        int scale = Math.max(1, Math.round((float) IMAGE / Math.max(h, w)));
        int tileW = w * scale;
        int tileH = h * scale;

        // Measure the captions first: a column is as wide as its widest caption.
        Font font = titles == null ? null : Fonts.sans(Font.PLAIN, 14f);
        Graphics2D probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
        int captionW = 0;
        int lines = 0;
        int lineH = 0;
        if (font != null) {
            Pixels.textHints(probe);
            FontMetrics m = probe.getFontMetrics(font);
            lineH = m.getAscent() + m.getDescent();
            for (String title : titles) {
                String[] parts = lines(title);
                lines = Math.max(lines, parts.length);
                for (String part : parts) {
                    captionW = Math.max(captionW, (int) Math.ceil(m.getStringBounds(part, probe).getWidth()));
                }
            }
        }
        probe.dispose();
        int cellW = Math.max(tileW + 2 * FRAME, captionW);
        int captionH = lines == 0 ? 0 : 6 + lines * lineH;
        int cellH = tileH + 2 * FRAME + captionH;
        int width = 2 * MARGIN + cols * cellW + (cols - 1) * GAP;
        int height = 2 * MARGIN + rows * cellH + (rows - 1) * GAP;

        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setColor(BACKGROUND);
            g.fillRect(0, 0, width, height);
            Pixels.textHints(g);
            if (font != null) {
                g.setFont(font);
            }
            int plane = h * w;
            for (int i = 0; i < n; i++) {
                int cellX = MARGIN + (i % cols) * (cellW + GAP);
                int cellY = MARGIN + (i / cols) * (cellH + GAP);
                int x0 = cellX + (cellW - tileW) / 2;
                int y0 = cellY + FRAME;
                int base = i * channels * plane;
                boolean wrong = highlight != null && highlight[i];
                if (wrong) {
                    // The frame goes around the image, not over it: the image is drawn over its inside.
                    g.setColor(WRONG);
                    g.fillRect(x0 - FRAME, y0 - FRAME, tileW + 2 * FRAME, tileH + 2 * FRAME);
                }
                for (int r = 0; r < h; r++) {
                    for (int c = 0; c < w; c++) {
                        int p = base + r * w + c;
                        int argb = channels == 1 ? Pixels.grey(values[p])
                                : Pixels.rgb(values[p], values[p + plane], values[p + 2 * plane]);
                        Pixels.block(image, x0 + c * scale, y0 + r * scale, scale, argb);
                    }
                }
                if (titles != null) {
                    FontMetrics m = g.getFontMetrics();
                    int baseline = y0 + tileH + FRAME + 6 + m.getAscent();
                    for (String part : lines(titles[i])) {
                        Pixels.centred(g, part, cellX + cellW / 2, baseline, wrong ? WRONG : TEXT);
                        baseline += lineH;
                    }
                }
            }
        } finally {
            g.dispose();
        }
        return image;
    }

    private static String[] lines(String title) {
        return title == null ? new String[0] : title.split("\n", -1);
    }

    // ---- heatmaps -----------------------------------------------------------------------------------------

    /** Writes a 2-d tensor as a heatmap without a title; see {@link #saveHeatmap(Path, Tensor, String)}. */
    public static void saveHeatmap(Path png, Tensor matrix) throws IOException {
        saveHeatmap(png, matrix, null);
    }

    /**
     * Writes a 2-d tensor as a heatmap PNG, atomically. Non-negative values go from black (0) to white
     * (the maximum), like an image; with negative values the map runs blue (−max|v|) through white (0) to
     * red (+max|v|), so the signs of an edge detector's output stand out. Up to 16 rows and columns the
     * values are written in the cells; a colour bar on the right gives the scale.
     *
     * @param png    the file to write; replaced if it exists
     * @param matrix a 2-d tensor, e.g. {@code Tensor.ones(6, 8)} with a dark stripe
     * @param title  a line above the map, or null for none
     * @throws IOException              when the file cannot be written
     * @throws IllegalArgumentException when {@code matrix} is not 2-d or is empty
     * @throws IllegalStateException    when this JVM has no fonts (see {@link Fonts})
     */
    public static void saveHeatmap(Path png, Tensor matrix, String title) throws IOException {
        AtomicFiles.writePng(png, renderHeatmap(matrix, title));
    }

    /** Draws a heatmap into an image, as {@link #saveHeatmap(Path, Tensor, String)} writes it. */
    public static BufferedImage renderHeatmap(Tensor matrix, String title) {
        Headless.ensure();
        if (matrix.dim() != 2 || matrix.numel() == 0) {
            throw new IllegalArgumentException("a heatmap needs a non-empty 2-d tensor, got shape "
                    + matrix.shape().dimsString());
        }
        int h = matrix.size(0);
        int w = matrix.size(1);
        double[] values = matrix.toArray();
        ColourScale colours = ColourScale.of(values);

        int cell = Math.clamp(480 / Math.max(h, w), 4, 56);
        boolean annotate = Math.max(h, w) <= 16;
        Font valueFont = Fonts.sans(Font.PLAIN, Math.min(16f, cell * 0.4f));
        Font labelFont = Fonts.sans(Font.PLAIN, 14f);
        Font titleFont = Fonts.sans(Font.PLAIN, 17f);

        int mapW = w * cell;
        int mapH = h * cell;
        int barW = 16;
        int barGap = 14;
        int labelsW = 64;
        int titleH = title == null ? 0 : 34;
        int width = 2 * MARGIN + mapW + barGap + barW + labelsW;
        int height = 2 * MARGIN + titleH + mapH + 8;

        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setColor(BACKGROUND);
            g.fillRect(0, 0, width, height);
            Pixels.textHints(g);
            int x0 = MARGIN;
            int y0 = MARGIN + titleH + 4;
            if (title != null) {
                g.setFont(titleFont);
                Pixels.centred(g, title, x0 + mapW / 2, MARGIN + g.getFontMetrics().getAscent(), TEXT);
            }
            g.setFont(valueFont);
            FontMetrics vm = g.getFontMetrics();
            for (int r = 0; r < h; r++) {
                for (int c = 0; c < w; c++) {
                    double v = values[r * w + c];
                    int argb = colours.argb(v);
                    Pixels.block(image, x0 + c * cell, y0 + r * cell, cell, argb);
                    if (annotate) {
                        int baseline = y0 + r * cell + (cell + vm.getAscent() - vm.getDescent()) / 2;
                        Pixels.centred(g, label(v), x0 + c * cell + cell / 2, baseline, contrast(argb));
                    }
                }
            }
            g.setColor(new Color(0x404040));
            g.drawRect(x0 - 1, y0 - 1, mapW + 1, mapH + 1);

            // Colour bar, top = high, with its ends (and zero, for a diverging map) labelled.
            int bx = x0 + mapW + barGap;
            for (int y = 0; y < mapH; y++) {
                double v = colours.hi - (colours.hi - colours.lo) * (y + 0.5) / mapH;
                g.setColor(new Color(colours.argb(v), true));
                g.fillRect(bx, y0 + y, barW, 1);
            }
            g.setColor(new Color(0x404040));
            g.drawRect(bx - 1, y0 - 1, barW + 1, mapH + 1);
            g.setFont(labelFont);
            FontMetrics lm = g.getFontMetrics();
            g.setColor(TEXT);
            g.drawString(label(colours.hi), bx + barW + 6, y0 + lm.getAscent() - 2);
            g.drawString(label(colours.lo), bx + barW + 6, y0 + mapH);
            if (colours.diverging) {
                g.drawString("0", bx + barW + 6, y0 + mapH / 2 + (lm.getAscent() - lm.getDescent()) / 2);
            }
        } finally {
            g.dispose();
        }
        return image;
    }

    /** Black text on light cells, white on dark ones. */
    private static Color contrast(int argb) {
        int r = argb >> 16 & 0xFF;
        int gr = argb >> 8 & 0xFF;
        int b = argb & 0xFF;
        return 0.299 * r + 0.587 * gr + 0.114 * b > 140 ? TEXT : Color.WHITE;
    }

    /** A short label: whole numbers without a point, others with up to two decimals. */
    static String label(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return Double.toString(v);
        }
        String s = BigDecimal.valueOf(v).setScale(2, RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString();
        return s.equals("-0") ? "0" : s;
    }

    /** Value to colour: grey from 0 up for non-negative data, blue–white–red around 0 otherwise. */
    private record ColourScale(double lo, double hi, boolean diverging) {
        static ColourScale of(double[] values) {
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (double v : values) {
                if (!Double.isNaN(v)) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
            if (min == Double.POSITIVE_INFINITY) {
                return new ColourScale(0, 1, false);
            }
            if (min < 0) {
                double a = Math.max(Math.abs(min), Math.abs(max));
                return new ColourScale(-a, a, true);
            }
            return new ColourScale(0, max > 0 ? max : 1, false);
        }

        int argb(double v) {
            if (!diverging) {
                return Pixels.grey(v / hi);
            }
            // RdBu-like ends (#2166ac, #b2182b) blended with white by |v| / a.
            double t = Math.clamp(v / hi, -1.0, 1.0);
            double s = Math.abs(t);
            return t < 0 ? Pixels.rgb(1 + s * (0x21 / 255.0 - 1), 1 + s * (0x66 / 255.0 - 1), 1 + s * (0xac / 255.0 - 1))
                    : Pixels.rgb(1 + s * (0xb2 / 255.0 - 1), 1 + s * (0x18 / 255.0 - 1), 1 + s * (0x2b / 255.0 - 1));
        }
    }
}
