package dev.jconv.bench;

import dev.jconv.internal.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns JMH's JSON results (with {@code -prof gc}) into the Markdown table of docs/performance.md: per shape
 * and pass, the time and GFLOP/s of jconv and libtorch, their ratio, jconv's share of the FMA peak and the
 * bytes jconv allocates per call; with a third argument, also the chart of the ratios as a PNG
 * ({@link RatioChart}). Usage: {@code Report results.json peakGflops [chart.png [title]]}.
 */
public final class Report {
    private Report() {
    }

    private record Score(double ms, double error, double allocBytes) {
    }

    public static void main(String[] args) throws Exception {
        List<Object> runs = Json.array(Json.parse(Files.readString(Path.of(args[0]))), "results");
        double peak = Double.parseDouble(args[1]);
        Map<String, Score> scores = new TreeMap<>();
        for (Object o : runs) {
            Map<String, Object> run = Json.object(o, "run");
            String bench = Json.string(run.get("benchmark"), "benchmark");
            Map<String, Object> params = Json.object(run.get("params"), "params");
            Map<String, Object> primary = Json.object(run.get("primaryMetric"), "primaryMetric");
            Map<String, Object> secondary = Json.object(run.get("secondaryMetrics"), "secondaryMetrics");
            Object alloc = secondary.get("gc.alloc.rate.norm");
            double bytes = alloc == null ? Double.NaN
                    : Json.doubleValue(Json.object(alloc, "alloc").get("score"), "score");
            double err = primary.get("scoreError") instanceof Number ? Json.doubleValue(primary.get("scoreError"), "e")
                    : Double.NaN;
            String key = Json.string(params.get("shape"), "shape") + "/" + bench.substring(bench.lastIndexOf('.') + 1)
                    + "/" + Json.string(params.get("engine"), "engine");
            scores.put(key, new Score(Json.doubleValue(primary.get("score"), "score"), err, bytes));
        }
        Map<String, double[]> ratios = new java.util.LinkedHashMap<>();
        StringBuilder out = new StringBuilder();
        out.append("| shape | pass | jconv ms | libtorch ms | jconv/libtorch | jconv GFLOP/s | libtorch GFLOP/s "
                + "| jconv % of peak | jconv alloc/op |\n");
        out.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (String pass : new String[] {"forward", "forwardBackward"}) {
            for (String name : new String[] {"a", "b", "c", "d", "e", "f", "g", "h", "i"}) {
                Score j = scores.get(name + "/" + pass + "/jconv");
                Score t = scores.get(name + "/" + pass + "/libtorch");
                if (j == null && t == null) {
                    continue;
                }
                Shapes s = Shapes.ALL.get(name);
                double[] pair = ratios.computeIfAbsent(name, k -> new double[] {Double.NaN, Double.NaN});
                pair[pass.equals("forward") ? 0 : 1] = j != null && t != null ? j.ms / t.ms : Double.NaN;
                double flops = pass.equals("forward") ? s.forwardFlops() : s.trainingFlops();
                out.append(String.format(Locale.ROOT, "| %s %s | %s | %s | %s | %s | %s | %s | %s | %s |%n", name,
                        s.describe(), pass.equals("forward") ? "fwd" : "fwd+bwd", ms(j), ms(t),
                        j != null && t != null ? String.format(Locale.ROOT, "%.2f", j.ms / t.ms) : "–",
                        gflops(flops, j), gflops(flops, t),
                        j == null ? "–" : String.format(Locale.ROOT, "%.0f%%", 100 * flops / (j.ms * 1e6) / peak),
                        j == null ? "–" : bytes(j.allocBytes)));
            }
        }
        System.out.print(out);
        if (args.length > 2) {
            RatioChart.save(Path.of(args[2]), ratios, args.length > 3 ? args[3] : "jconv / libtorch, float32 conv2d");
        }
    }

    private static String ms(Score s) {
        if (s == null) {
            return "–";
        }
        return s.ms < 0.1 ? String.format(Locale.ROOT, "%.4f", s.ms) : String.format(Locale.ROOT, "%.2f", s.ms);
    }

    private static String gflops(double flops, Score s) {
        return s == null ? "–" : String.format(Locale.ROOT, "%.1f", flops / (s.ms * 1e6));
    }

    private static String bytes(double b) {
        if (Double.isNaN(b)) {
            return "–";
        }
        if (b >= 1 << 20) {
            return String.format(Locale.ROOT, "%.1f MiB", b / (1 << 20));
        }
        return b >= 1 << 10 ? String.format(Locale.ROOT, "%.1f KiB", b / 1024) : String.format(Locale.ROOT, "%.0f B", b);
    }
}
