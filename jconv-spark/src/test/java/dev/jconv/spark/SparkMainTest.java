package dev.jconv.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jconv.io.StateDict;
import dev.jconv.nn.Module;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
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

class SparkMainTest {
    static SparkSession spark;
    @TempDir
    static Path dir;
    static Path out;
    static String log;

    @BeforeAll
    static void start() throws IOException {
        spark = SparkSessions.local("local[2]");
        // A Fashion-MNIST folder of 40 training images: stripes whose position gives the label.
        int n = 40;
        byte[] pixels = new byte[n * 28 * 28];
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            labels[i] = (byte) (i % 10);
            for (int x = 0; x < 28; x++) {
                pixels[i * 784 + (2 * (i % 10) + 4) * 28 + x] = (byte) 255;
            }
        }
        writeIdx(dir.resolve("data/train-images-idx3-ubyte"), 0x803, new int[] {n, 28, 28}, pixels);
        writeIdx(dir.resolve("data/train-labels-idx1-ubyte"), 0x801, new int[] {n}, labels);
        Path images = Files.createDirectories(dir.resolve("images"));
        for (int i = 0; i < 3; i++) {
            ImageIO.write(new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY), "png",
                    images.resolve("blank-" + i + ".png").toFile());
        }
        out = dir.resolve("run");
        log = train(out);
    }

    static void writeIdx(Path file, int magic, int[] dims, byte[] data) throws IOException {
        Files.createDirectories(file.getParent());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(magic);
            for (int d : dims) {
                out.writeInt(d);
            }
            out.write(data);
        }
        Files.write(file, bytes.toByteArray());
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    static String train(Path out) {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        List<String> args = new ArrayList<>();
        Map<String, String> options = SparkMain.parse(new String[] {"train", "lenet", "--workers", "2", "--data",
            dir.resolve("data").toString(), "--epochs", "1", "--batch-size", "16", "--out", out.toString()}, args);
        SparkMain.train(spark, args, options, new PrintStream(log, true, StandardCharsets.UTF_8));
        return log.toString(StandardCharsets.UTF_8);
    }

    @Test
    void trainLogsTheMasterAndWorkers() {
        assertThat(log).startsWith("training on Spark local[2] with 2 workers");
    }

    @Test
    void trainWritesWeightsThatLoadIntoTheModel() {
        Module model = Networks.lenet().create();
        StateDict.load(model, out.resolve("lenet.safetensors"));
        assertThat(model.parameters()).hasSize(10);
    }

    @Test
    void predictWritesOneCsvRowPerImage() throws IOException {
        List<String> args = new ArrayList<>();
        Path csv = dir.resolve("preds.csv");
        Map<String, String> options = SparkMain.parse(new String[] {"predict", "--weights",
            out.resolve("lenet.safetensors").toString(), dir.resolve("images").toString(), "--out", csv.toString()},
                args);
        long rows = SparkMain.predict(spark, args, options, new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8));
        assertThat(rows).isEqualTo(3);
        assertThat(Files.readAllLines(csv)).hasSize(4);
    }

    @Test
    void unknownOptionsAreRefused() {
        assertThatThrownBy(() -> SparkMain.parse(new String[] {"train", "lenet", "--wrokers", "2"}, new ArrayList<>()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown option --wrokers");
    }
}
