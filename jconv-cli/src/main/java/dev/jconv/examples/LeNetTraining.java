package dev.jconv.examples;

import dev.jconv.data.Batch;
import dev.jconv.data.DataLoader;
import dev.jconv.data.Dataset;
import dev.jconv.data.Example;
import dev.jconv.data.FashionMnist;
import dev.jconv.data.Transform;
import dev.jconv.data.Transforms;
import dev.jconv.io.Checkpoint;
import dev.jconv.io.SafeTensors;
import dev.jconv.io.StateDict;
import dev.jconv.models.Models;
import dev.jconv.nn.Module;
import dev.jconv.nn.Parameter;
import dev.jconv.nn.Sequential;
import dev.jconv.optim.Adam;
import dev.jconv.optim.AdamW;
import dev.jconv.optim.Optimizer;
import dev.jconv.optim.SGD;
import dev.jconv.random.Generator;
import dev.jconv.tensor.Tensor;
import dev.jconv.viz.Csv;
import dev.jconv.viz.EpochStats;
import dev.jconv.viz.Fonts;
import dev.jconv.viz.ImageGrid;
import dev.jconv.viz.KernelGrid;
import dev.jconv.viz.ProgressBar;
import dev.jconv.viz.TrainingCurves;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Trains LeNet, or one of the modern CNNs of {@link Models}, on Fashion-MNIST with a plain loop, so every step
 * is in sight: zero the gradients, forward, loss, backward ({@link LocalSteps}), optimizer step. After each epoch
 * it evaluates on the test set and (optionally) writes a checkpoint; at the end it writes the metrics as CSV, the
 * weights as safetensors and PNG plots. The modern CNNs see the images resized per batch by the data loader
 * ({@link Transforms#resize}), as D2L trains them. The gradients may also be computed on a cluster
 * ({@link #run(Config, PrintStream, StepRunner)}); everything else stays here.
 */
public final class LeNetTraining {

    /**
     * What to train and where to write it.
     *
     * @param limit         use only the first {@code limit} training and test images (0: all), for quick runs
     * @param checkpointDir write {@code epoch-NNN.safetensors} there after every epoch (null: none)
     * @param resume        continue from the newest checkpoint in {@code checkpointDir}; its model and optimizer
     *                      must be these, and {@code lr} replaces the checkpoint's
     * @param keep          keep only the newest {@code keep} checkpoints (0: all)
     * @param resize        resize the 28×28 images to {@code resize}×{@code resize}, bilinearly, as each batch is
     *                      assembled (0: keep them as they are)
     */
    public record Config(String model, String optimizer, int epochs, double lr, int batchSize, long seed, Path data,
                         Path out, Path checkpointDir, boolean resume, int limit, int keep, int resize) {
        public Config {
            if (epochs < 1 || batchSize < 1 || !(lr > 0) || Double.isInfinite(lr) || limit < 0 || keep < 0
                    || resize < 0) {
                throw new IllegalArgumentException("need epochs >= 1, batch size >= 1, finite lr > 0, limit >= 0, "
                        + "keep >= 0 and resize >= 0, got " + epochs + ", " + batchSize + ", " + lr + ", " + limit
                        + ", " + keep + ", " + resize);
            }
            if (resume && checkpointDir == null) {
                throw new IllegalArgumentException("--resume needs --checkpoint-dir");
            }
        }

        /** A configuration without resizing. */
        public Config(String model, String optimizer, int epochs, double lr, int batchSize, long seed, Path data,
                      Path out, Path checkpointDir, boolean resume, int limit, int keep) {
            this(model, optimizer, epochs, lr, batchSize, seed, data, out, checkpointDir, resume, limit, keep, 0);
        }

        /** A configuration keeping every checkpoint, without resizing. */
        public Config(String model, String optimizer, int epochs, double lr, int batchSize, long seed, Path data,
                      Path out, Path checkpointDir, boolean resume, int limit) {
            this(model, optimizer, epochs, lr, batchSize, seed, data, out, checkpointDir, resume, limit, 0);
        }

        /**
         * D2L's settings, 10 epochs: LeNet with SGD lr 0.9 and the ReLU variant with Adam lr 1e-3, batch 256; the
         * modern CNNs with SGD at their {@link TrainingRecipes#lr lr}, batch 128, images resized to
         * {@link TrainingRecipes#resize 224 or 96}.
         *
         * @throws IllegalArgumentException for a model that is neither
         */
        public static Config defaults(String model) {
            if (TrainingRecipes.isModern(model)) {
                return new Config(model, "sgd", 10, TrainingRecipes.lr(model), 128, 0, FashionMnist.DEFAULT_DIR,
                        Path.of("out", model), null, false, 0, 0, TrainingRecipes.resize(model));
            }
            if (!model.equals("lenet") && !model.equals("lenet-relu")) {
                throw new IllegalArgumentException("unknown model '" + model + "'; known: "
                        + String.join(", ", TrainingRecipes.names()));
            }
            boolean modern = model.equals("lenet-relu");
            return new Config(model, modern ? "adam" : "sgd", 10, modern ? 1e-3 : 0.9, 256, 0,
                    FashionMnist.DEFAULT_DIR, Path.of("out", model), null, false, 0);
        }
    }

    /** Metadata key of the model's name ({@code lenet}, {@code lenet-relu}) in saved weights and checkpoints. */
    public static final String MODEL_KEY = "model";
    /** Metadata key of the optimizer's name. */
    public static final String OPTIMIZER_KEY = "optimizer";
    /** Metadata key of the learning rate, as Java writes a double (read back exactly). */
    public static final String LR_KEY = "lr";
    /** Metadata key of the image size the model was trained on, when the images were resized. */
    public static final String RESIZE_KEY = "resize";

    private LeNetTraining() {
    }

    /**
     * What a run trains, recorded in the metadata of its weights and checkpoints so that they are not loaded
     * into another model or resumed with another optimizer by mistake.
     */
    public static Map<String, String> recipe(Config c) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(MODEL_KEY, c.model());
        m.put(OPTIMIZER_KEY, c.optimizer());
        m.put(LR_KEY, Double.toString(c.lr()));
        if (c.resize() > 0) {
            m.put(RESIZE_KEY, Integer.toString(c.resize()));
        }
        return m;
    }

    /**
     * Refuses to resume {@code checkpoint} (read from {@code file}) as {@code c}: a checkpoint recorded for
     * another model or optimizer would not fit, or only by accident. Checkpoints without the record pass.
     */
    public static void checkResumable(Checkpoint checkpoint, Path file, Config c) {
        String model = checkpoint.notes().get(MODEL_KEY);
        if (model != null && !model.equals(c.model())) {
            throw new IllegalArgumentException(file + " is a checkpoint of " + model + ", not " + c.model()
                    + ": resume it as " + model + ", or train " + c.model() + " in another checkpoint directory");
        }
        String optimizer = checkpoint.notes().get(OPTIMIZER_KEY);
        if (optimizer != null && !optimizer.equals(c.optimizer())) {
            throw new IllegalArgumentException(file + " was trained with " + optimizer + ", not " + c.optimizer()
                    + ": resume it with --optimizer " + optimizer);
        }
    }

    /** Runs the training in this process; see {@link #run(Config, PrintStream, StepRunner)}. */
    public static List<EpochStats> run(Config c, PrintStream log) {
        return run(c, log, new LocalSteps());
    }

    /**
     * Runs the training with every step's gradient computed by {@code steps}; epoch lines go to {@code log}, the
     * progress bar to stderr. Returns every epoch's figures.
     */
    public static List<EpochStats> run(Config c, PrintStream log, StepRunner steps) {
        Tensor.manualSeed(c.seed());
        Dataset train = limit(FashionMnist.load(c.data(), true), c.limit());
        Dataset test = limit(FashionMnist.load(c.data(), false), c.limit());
        Transform resize = c.resize() > 0 ? Transforms.resize(c.resize(), c.resize()) : image -> image;
        // Resized as each batch is assembled: the resized data set (47 GB at 224×224) is never held.
        DataLoader trainLoader = steps.batches(train, c.batchSize(), resize);
        DataLoader testLoader = DataLoader.builder(test).batchSize(c.batchSize()).transform(resize).build();
        // D2L builds its networks from lazy layers and sizes them with one batch of a fresh training iterator
        // before drawing the Xavier weights; taking that batch first keeps the random streams, hence every
        // figure, D2L's.
        Batch sizing = trainLoader.iterator().next();
        Sequential model = TrainingRecipes.model(c.model());
        Models.applyInit(model, steps.images(sizing));
        Optimizer optimizer = optimizer(c, model);

        List<EpochStats> history = new ArrayList<>();
        int first = 1;
        if (c.checkpointDir() != null) {
            int removed = Checkpoint.removeTemporaryFiles(c.checkpointDir());
            if (removed > 0) {
                log.println("removed " + removed + " unfinished checkpoint file(s) (*.tmp) from " + c.checkpointDir());
            }
        }
        if (c.resume()) {
            Path latest = Checkpoint.latest(c.checkpointDir());
            if (latest != null) {
                Checkpoint ck = Checkpoint.load(latest);
                checkResumable(ck, latest, c);
                first = restore(ck, model, optimizer, history) + 1;
                log.println("resuming from " + latest + " (epoch " + (first - 1) + " done)");
                if (optimizer.lr() != c.lr()) {
                    // Loading the optimizer's state brought back the checkpoint's lr; the configured one wins.
                    log.println("lr " + c.lr() + " replaces the checkpoint's " + optimizer.lr());
                    optimizer.setLr(c.lr());
                }
            } else {
                log.println("no checkpoint in " + c.checkpointDir() + " yet: starting at epoch 1");
            }
        }
        steps.start(c, model);
        ProgressBar bar = new ProgressBar(c.epochs());
        for (int epoch = first; epoch <= c.epochs(); epoch++) {
            long start = System.nanoTime();
            model.train();
            double lossSum = 0;
            double correct = 0;
            int seen = 0;
            bar.startEpoch(epoch, trainLoader.size());
            for (Batch b : trainLoader) {
                optimizer.zeroGrad();
                StepRunner.StepResult r = steps.gradient(model, b);
                optimizer.step();
                lossSum += r.loss() * r.examples();
                correct += r.correct();
                seen += r.examples();
                bar.step(r.examples(), r.loss());
            }
            bar.finishEpoch();
            double seconds = (System.nanoTime() - start) / 1e9;
            double testAccuracy = evaluate(model, testLoader);
            EpochStats stats = new EpochStats(epoch, lossSum / seen, correct / seen, testAccuracy, seconds);
            history.add(stats);
            log.printf("epoch %d/%d: train loss %.4f, train acc %.4f, test acc %.4f, %.1f s%n", epoch, c.epochs(),
                    stats.trainLoss(), stats.trainAccuracy(), stats.testAccuracy(), seconds);
            if (c.checkpointDir() != null) {
                saveCheckpoint(c, epoch, model, optimizer, history);
                Checkpoint.prune(c.checkpointDir(), c.keep());
            }
        }
        writeOutputs(c, model, test, resize, history, log);
        return history;
    }

    private static Optimizer optimizer(Config c, Module model) {
        return optimizer(c.optimizer(), model.parameters(), c.lr());
    }

    /** The optimizer called {@code name} ({@code sgd}, {@code adam} or {@code adamw}) over {@code parameters}. */
    public static Optimizer optimizer(String name, List<Parameter> parameters, double lr) {
        return switch (name) {
            case "sgd" -> new SGD(parameters, lr);
            case "adam" -> new Adam(parameters, lr);
            case "adamw" -> new AdamW(parameters, lr);
            default -> throw new IllegalArgumentException("unknown optimizer '" + name + "'; known: sgd, adam, adamw");
        };
    }

    /** The share of test images classified correctly, computed without recording a graph. */
    public static double evaluate(Module model, DataLoader loader) {
        model.eval();
        double correct = 0;
        int seen = 0;
        try (var ignored = Tensor.noGrad()) {
            for (Batch b : loader) {
                correct += correctCount(model.forward(b.images()), b.labels());
                seen += b.size();
            }
        }
        model.train();
        return correct / seen;
    }

    /** How many rows of {@code logits} have their largest value at the row's label. */
    public static long correctCount(Tensor logits, Tensor labels) {
        return (long) logits.detach().argmax(1, false).eq(labels).sum().item();
    }

    private static Dataset limit(Dataset d, int limit) {
        if (limit == 0 || limit >= d.size()) {
            return d;
        }
        return new Dataset() {
            @Override
            public int size() {
                return limit;
            }

            @Override
            public Example get(int index) {
                java.util.Objects.checkIndex(index, limit);
                return d.get(index);
            }
        };
    }

    private static void saveCheckpoint(Config c, int epoch, Module model, Optimizer optimizer,
                                       List<EpochStats> history) {
        Path dir = c.checkpointDir();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create checkpoint directory " + dir, e);
        }
        Map<String, String> notes = recipe(c);
        notes.put("history", Csv.format(history));
        new Checkpoint(epoch, StateDict.of(model), optimizer.stateDict(),
                Map.of("global", Generator.defaultGenerator().getState()), notes).save(Checkpoint.fileFor(dir, epoch));
    }

    /** Puts model, optimizer, generator and history back as they were after the checkpoint's epoch. */
    private static int restore(Checkpoint ck, Module model, Optimizer optimizer, List<EpochStats> history) {
        StateDict.load(model, ck.model());
        optimizer.loadStateDict(ck.optimizer());
        byte[] global = ck.generators().get("global");
        if (global == null) {
            throw new IllegalArgumentException("checkpoint has no 'global' generator state");
        }
        Generator.defaultGenerator().setState(global);
        history.addAll(Csv.parse(ck.notes().getOrDefault("history", Csv.HEADER + "\n")));
        return ck.epoch();
    }

    private static void writeOutputs(Config c, Sequential model, Dataset test, Transform resize,
                                     List<EpochStats> history, PrintStream log) {
        Path out = c.out();
        try {
            Files.createDirectories(out);
            Csv.write(out.resolve("metrics.csv"), history);
            // Under PyTorch's names, as StateDict.save writes them, with the recipe as metadata.
            SafeTensors.write(StateDict.of(model), recipe(c), out.resolve(c.model() + ".safetensors"));
            var problem = Fonts.problem();
            if (problem.isPresent()) {
                log.println("plots skipped: " + problem.get());
                return;
            }
            TrainingCurves.save(out.resolve("curves.png"), history);
            KernelGrid.save(out.resolve("kernels.png"), TrainingRecipes.firstConv(model).weight().detach());
            savePredictions(out.resolve("predictions.png"), model, test, resize);
            log.println("wrote " + out.resolve("metrics.csv") + ", " + c.model() + ".safetensors, curves.png, "
                    + "kernels.png, predictions.png");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write results to " + out, e);
        }
    }

    /** The first 20 test images with predicted and true labels; mistakes are drawn in red. */
    private static void savePredictions(Path png, Module model, Dataset test, Transform resize) throws IOException {
        int n = Math.min(20, test.size());
        Tensor[] images = new Tensor[n];
        String[] actual = new String[n];
        for (int i = 0; i < n; i++) {
            Example e = test.get(i);
            images[i] = e.image();
            actual[i] = FashionMnist.className((int) e.label().item());
        }
        Tensor batch = Tensor.stack(images, 0);
        String[] predicted;
        model.eval();
        try (var ignored = Tensor.noGrad()) {
            Tensor[] seen = new Tensor[n];
            for (int i = 0; i < n; i++) {
                seen[i] = resize.apply(images[i]);
            }
            long[] p = model.forward(Tensor.stack(seen, 0)).argmax(1, false).toLongArray();
            predicted = new String[n];
            for (int i = 0; i < n; i++) {
                predicted[i] = FashionMnist.className((int) p[i]);
            }
        }
        model.train();
        ImageGrid.savePredictions(png, batch, predicted, actual);
    }
}
