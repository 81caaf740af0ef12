package dev.jconv.cli;

import dev.jconv.data.FashionMnist;
import dev.jconv.examples.ClusterTraining;
import dev.jconv.examples.LeNetTraining;
import dev.jconv.examples.StepRunner;
import dev.jconv.examples.TrainingRecipes;
import dev.jconv.io.Checkpoint;
import dev.jconv.kernels.Parallel;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code jconv train [MODEL]}: trains LeNet or one of the modern CNNs on Fashion-MNIST. Every argument and path is checked before the
 * data is read, so a typo costs no training time.
 */
@Command(name = "train", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Train a CNN on Fashion-MNIST; write metrics, weights and plots.",
        footer = {"",
                "Defaults are D2L's: lenet with sgd, lr 0.9; lenet-relu with adam, lr 0.001;",
                "batch 256, 10 epochs. The modern CNNs (alexnet, vgg11, nin, googlenet,",
                "bn-lenet, resnet18, densenet, regnetx32): sgd at D2L's lr, batch 128,",
                "10 epochs, images resized bilinearly to 224 (alexnet, vgg11, nin) or 96.",
                "--resume carries on from the newest checkpoint in --checkpoint-dir. Its model",
                "must be MODEL, and its optimizer --optimizer (by default the checkpoint's).",
                "--lr, when given, replaces the checkpoint's learning rate; otherwise the",
                "checkpoint's is kept. The first line printed says which lr is used.",
                "Leftover *.tmp files (from a save that was killed) are removed from",
                "--checkpoint-dir at start.",
                "--spark MASTER (local[N], spark://HOST:PORT, ...) computes every step's",
                "gradient in --workers tasks on Spark, with the same recipe, seeds and",
                "batches; the driver steps the optimizer, evaluates and writes the results.",
                "It needs jconv-spark and Spark on the class path, as ./jconv and",
                "spark-submit put them; models with batch norm or dropout are refused."})
final class TrainCommand extends JconvCommand {
    private static final List<String> OPTIMIZERS = List.of("sgd", "adam", "adamw");

    @Parameters(arity = "0..1", paramLabel = "MODEL",
            description = "lenet (default), lenet-relu, or a modern CNN")
    String modelArgument;

    @Option(names = "--model", paramLabel = "MODEL", description = "the same as the MODEL argument")
    String modelOption;

    @Option(names = "--optimizer", paramLabel = "sgd|adam|adamw", description = "default: the model's (sgd, adam)")
    String optimizer;

    @Option(names = "--epochs", paramLabel = "N", description = "train until epoch N (default: 10)")
    Integer epochs;

    @Option(names = "--lr", paramLabel = "X", description = "learning rate > 0 (default: the model's)")
    Double lr;

    @Option(names = "--batch-size", paramLabel = "N", description = "default: 256")
    Integer batchSize;

    @Option(names = "--seed", paramLabel = "N", description = "default: 0")
    Long seed;

    @Option(names = "--data", paramLabel = "DIR",
            description = "the Fashion-MNIST IDX files (default: " + "/usr/share/datasets/fashion-mnist)")
    Path data;

    @Option(names = "--out", paramLabel = "DIR", description = "where results go (default: out/MODEL)")
    Path outDir;

    @Option(names = "--checkpoint-dir", paramLabel = "DIR", description = "write epoch-NNN.safetensors there after every epoch")
    Path checkpointDir;

    @Option(names = "--resume", description = "carry on from the newest checkpoint in --checkpoint-dir")
    boolean resume;

    @Option(names = "--keep", paramLabel = "N", description = "keep only the newest N checkpoints (default: all)")
    Integer keep;

    @Option(names = "--limit", paramLabel = "N", description = "use only the first N training and test images")
    Integer limit;

    /** The launcher's probe (HeapPlan): print the heap cap in MB for this run and exit without training. */
    @Option(names = "--heap-plan", hidden = true)
    boolean heapPlan;

