package dev.jconv.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Bar charts of jconv's time over a reference's, each bar labelled with its value, and the parity line at 1
 * (below it jconv is faster): docs/benchmarks.md's per conv shape against libtorch (forward and
 * forward+backward), docs/performance.md's per network against PyTorch ({@link StepChart}).
 */
final class RatioChart {
    private RatioChart() {
    }

    /** Writes the chart of {@code ratios} (shape → {forward, forward+backward}, NaN when missing) atomically. */
    static void save(Path png, Map<String, double[]> ratios, String title) throws IOException {
        save(png, ratios, title, "shape (docs/benchmarks.md)", "libtorch", "forward", "forward + backward");
    }

    /**
     * Writes the chart of {@code ratios} (category → two values, NaN when missing) atomically: jconv's time over
     * the {@code reference}'s, one bar per series.
     */
    static void save(Path png, Map<String, double[]> ratios, String title, String xAxis, String reference,
                     String first, String second) throws IOException {
        System.setProperty("java.awt.headless", "true");
        CategoryChart chart = new CategoryChartBuilder().width(900).height(500).title(title)
                .xAxisTitle(xAxis).yAxisTitle("jconv time / " + reference + " time").build();
        Styler.ChartTheme theme = Styler.ChartTheme.XChart;
        chart.getStyler().setTheme(theme.newInstance(theme));
        chart.getStyler().setLabelsVisible(true);
        chart.getStyler().setDecimalPattern("0.00");
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        chart.getStyler().setOverlapped(false);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        List<String> shapes = new ArrayList<>(ratios.keySet());
        List<Double> fwd = new ArrayList<>();
        List<Double> both = new ArrayList<>();
        List<Double> parity = new ArrayList<>();
        for (String s : shapes) {
            // A missing value (one engine not run) is drawn as no bar.
            fwd.add(orZero(ratios.get(s)[0]));
            both.add(orZero(ratios.get(s)[1]));
            parity.add(1.0);
        }
        chart.addSeries(first, shapes, fwd).setFillColor(new Color(0x1f77b4));
        chart.addSeries(second, shapes, both).setFillColor(new Color(0xff7f0e));
        CategorySeries line = chart.addSeries(reference + " (= 1)", shapes, parity);
        line.setChartCategorySeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Line);
        line.setLineColor(Color.DARK_GRAY);
        line.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                new float[] {6f, 4f}, 0f));
        line.setMarker(SeriesMarkers.NONE);
        Path dir = png.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".chart", ".png");
        try {
            BitmapEncoder.saveBitmap(chart, tmp.toString(), BitmapEncoder.BitmapFormat.PNG);
            Files.move(tmp, png, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static double orZero(double v) {
        return Double.isNaN(v) ? 0 : v;
    }
}
