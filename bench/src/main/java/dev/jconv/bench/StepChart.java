package dev.jconv.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The chart of {@code bench/steps.sh}'s table: per network, jconv's step time over PyTorch's in the steady
 * state and in the warm-up. Usage: {@code StepChart TABLE.md CHART.png}.
 */
public final class StepChart {
    private StepChart() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: StepChart TABLE.md CHART.png, got " + args.length + " arguments");
        }
        Map<String, double[]> ratios = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Path.of(args[0]))) {
            // | network (batch, size) | PyTorch | jconv | ratio | by round | warm-up: PyTorch, jconv (ratio) | ...
            String[] cells = line.split("\\|");
            if (cells.length < 7 || !cells[4].trim().matches("[0-9.]+")) {
                continue; // the header and its rule
            }
            String warm = cells[6].trim();
            double warmRatio = Double.parseDouble(warm.substring(warm.lastIndexOf('(') + 1, warm.lastIndexOf(')')));
            ratios.put(cells[1].trim(), new double[] {Double.parseDouble(cells[4].trim()), warmRatio});
        }
        if (ratios.isEmpty()) {
            throw new IllegalArgumentException("no network rows in " + args[0]);
        }
        RatioChart.save(Path.of(args[1]), ratios, "jconv / PyTorch, training step (2 threads)", "network",
                "PyTorch", "steady (steps 11 and later)", "warm-up (steps 3-10)");
    }
}
