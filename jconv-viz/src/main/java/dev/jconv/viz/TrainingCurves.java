package dev.jconv.viz;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Training curves as D2L's {@code Animator} draws them in {@code train_ch6}: epoch on the x axis, a solid
 * blue line for the training loss, a dashed magenta one for the training accuracy and a dash-dotted green
 * one for the test accuracy, with a legend and a grid.
 */
public final class TrainingCurves {
    /** Pixel size of the picture: D2L's 3.5 × 2.5 inch figure at 200 dpi. */
    public static final int WIDTH = 700;

    /** Pixel height of the picture. */
    public static final int HEIGHT = 500;

    // matplotlib's 'C0', 'm' and 'g', the colours of D2L's fmts ('-', 'm--', 'g-.').
    private static final Color BLUE = new Color(0x1f77b4);
    private static final Color MAGENTA = new Color(0xbf00bf);
    private static final Color GREEN = new Color(0x008000);

    private TrainingCurves() {}

    /**
     * Draws the curves and writes them as a PNG of {@value #WIDTH} × {@value #HEIGHT} pixels, atomically.
     *
     * @param png    the file to write; replaced if it exists
     * @param epochs one entry per epoch, in order; NaN values are left out of their line
     * @throws IOException              when the file cannot be written
     * @throws IllegalArgumentException when {@code epochs} is empty
     * @throws IllegalStateException    when this JVM has no fonts (see {@link Fonts})
     */
    public static void save(Path png, List<EpochStats> epochs) throws IOException {
        AtomicFiles.writePng(png, render(epochs));
    }

