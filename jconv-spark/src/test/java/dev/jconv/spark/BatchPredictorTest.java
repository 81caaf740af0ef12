package dev.jconv.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jconv.data.FashionMnist;
import dev.jconv.nn.Functional;
import dev.jconv.nn.Module;
import dev.jconv.storage.DType;
import dev.jconv.storage.Shape;
import dev.jconv.tensor.Tensor;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchPredictorTest {
    static final int IMAGES = 5;

    static SparkSession spark;
    static Module model;
    static byte[] weights;
    @TempDir
    static Path dir;
    static Path images;

    @BeforeAll
    static void start() throws IOException {
        spark = SparkSessions.local("local[2]");
        model = DataParallelTrainer.replica(Networks.lenet(), 5);
        weights = ParameterCodec.encode(model);
        images = Files.createDirectories(dir.resolve("images"));
        for (int i = 0; i < IMAGES; i++) {
            BufferedImage img = new BufferedImage(28 + 4 * i, 28, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = img.createGraphics();
            g.setColor(Color.WHITE);
            g.fillRect(2 * i, 3, 10 + 2 * i, 20 - i);
            g.dispose();
            ImageIO.write(img, "png", images.resolve("image-" + i + ".png").toFile());
        }
        Files.writeString(images.resolve("notes.txt"), "not an image");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    static BatchPredictor predictor() {
        return new BatchPredictor(spark, Networks.lenet(), FashionMnist.CLASS_NAMES, 28, false);
    }

    /** The prediction one process makes for a file, as (class, probability). */
    static Map.Entry<String, Double> localPrediction(Path file) throws IOException {
        double[] grey = BatchPredictor.grey(file.toString(), Files.readAllBytes(file), 28, false);
        try (var ignored = Tensor.noGrad()) {
            model.eval();
            double[] p = Functional.softmax(model.forward(Tensor.fromArray(grey, Shape.of(1, 1, 28, 28),
                    DType.FLOAT32)), 1).toArray();
            int best = 0;
            for (int c = 1; c < p.length; c++) {
                if (p[c] > p[best]) {
                    best = c;
                }
            }
            return Map.entry(FashionMnist.CLASS_NAMES.get(best), p[best]);
        }
    }

    @Test
    void predictsOneRowPerImageWithTheSchema() {
        List<Row> rows = predictor().predict(images.toString(), weights).collectAsList();
        assertThat(rows).hasSize(IMAGES);
        assertThat(rows).extracting(r -> Path.of(java.net.URI.create(r.getString(0))).getFileName().toString())
                .containsExactlyInAnyOrder("image-0.png", "image-1.png", "image-2.png", "image-3.png",
                        "image-4.png");
        assertThat(predictor().predict(images.toString(), weights).schema()).isEqualTo(BatchPredictor.SCHEMA);
    }

    @Test
    void predictionsAreThoseOfTheModelInOneProcess() throws IOException {
        Map<String, Row> byName = predictor().predict(images.toString(), weights).collectAsList().stream()
                .collect(Collectors.toMap(r -> Path.of(java.net.URI.create(r.getString(0))).getFileName().toString(),
                        r -> r));
        for (int i = 0; i < IMAGES; i++) {
            Map.Entry<String, Double> expected = localPrediction(images.resolve("image-" + i + ".png"));
            Row row = byName.get("image-" + i + ".png");
            assertThat(row.getString(1)).as("class of image %d", i).isEqualTo(expected.getKey());
            assertThat(row.getDouble(2)).as("probability of image %d", i).isEqualTo(expected.getValue());
        }
    }

    @Test
    void writesACsvWithAHeaderAndOneRowPerImage() throws IOException {
        Path csv = dir.resolve("out/preds.csv");
        long written = BatchPredictor.writeCsv(predictor().predict(images.toString(), weights), csv);
        List<String> lines = Files.readAllLines(csv);
        assertThat(written).isEqualTo(IMAGES);
        assertThat(lines).hasSize(IMAGES + 1);
        assertThat(lines.getFirst()).isEqualTo("path,class,probability");
        for (int i = 0; i < IMAGES; i++) {
            String[] fields = lines.get(i + 1).split(",");
            assertThat(fields[0]).endsWith("image-" + i + ".png");
            assertThat(FashionMnist.CLASS_NAMES).contains(fields[1]);
            assertThat(Double.parseDouble(fields[2])).isBetween(0.1, 1.0);
        }
    }
}