    @Option(names = "--resize", paramLabel = "N",
            description = "modern CNNs: resize images to NxN (default: 224 or 96)")
    Integer resize;

    @Option(names = "--spark", paramLabel = "MASTER", description = "train data-parallel on this Spark master")
    String spark;

    @Option(names = "--workers", paramLabel = "N",
            description = "with --spark: tasks per step, one per part of the training set (default: 2)")
    Integer workers;

    TrainCommand(PrintStream out) {
        super(out);
    }

    @Override
    public Integer call() {
        String model = model();
        LeNetTraining.Config d = LeNetTraining.Config.defaults(model);
        if (optimizer != null && !OPTIMIZERS.contains(optimizer)) {
            throw usage("--optimizer expects sgd, adam or adamw, got '" + optimizer + "'");
        }
        positive("--epochs", epochs);
        positive("--batch-size", batchSize);
        positive("--limit", limit);
        positive("--keep", keep);
        positive("--resize", resize);
        positive("--workers", workers);
        if (workers != null && spark == null) {
            throw usage("--workers needs --spark MASTER");
        }
        ClusterTraining cluster = spark == null ? null : cluster(model);
        if (resize != null && !TrainingRecipes.isModern(model)) {
            throw usage("--resize applies to the modern CNNs only: " + model + " takes 28x28 images");
        }
        if (lr != null && !(lr > 0 && Double.isFinite(lr))) {
            throw usage("--lr must be a finite number above 0, got " + lr);
        }
        if (resume && checkpointDir == null) {
            throw usage("--resume needs --checkpoint-dir DIR");
        }
        if (keep != null && checkpointDir == null) {
            throw usage("--keep needs --checkpoint-dir DIR");
        }
        Path dataDir = data == null ? d.data() : data;
        Path results = outDir == null ? d.out() : outDir;
        checkData(dataDir);
        checkDirectory("--out", results);
        if (checkpointDir != null) {
            checkDirectory("--checkpoint-dir", checkpointDir);
        }

        String opt = optimizer == null ? d.optimizer() : optimizer;
        double rate = lr == null ? d.lr() : lr;
        String resumeNote = "";
        Path latest = resume ? Checkpoint.latest(checkpointDir) : null;
        if (latest != null) {
            // The checkpoint's recipe fills in what was not given, so a plain --resume carries on as it began.
            Checkpoint ck = Checkpoint.load(latest);
            String recordedOptimizer = ck.notes().get(LeNetTraining.OPTIMIZER_KEY);
            if (optimizer == null && recordedOptimizer != null) {
                opt = recordedOptimizer;
            }
            String recordedLr = ck.notes().get(LeNetTraining.LR_KEY);
            if (recordedLr != null) {
                if (lr == null) {
                    rate = Double.parseDouble(recordedLr);
                    resumeNote = ", the checkpoint's";
                } else if (Double.parseDouble(recordedLr) != lr) {
                    resumeNote = ", replacing the checkpoint's " + recordedLr;
                }
            }
            LeNetTraining.Config c = config(model, opt, rate, d, dataDir, results);
            try {
                LeNetTraining.checkResumable(ck, latest, c);
            } catch (IllegalArgumentException e) {
                throw new Failure(e.getMessage(), e);
            }
        }
        LeNetTraining.Config c = config(model, opt, rate, d, dataDir, results);
        if (heapPlan) {
            long live = HeapPlan.liveAfterStep(model, c.batchSize(), c.resize() > 0 ? c.resize() : 28);
            long cap = HeapPlan.capMegabytes(live);
            long young = HeapPlan.youngMegabytes(cap);
            spec.commandLine().getErr().printf("jconv: heap capped at %d MB%s for this run (a step of %s keeps %d MB "
                    + "live; JCONV_JAVA_OPTS=-Xmx... sets it yourself)%n", cap,
                    young > 0 ? ", " + young + " MB of it young," : "", model, live >> 20);
            spec.commandLine().getErr().flush();
            out.println(HeapPlan.options(cap));
            return 0;
        }
        int tasks = workers == null ? 2 : workers;
        out.println("training " + model + " with " + c.optimizer() + " (lr " + c.lr() + resumeNote + ", batch "
                + c.batchSize() + ", " + c.epochs() + " epochs, seed " + c.seed() + ", " + Parallel.threads()
                + " threads" + (c.resize() > 0 ? ", images resized to " + c.resize() + "x" + c.resize() : "") + ")"
                + (cluster == null ? "" : " on Spark " + spark + " with " + tasks + " workers"));
        if (cluster == null) {
            LeNetTraining.run(c, out);
        } else {
            try (StepRunner steps = cluster.open(spark, tasks, out)) {
                LeNetTraining.run(c, out, steps);
            }
        }
        return 0;
    }

