package dev.jconv.spark;

import dev.jconv.cli.Main;
import dev.jconv.data.FashionMnist;
import dev.jconv.io.StateDict;
import dev.jconv.nn.Module;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * The entry point for {@code spark-submit} and {@code ./jconv train|predict --spark}: training on Fashion-MNIST
 * and batch prediction.
 *
 * <pre>
 * spark-submit --master spark://HOST:7077 --class dev.jconv.spark.SparkMain \
 *     --jars "$(ls jconv-spark/target/jars/*.jar | paste -sd,)" jconv-spark/target/jconv-spark.jar \
 *     train lenet-relu --workers 8 --epochs 1 --out out/lenet-spark
 * spark-submit ... predict --weights out/lenet-spark/lenet-relu.safetensors --model lenet-relu IMAGES_DIR \
 *     --out preds.csv
 * </pre>
 *
 * <p>{@code train} is {@code jconv train} ({@code dev.jconv.cli.Main}) with its every option, run with
 * {@code --spark MASTER}: spark-submit's {@code --master} when {@code --spark} is not given. {@code predict}
 * options: {@code --weights FILE}, {@code --model} (lenet or lenet-relu, default lenet), {@code --invert},
 * {@code --out FILE} (CSV), {@code --spark MASTER}; then the images' folder.
 */
public final class SparkMain {
    private SparkMain() {
    }

    /** Runs {@code train} or {@code predict}; see the class documentation. Exits 0, 1 (failure) or 2 (usage). */
    public static void main(String[] args) {
        if (args.length == 0 || !(args[0].equals("train") || args[0].equals("predict"))) {
            System.err.println("usage: SparkMain train [MODEL] [jconv train's options] [--spark MASTER] [--workers N]\n"
                    + "       SparkMain predict --weights FILE [--model lenet|lenet-relu] [--invert] [--out preds.csv]"
                    + " [--spark MASTER] IMAGES_DIR");
            System.exit(2);
        }
        if (args[0].equals("train")) {
            System.exit(train(args, System.out, System.err));
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
        SparkSession.Builder builder = SparkSession.builder().appName("jconv predict");
        if (options.containsKey("spark")) {
            builder.master(options.get("spark"));
        }
        SparkSession spark = builder.getOrCreate();
        int code = 0;
        try {
            predict(spark, positional, options, System.out);
        } catch (IllegalArgumentException | UncheckedIOException e) {
            System.err.println("jconv: " + e.getMessage());
            code = Main.FAILURE;
        } finally {
            spark.stop();
        }
        System.exit(code);
    }

    /**
     * Runs {@code jconv train} with {@code args} (starting with {@code train}) on Spark: on the master
     * {@code --spark} names, or else on the one spark-submit configured. Returns the exit code.
     */
    static int train(String[] args, PrintStream out, PrintStream err) {
        List<String> line = new ArrayList<>(List.of(args));
        if (line.stream().noneMatch(a -> a.equals("--spark") || a.startsWith("--spark="))) {
            String master = new SparkConf().get("spark.master", null);
            if (master == null) {
                err.println("jconv: no Spark master: pass --spark MASTER, or run through spark-submit --master MASTER");
                return Main.USAGE;
            }
            line.add("--spark");
            line.add(master);
        }
        return Main.run(line.toArray(String[]::new), out, err);
    }

    private static final List<String> PREDICT_OPTIONS = List.of("spark", "weights", "model", "invert", "out");

    /** The options of {@code args} (after {@code predict}) by name without dashes; the rest go to {@code positional}. */
    static Map<String, String> parse(String[] args, List<String> positional) {
        List<String> known = PREDICT_OPTIONS;
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
}