    /** Draws the curves into an image, as {@link #save} writes it. */
    public static BufferedImage render(List<EpochStats> epochs) {
        Headless.ensure();
        if (epochs.isEmpty()) {
            throw new IllegalArgumentException("no epochs to plot");
        }
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).xAxisTitle("epoch").build();
        style(chart.getStyler(), epochs);
        boolean fewPoints = epochs.size() < 2;
        addSeries(chart, "train loss", epochs, EpochStats::trainLoss, BLUE, solid(), fewPoints);
        addSeries(chart, "train acc", epochs, EpochStats::trainAccuracy, MAGENTA, dashed(), fewPoints);
        addSeries(chart, "test acc", epochs, EpochStats::testAccuracy, GREEN, dashDotted(), fewPoints);
        chart.getStyler().setLegendPosition(LegendCorner.best(chart.getSeriesCollection()));
        return BitmapEncoder.getBufferedImage(chart);
    }

    private static void style(XYStyler s, List<EpochStats> epochs) {
        Font ticks = Fonts.sans(Font.PLAIN, 15f);
        s.setBaseFont(ticks);
        s.setAxisTickLabelsFont(ticks);
        s.setAxisTitleFont(Fonts.sans(Font.PLAIN, 17f));
        s.setLegendFont(Fonts.sans(Font.PLAIN, 15f));
        s.setChartTitleVisible(false);
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotBorderVisible(true);
        s.setPlotBorderColor(Color.BLACK);
        s.setPlotGridLinesVisible(true);
        s.setPlotGridLinesColor(new Color(0xb0b0b0));
        s.setPlotGridLinesStroke(new BasicStroke(1f));
        s.setPlotTicksMarksVisible(false);
        s.setAxisTicksLineVisible(false);
        s.setYAxisDecimalPattern("0.0#");
        s.setYAxisLabelAlignment(AxesChartStyler.TextAlignment.Right);
        s.setAxisTickMarksColor(Color.BLACK);
        s.setAxisTickLabelsColor(Color.BLACK);
        s.setChartFontColor(Color.BLACK);
        s.setLegendBorderColor(new Color(0xcccccc));
        s.setLegendBackgroundColor(new Color(255, 255, 255, 220));
        s.setLegendPadding(8);
        s.setLegendSeriesLineLength(36);
        s.setChartPadding(14);
        s.setAntiAlias(true);
        s.setTextAntiAlias(true);
        s.setMarkerSize(8);
        // D2L's xlim=[1, num_epochs]: the lines run from edge to edge.
        int first = epochs.getFirst().epoch();
        int last = epochs.getLast().epoch();
        double pad = first == last ? 1 : 0;
        s.setXAxisMin(first - pad);
        s.setXAxisMax(last + pad);
        s.setPlotMargin(0);
        // Epochs are whole numbers: no tick label at 1.5.
        s.setXAxisTickLabelsFormattingFunction(x -> Math.abs(x - Math.rint(x)) < 1e-6 ? Long.toString(Math.round(x)) : "");
    }

    private static void addSeries(XYChart chart, String name, List<EpochStats> epochs,
            ToDoubleFunction<EpochStats> value, Color color, BasicStroke line, boolean markers) {
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (EpochStats e : epochs) {
            double y = value.applyAsDouble(e);
            if (Double.isFinite(y)) {
                xs.add((double) e.epoch());
                ys.add(y);
            }
        }
        if (xs.isEmpty()) {
            return;
        }
        XYSeries series = chart.addSeries(name, xs, ys);
        series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        series.setLineColor(color);
        series.setLineStyle(line);
        series.setMarker(markers || xs.size() < 2 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
        series.setMarkerColor(color);
    }

    private static BasicStroke solid() {
        return new BasicStroke(2.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND);
    }

    private static BasicStroke dashed() {
        return new BasicStroke(2.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {9f, 4f}, 0f);
    }

    private static BasicStroke dashDotted() {
        return new BasicStroke(2.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f,
                new float[] {9f, 4f, 2.5f, 4f}, 0f);
    }

    /** Picks the inside corner whose legend box covers the fewest points of the lines, like matplotlib's 'best'. */
    private static final class LegendCorner {
        static LegendPosition best(Iterable<XYSeries> series) {
            double minX = Double.POSITIVE_INFINITY, maxX = Double.NEGATIVE_INFINITY;
            double minY = Double.POSITIVE_INFINITY, maxY = Double.NEGATIVE_INFINITY;
            for (XYSeries s : series) {
                for (double x : s.getXData()) {
                    minX = Math.min(minX, x);
                    maxX = Math.max(maxX, x);
                }
                for (double y : s.getYData()) {
                    minY = Math.min(minY, y);
                    maxY = Math.max(maxY, y);
                }
            }
            double spanX = maxX > minX ? maxX - minX : 1;
            double spanY = maxY > minY ? maxY - minY : 1;
            LegendPosition[] corners = {LegendPosition.InsideNE, LegendPosition.InsideNW, LegendPosition.InsideSE,
                LegendPosition.InsideSW};
            int[] covered = new int[corners.length];
            for (XYSeries s : series) {
                double[] xs = s.getXData();
                double[] ys = s.getYData();
                for (int i = 0; i < xs.length; i++) {
                    // Points along each segment, so a line crossing a corner counts even between epochs.
                    int steps = i + 1 < xs.length ? 20 : 1;
                    for (int k = 0; k < steps; k++) {
                        double t = (double) k / steps;
                        double x = (i + 1 < xs.length ? xs[i] + t * (xs[i + 1] - xs[i]) : xs[i]);
                        double y = (i + 1 < ys.length ? ys[i] + t * (ys[i + 1] - ys[i]) : ys[i]);
                        double u = (x - minX) / spanX;
                        double v = (y - minY) / spanY;
                        // The legend takes about the outer 40% of the width and 35% of the height.
                        boolean east = u > 0.6;
                        boolean west = u < 0.4;
                        boolean north = v > 0.65;
                        boolean south = v < 0.35;
                        covered[0] += east && north ? 1 : 0;
                        covered[1] += west && north ? 1 : 0;
                        covered[2] += east && south ? 1 : 0;
                        covered[3] += west && south ? 1 : 0;
                    }
                }
            }
            int best = 0;
            for (int c = 1; c < corners.length; c++) {
                if (covered[c] < covered[best]) {
                    best = c;
                }
            }
            return corners[best];
        }
    }
}