    /** jconv-spark's service, which must be on the class path; it refuses models it cannot train faithfully. */
    private ClusterTraining cluster(String model) {
        ClusterTraining cluster = ServiceLoader.load(ClusterTraining.class).findFirst().orElseThrow(() -> new Failure(
                "--spark needs jconv-spark and Spark on the class path: run ./jconv train ... --spark MASTER "
                        + "(the launcher puts them there) or spark-submit dev.jconv.spark.SparkMain"));
        try {
            cluster.check(model);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        return cluster;
    }

    private LeNetTraining.Config config(String model, String opt, double rate, LeNetTraining.Config d, Path dataDir,
                                        Path results) {
        return new LeNetTraining.Config(model, opt, epochs == null ? d.epochs() : epochs, rate,
                batchSize == null ? d.batchSize() : batchSize, seed == null ? d.seed() : seed, dataDir, results,
                checkpointDir, resume, limit == null ? 0 : limit, keep == null ? 0 : keep,
                resize == null ? d.resize() : resize);
    }

    private String model() {
        if (modelArgument != null && modelOption != null && !modelArgument.equals(modelOption)) {
            throw usage("two models named: '" + modelArgument + "' and --model '" + modelOption + "'");
        }
        String model = modelOption != null ? modelOption : modelArgument != null ? modelArgument : "lenet";
        if (!TrainingRecipes.names().contains(model)) {
            throw usage("unknown model '" + model + "'; known: " + String.join(", ", TrainingRecipes.names()));
        }
        return model;
    }

    private void positive(String option, Integer value) {
        if (value != null && value < 1) {
            throw usage(option + " must be at least 1, got " + value);
        }
    }

    /** All four Fashion-MNIST files, each plain or gzipped; names every missing one, not just the first. */
    private static void checkData(Path dir) {
        if (!Files.exists(dir)) {
            throw new Failure("Fashion-MNIST not found: " + dir + " does not exist; install it with `sudo apt-get "
                    + "install " + FashionMnist.DEBIAN_PACKAGE + "` or pass --data DIR");
        }
        if (!Files.isDirectory(dir)) {
            throw new Failure("--data " + dir + " is not a directory (it must hold the Fashion-MNIST IDX files)");
        }
        List<String> missing = new ArrayList<>();
        for (String name : new String[] {"train-images-idx3-ubyte", "train-labels-idx1-ubyte",
                "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"}) {
            if (!Files.isRegularFile(dir.resolve(name)) && !Files.isRegularFile(dir.resolve(name + ".gz"))) {
                missing.add(name);
            }
        }
        if (!missing.isEmpty()) {
            throw new Failure("Fashion-MNIST not found: " + dir + " has no " + String.join(", ", missing)
                    + " (each may also end in .gz); install it with `sudo apt-get install "
                    + FashionMnist.DEBIAN_PACKAGE + "` or pass --data DIR");
        }
    }

    /** A directory to write into must not be something else already, found out only after the training. */
    private static void checkDirectory(String option, Path dir) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new Failure(option + " " + dir + " exists and is not a directory");
        }
    }
}
