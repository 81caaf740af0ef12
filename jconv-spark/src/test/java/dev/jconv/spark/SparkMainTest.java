package dev.jconv.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jconv.examples.LeNet;
import dev.jconv.io.StateDict;
import dev.jconv.nn.Module;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spark-submit entry point: jconv train with --spark, predict, and what they refuse. */
class SparkMainTest {
    @TempDir
    static Path dir;
    static Path data;
    static Path out;
    static Run training;
    static SparkSession spark;

    record Run(int code, String out, String err) {
    }

    @BeforeAll
    static void start() throws Exception {
        data = FashionMnistFiles.write(dir.resolve("data"), 96, 48);
        Path images = Files.createDirectories(dir.resolve("images"));
        for (int i = 0; i < 3; i++) {
            ImageIO.write(new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY), "png",
                    images.resolve("blank-" + i + ".png").toFile());
        }
        out = dir.resolve("run");
        // jconv train starts and stops its own session, so the predictions' session starts after it.
        training = SparkSessions.withSettings(() -> train("lenet-relu", "--spark", "local[2]", "--workers", "2",
                "--epochs", "1", "--batch-size", "16", "--out", out.toString()));
        spark = SparkSessions.local("local[2]");
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    static Run train(String... options) {
        List<String> args = new ArrayList<>(List.of("train", "--data", data.toString()));
        args.addAll(List.of(options));
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int code = SparkMain.train(args.toArray(String[]::new), new PrintStream(o, true, StandardCharsets.UTF_8),
                new PrintStream(e, true, StandardCharsets.UTF_8));
        return new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    }

    @Test
    void trainSaysItRunsOnSparkAndReportsTestAccuracyEachEpoch() {
        assertThat(training.code()).as(training.err()).isZero();
        assertThat(training.out()).startsWith("training lenet-relu with adam (lr 0.001, batch 16, 1 epochs, seed 0")
                .contains(") on Spark local[2] with 2 workers\n")
                .containsPattern("epoch 1/1: train loss \\d\\.\\d{4}, train acc \\d\\.\\d{4}, test acc \\d\\.\\d{4}")
                .contains("Spark: 5 steps after the first: ");
    }

    @Test
    void trainWritesWeightsAndMetricsAsOneProcessDoes() {
        Module model = LeNet.relu();
        StateDict.load(model, out.resolve("lenet-relu.safetensors"));
        assertThat(model.parameters()).hasSize(10);
        assertThat(out.resolve("metrics.csv")).content().startsWith("epoch,train_loss,train_acc,test_acc,seconds\n1,");
    }

    @Test
    void modelsWithBatchNormOrDropoutAreRefusedBeforeSparkStarts() {
        Run bn = train("bn-lenet", "--spark", "local[2]");
        assertThat(bn.code()).isEqualTo(2);
        assertThat(bn.err()).startsWith("jconv: bn-lenet cannot be trained on Spark: it has batch normalisation");
        Run dropout = train("alexnet", "--spark", "local[2]");
        assertThat(dropout.code()).isEqualTo(2);
        assertThat(dropout.err()).startsWith("jconv: alexnet cannot be trained on Spark: it has dropout layers");
    }

    @Test
    void trainWithoutAMasterIsRefused() {
        Run r = train("lenet");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("jconv: no Spark master: pass --spark MASTER, or run through spark-submit "
                + "--master MASTER\n");
    }

    @Test
    void predictWritesOneCsvRowPerImage() throws IOException {
        List<String> args = new ArrayList<>();
        Path csv = dir.resolve("preds.csv");
        Map<String, String> options = SparkMain.parse(new String[] {"predict", "--weights",
            out.resolve("lenet-relu.safetensors").toString(), "--model", "lenet-relu", dir.resolve("images").toString(),
            "--out", csv.toString()}, args);
        long rows = SparkMain.predict(spark, args, options, new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8));
        assertThat(rows).isEqualTo(3);
        assertThat(Files.readAllLines(csv)).hasSize(4);
    }

    @Test
    void unknownOptionsAreRefused() {
        Run r = train("lenet", "--spark", "local[2]", "--wrokers", "2");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("jconv: unknown option '--wrokers'");
        assertThatThrownBy(() -> SparkMain.parse(new String[] {"predict", "--wieghts", "w"}, new ArrayList<>()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown option --wieghts");
    }
}
