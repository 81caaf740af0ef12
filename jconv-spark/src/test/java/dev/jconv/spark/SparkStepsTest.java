package dev.jconv.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.jconv.data.Batch;
import dev.jconv.data.DataLoader;
import dev.jconv.data.Dataset;
import dev.jconv.data.Transform;
import dev.jconv.examples.LeNetTraining;
import dev.jconv.examples.LocalSteps;
import dev.jconv.examples.StepRunner;
import dev.jconv.io.SafeTensors;
import dev.jconv.nn.Module;
import dev.jconv.tensor.Tensor;
import dev.jconv.viz.EpochStats;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** jconv train's loop with its steps on Spark: the single-process recipe's figures, checkpoints and resuming. */
class SparkStepsTest {
    static final PrintStream QUIET = new PrintStream(PrintStream.nullOutputStream());

    static SparkSession spark;
    static JavaSparkContext sc;
    @TempDir
    static Path dir;
    static Path data;

    @BeforeAll
    static void start() throws IOException {
        spark = SparkSessions.local("local[2]");
        sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        data = FashionMnistFiles.write(dir.resolve("data"), 256, 64);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /** The model's default recipe, batch 64, on the test's data (4 steps an epoch). */
    static LeNetTraining.Config config(String model, int epochs, Path out, Path checkpoints, boolean resume) {
        return config(model, epochs, out, checkpoints, resume, 0);
    }

    /** The same on the first {@code limit} examples. */
    static LeNetTraining.Config config(String model, int epochs, Path out, Path checkpoints, boolean resume,
                                       int limit) {
        LeNetTraining.Config d = LeNetTraining.Config.defaults(model);
        return new LeNetTraining.Config(model, d.optimizer(), epochs, d.lr(), 64, 0, data, out, checkpoints, resume,
                limit);
    }

    /** A runner that records the loss of every step of another. */
    static final class Recording implements StepRunner {
        final StepRunner steps;
        final List<Double> losses = new ArrayList<>();

        Recording(StepRunner steps) {
            this.steps = steps;
        }

        @Override
        public DataLoader batches(Dataset train, int batchSize, Transform transform) {
            return steps.batches(train, batchSize, transform);
        }

        @Override
        public Tensor images(Batch batch) {
            return steps.images(batch);
        }

        @Override
        public void start(LeNetTraining.Config config, Module network) {
            steps.start(config, network);
        }

        @Override
        public StepResult gradient(Module network, Batch batch) {
            StepResult r = steps.gradient(network, batch);
            losses.add(r.loss());
            return r;
        }

        @Override
        public void close() {
            steps.close();
        }
    }

    static float[] weights(Path file) {
        return DataParallelTrainerTest.weights(SafeTensors.read(file));
    }

    @Test
    void bothLeNetsTrainAsInOneProcess() {
        for (String model : new String[] {"lenet", "lenet-relu"}) {
            Path here = dir.resolve(model + "-local");
            Path there = dir.resolve(model + "-spark");
            Recording local = new Recording(new LocalSteps());
            List<EpochStats> one = LeNetTraining.run(config(model, 1, here, null, false), QUIET, local);
            Recording onSpark = new Recording(new SparkSteps(sc, 2, null));
            List<EpochStats> spread;
            try (onSpark) {
                spread = LeNetTraining.run(config(model, 1, there, null, false), QUIET, onSpark);
            }
            assertThat(onSpark.losses).as(model + " steps").hasSize(4).hasSameSizeAs(local.losses);
            for (int i = 0; i < local.losses.size(); i++) {
                // The same batches and weights: only the order of float additions differs.
                assertThat(onSpark.losses.get(i)).as(model + " loss of step %d", i)
                        .isCloseTo(local.losses.get(i), within(1e-5 * local.losses.get(i)));
            }
            assertThat(spread.getFirst().testAccuracy()).as(model + " test accuracy")
                    .isCloseTo(one.getFirst().testAccuracy(), within(0.02));
            float[] expected = weights(here.resolve(model + ".safetensors"));
            float[] actual = weights(there.resolve(model + ".safetensors"));
            assertThat(actual).hasSameSizeAs(expected);
            for (int i = 0; i < expected.length; i++) {
                assertThat((double) actual[i]).as(model + " weight %d", i).isCloseTo(expected[i], within(1e-5));
            }
        }
    }

    @Test
    void aModernCnnWithLazyLayersTrainsOnResizedImagesAsInOneProcess() {
        // GoogLeNet has neither batch norm nor dropout; its lazy layers are sized in every task, on images the
        // tasks resize (here to 32x32, two steps of 8).
        List<List<Double>> losses = new ArrayList<>();
        for (StepRunner runner : new StepRunner[] {new LocalSteps(), new SparkSteps(sc, 2, null)}) {
            Recording recording = new Recording(runner);
            try (recording) {
                LeNetTraining.run(new LeNetTraining.Config("googlenet", "sgd", 1, 0.01, 8, 0, data,
                        dir.resolve("googlenet-" + losses.size()), null, false, 16, 0, 32), QUIET, recording);
            }
            losses.add(recording.losses);
        }
        assertThat(losses.get(1)).hasSize(2);
        for (int i = 0; i < 2; i++) {
            assertThat(losses.get(1).get(i)).as("loss of step %d", i)
                    .isCloseTo(losses.get(0).get(i), within(1e-5 * losses.get(0).get(i)));
        }
    }

    @Test
    void checkpointsWrittenOnSparkResumeToTheSameWeightsBitForBit() throws IOException {
        Path straight = dir.resolve("straight");
        Path split = dir.resolve("split");
        List<EpochStats> two;
        try (SparkSteps steps = new SparkSteps(sc, 2, null)) {
            two = LeNetTraining.run(config("lenet-relu", 2, straight, null, false, 128), QUIET, steps);
        }
        try (SparkSteps steps = new SparkSteps(sc, 2, null)) {
            LeNetTraining.run(config("lenet-relu", 1, split, split.resolve("ckpt"), false, 128), QUIET, steps);
        }
        List<EpochStats> resumed;
        try (SparkSteps steps = new SparkSteps(sc, 2, null)) {
            resumed = LeNetTraining.run(config("lenet-relu", 2, split, split.resolve("ckpt"), true, 128), QUIET,
                    steps);
        }
        assertThat(split.resolve("ckpt").resolve("epoch-001.safetensors")).exists();
        assertThat(split.resolve("ckpt").resolve("epoch-002.safetensors")).exists();
        assertThat(Files.readAllBytes(split.resolve("lenet-relu.safetensors")))
                .isEqualTo(Files.readAllBytes(straight.resolve("lenet-relu.safetensors")));
        assertThat(resumed).extracting(EpochStats::trainLoss)
                .containsExactlyElementsOf(two.stream().map(EpochStats::trainLoss).toList());
    }
}
