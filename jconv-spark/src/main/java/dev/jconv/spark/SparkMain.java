package dev.jconv.spark;

import dev.jconv.data.Dataset;
import dev.jconv.data.Example;
import dev.jconv.data.FashionMnist;
import dev.jconv.io.SafeTensors;
import dev.jconv.io.StateDict;
import dev.jconv.nn.Module;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * The entry point for {@code spark-submit}: training on Fashion-MNIST and batch prediction.
 *
 * <pre>
 * spark-submit --master local[2] --class dev.jconv.spark.SparkMain \
 *     --jars jconv-core/target/jconv-core-0.1.0-SNAPSHOT.jar jconv-spark/target/jconv-spark-0.1.0-SNAPSHOT.jar \
 *     train lenet --workers 2 --epochs 1 --batch-size 256 --lr 0.9 --out out/lenet-spark
 * spark-submit ... predict --weights out/lenet-spark/lenet.safetensors IMAGES_DIR --out preds.csv
 * </pre>
 *
 * <p>{@code train MODEL} options: {@code --workers N} (partitions, hence tasks per step; default 2),
 * {@code --data DIR} (Fashion-MNIST's IDX files, default {@link FashionMnist#DEFAULT_DIR}), {@code --epochs},
 * {@code --batch-size}, {@code --lr}, {@code --optimizer}, {@code --seed}, {@code --limit N} (first N training
 * examples), {@code --steps N} (stop after N steps), {@code --out DIR} (where {@code MODEL.safetensors} goes, default
 * {@code out/MODEL}).
 * {@code predict} options: {@code --weights FILE}, {@code --model} (default lenet), {@code --invert},
 * {@code --out FILE} (CSV); then the images' folder. The master is spark-submit's {@code --master}, or
 * {@code --spark MASTER} when run without it.
 */
public final class SparkMain {
    private SparkMain() {
    }

    /** Runs {@code train} or {@code predict}; see the class documentation. */
    public static void main(String[] args) {
        if (args.length == 0 || !(args[0].equals("train") || args[0].equals("predict"))) {
            System.err.println("usage: SparkMain train MODEL [--workers N] [--data DIR] [--epochs E] [--batch-size B]"
                    + " [--lr LR] [--optimizer sgd|adam|adamw] [--seed S] [--limit N] [--steps N] [--out DIR]\n"
                    + "       SparkMain predict --weights FILE [--model lenet] [--invert] [--out preds.csv] IMAGES_DIR");
            System.exit(2);
        }
        Map<String, String> options;
        List<String> positional = new ArrayList<>();
        try {
            options = parse(args, positional);
        } catch (IllegalArgumentException e) {
            System.err.println("jconv: " + e.getMessage());
            System.exit(2);
            return;
        }
        SparkSession.Builder builder = SparkSession.builder().appName("jconv " + args[0]);
        if (options.containsKey("spark")) {
            builder.master(options.get("spark"));
        }
        SparkSession spark = builder.getOrCreate();
        try {
            if (args[0].equals("train")) {
                train(spark, positional, options, System.out);
            } else {
                predict(spark, positional, options, System.out);
            }
        } finally {
            spark.stop();
        }
    }

    private static final List<String> TRAIN_OPTIONS = List.of("spark", "workers", "data", "epochs", "batch-size",
            "lr", "optimizer", "seed", "limit", "steps", "out");
    private static final List<String> PREDICT_OPTIONS = List.of("spark", "weights", "model", "invert", "out");

    /** The options of {@code args} (after the command) by name without dashes; the rest go to {@code positional}. */
    static Map<String, String> parse(String[] args, List<String> positional) {
        List<String> known = args[0].equals("train") ? TRAIN_OPTIONS : PREDICT_OPTIONS;
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i++) {
            if (args[i].startsWith("--")) {
                String name = args[i].substring(2);
                if (!known.contains(name)) {
                    throw new IllegalArgumentException("unknown option " + args[i] + " for " + args[0] + "; known: --"
                            + String.join(", --", known));
                }
                if (name.equals("invert")) {
                    options.put(name, "true");
                } else if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(args[i] + " needs a value");
                } else {
                    options.put(name, args[++i]);
                }
            } else {
                positional.add(args[i]);
            }
        }
        return options;
    }

    static Module train(SparkSession spark, List<String> positional, Map<String, String> o, PrintStream log) {
        String model = positional.isEmpty() ? "lenet" : positional.getFirst();
        int workers = Integer.parseInt(o.getOrDefault("workers", "2"));
        Path data = Path.of(o.getOrDefault("data", FashionMnist.DEFAULT_DIR.toString()));
        int limit = Integer.parseInt(o.getOrDefault("limit", "0"));
        DataParallelTrainer.Config c = new DataParallelTrainer.Config(
                Integer.parseInt(o.getOrDefault("batch-size", "256")),
                Integer.parseInt(o.getOrDefault("epochs", "10")),
                Integer.parseInt(o.getOrDefault("steps", "0")),
                o.getOrDefault("optimizer", "sgd"),
                Double.parseDouble(o.getOrDefault("lr", "0.9")),
                Long.parseLong(o.getOrDefault("seed", "0")),
                Long.parseLong(o.getOrDefault("seed", "0")));
        Path out = Path.of(o.getOrDefault("out", "out/" + model));
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        log.println("training on Spark " + sc.master() + " with " + workers + " workers");
        TrainingSet set = TrainingSet.parallelize(sc, limit(FashionMnist.load(data, true), limit), workers);
        try {
            DataParallelTrainer.Result r = new DataParallelTrainer(sc, Networks.named(model), c).train(set, log);
            log.println(timings(r.steps()));
            Map<String, String> meta = new LinkedHashMap<>();
            meta.put("model", model);
            meta.put("optimizer", c.optimizer());
            meta.put("lr", Double.toString(c.lr()));
            Files.createDirectories(out);
            Path weights = out.resolve(model + ".safetensors");
            SafeTensors.write(StateDict.of(r.model()), meta, weights);
            log.println("wrote " + weights);
            return r.model();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + out, e);
        } finally {
            set.unpersist();
        }
    }

    /**
     * Steps per second and the mean time per step spent gathering gradients on the driver and in the slowest
     * task, leaving out the first step (JIT compilation, first broadcast).
     */
    static String timings(List<DataParallelTrainer.Step> steps) {
        List<DataParallelTrainer.Step> measured = steps.size() > 1 ? steps.subList(1, steps.size()) : steps;
        double seconds = measured.stream().mapToLong(DataParallelTrainer.Step::stepNanos).sum() / 1e9;
        double gatherMs = measured.stream().mapToLong(DataParallelTrainer.Step::gatherNanos).average().orElse(0)
                / 1e6;
        double taskMs = measured.stream().mapToLong(DataParallelTrainer.Step::taskNanos).average().orElse(0) / 1e6;
        return String.format(java.util.Locale.ROOT, "%d steps after the first: %.2f steps/s, %.1f ms per step, "
                + "of which gathering and summing gradients %.2f ms, slowest task %.1f ms", measured.size(),
                measured.size() / seconds, 1000 * seconds / measured.size(), gatherMs, taskMs);
    }

    static long predict(SparkSession spark, List<String> positional, Map<String, String> o, PrintStream log) {
        if (positional.size() != 1 || !o.containsKey("weights")) {
            throw new IllegalArgumentException("predict needs --weights FILE and one images folder");
        }
        String modelName = o.getOrDefault("model", "lenet");
        ModelFactory factory = Networks.named(modelName);
        Module model = DataParallelTrainer.replica(factory, 0);
        StateDict.load(model, Path.of(o.get("weights")));
        Path out = Path.of(o.getOrDefault("out", "predictions.csv"));
        BatchPredictor predictor = new BatchPredictor(spark, factory, FashionMnist.CLASS_NAMES, FashionMnist.SIDE,
                o.containsKey("invert"));
        long rows = BatchPredictor.writeCsv(predictor.predict(positional.getFirst(), ParameterCodec.encode(model)),
                out);
        log.println("wrote " + rows + " predictions to " + out);
        return rows;
    }

    private static Dataset limit(Dataset d, int limit) {
        if (limit <= 0 || limit >= d.size()) {
            return d;
        }
        return new Dataset() {
            @Override
            public int size() {
                return limit;
            }

            @Override
            public Example get(int index) {
                Objects.checkIndex(index, limit);
                return d.get(index);
            }
        };
    }
}
