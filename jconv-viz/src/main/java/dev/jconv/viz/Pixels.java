package dev.jconv.viz;

import java.awt.Color;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/** Drawing shared by the pictures drawn with plain Java2D. */
final class Pixels {
    private Pixels() {}

    /** A kernel-style tile: values normalised to their own min (black) and max (white), a constant grey. */
    static void greyTile(BufferedImage image, double[] values, int offset, int h, int w, int x0, int y0,
            int scale) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < h * w; i++) {
            lo = Math.min(lo, values[offset + i]);
            hi = Math.max(hi, values[offset + i]);
        }
        for (int r = 0; r < h; r++) {
            for (int c = 0; c < w; c++) {
                double v = values[offset + r * w + c];
                double t = hi > lo ? (v - lo) / (hi - lo) : 0.5;
                block(image, x0 + c * scale, y0 + r * scale, scale, grey(t));
            }
        }
    }

    /** An opaque grey for t in [0, 1] (clamped; NaN shows black). */
    static int grey(double t) {
        int level = Double.isNaN(t) ? 0 : (int) Math.round(255 * Math.clamp(t, 0.0, 1.0));
        return 0xFF000000 | level << 16 | level << 8 | level;
    }

    /** An opaque colour from channels in [0, 1]. */
    static int rgb(double r, double g, double b) {
        return 0xFF000000 | channel(r) << 16 | channel(g) << 8 | channel(b);
    }

    private static int channel(double t) {
        return Double.isNaN(t) ? 0 : (int) Math.round(255 * Math.clamp(t, 0.0, 1.0));
    }

    /** A scale × scale square of one colour: nearest-neighbour upscaling, so pixels stay sharp. */
    static void block(BufferedImage image, int x0, int y0, int scale, int argb) {
        for (int y = y0; y < y0 + scale; y++) {
            for (int x = x0; x < x0 + scale; x++) {
                image.setRGB(x, y, argb);
            }
        }
    }

    /** Antialiased text with the font's real metrics. */
    static void textHints(Graphics2D g) {
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    }

    /** Draws a line of text centred on {@code centreX} with its baseline at {@code baseline}. */
    static void centred(Graphics2D g, String text, int centreX, int baseline, Color color) {
        FontMetrics m = g.getFontMetrics();
        g.setColor(color);
        g.drawString(text, centreX - m.stringWidth(text) / 2f, baseline);
    }
}
