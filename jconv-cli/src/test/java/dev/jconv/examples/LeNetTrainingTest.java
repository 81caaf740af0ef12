package dev.jconv.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jconv.SystemPackages;
import dev.jconv.cli.Main;
import dev.jconv.data.FashionMnist;
import dev.jconv.viz.EpochStats;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Training on a slice of the real data: resuming is exact, outputs are written, predict reads images. */
class LeNetTrainingTest {
    private static final PrintStream QUIET = new PrintStream(PrintStream.nullOutputStream());

    @BeforeAll
    static void needsData() {
        SystemPackages.requireFashionMnist();
    }

    private static LeNetTraining.Config config(String model, int epochs, Path out, Path checkpoints, boolean resume) {
        LeNetTraining.Config d = LeNetTraining.Config.defaults(model);
        return new LeNetTraining.Config(model, d.optimizer(), epochs, d.lr(), 64, 3, d.data(), out, checkpoints, resume,
                512);
    }

    @Test
    void oneEpochThenResumeThenOneMoreEqualsTwoEpochsBitForBit(@TempDir Path dir) throws IOException {
        for (String model : new String[] {"lenet", "lenet-relu"}) {
            Path straight = dir.resolve(model + "-straight");
            Path split = dir.resolve(model + "-split");
            List<EpochStats> two = LeNetTraining.run(config(model, 2, straight, null, false), QUIET);
            LeNetTraining.run(config(model, 1, split, split.resolve("ckpt"), false), QUIET);
            List<EpochStats> resumed = LeNetTraining.run(config(model, 2, split, split.resolve("ckpt"), true), QUIET);
            assertThat(Files.readAllBytes(split.resolve(model + ".safetensors")))
                    .as(model + " weights after resuming").isEqualTo(Files.readAllBytes(straight.resolve(model + ".safetensors")));
            assertThat(resumed).extracting(EpochStats::trainLoss).containsExactlyElementsOf(
                    two.stream().map(EpochStats::trainLoss).toList());
            assertThat(split.resolve("ckpt").resolve("epoch-001.safetensors")).exists();
            assertThat(split.resolve("ckpt").resolve("epoch-002.safetensors")).exists();
        }
    }

    @Test
    void writesMetricsWeightsAndPlots(@TempDir Path dir) {
        Path out = dir.resolve("run");
        List<EpochStats> stats = LeNetTraining.run(config("lenet-relu", 1, out, null, false), QUIET);
        assertThat(stats).hasSize(1);
        assertThat(stats.getFirst().trainLoss()).isBetween(0.5, 2.5);
        assertThat(out.resolve("metrics.csv")).content().startsWith("epoch,train_loss,train_acc,test_acc,seconds\n1,");
        assertThat(out.resolve("lenet-relu.safetensors")).exists();
        for (String png : new String[] {"curves.png", "kernels.png", "predictions.png"}) {
            assertThat(out.resolve(png)).exists();
        }
    }

    @Test
    void predictClassifiesImagesWrittenAsPng(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("run");
        LeNetTraining.run(config("lenet-relu", 1, out, null, false), QUIET);
        FashionMnist test = FashionMnist.load(false);
        String[] args = new String[5];
        args[0] = "predict";
        args[1] = "--weights";
        args[2] = out.resolve("lenet-relu.safetensors").toString();
        args[3] = "--model";
        args[4] = "lenet-relu";
        List<String> files = new java.util.ArrayList<>(List.of(args));
        for (int i = 0; i < 3; i++) {
            double[] pixels = test.get(i).image().toArray();
            BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
            for (int p = 0; p < pixels.length; p++) {
                int v = (int) Math.round(pixels[p] * 255);
                img.setRGB(p % 28, p / 28, (v << 16) | (v << 8) | v);
            }
            Path png = dir.resolve("image-" + i + ".png");
            ImageIO.write(img, "png", png.toFile());
            files.add(png.toString());
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code = Main.run(files.toArray(String[]::new), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertThat(code).isZero();
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(lines).hasSize(3);
        for (String line : lines) {
            assertThat(line).matches(".*image-\\d\\.png: [a-z -]+ \\(\\d\\.\\d{3}\\)");
            String name = line.replaceAll(".*: ", "").replaceAll(" \\(.*", "");
            assertThat(FashionMnist.CLASS_NAMES).contains(name);
        }
    }
}
