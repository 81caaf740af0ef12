package dev.jconv.cli;

import static dev.jconv.cli.Cli.run;
import static dev.jconv.cli.MainTest.assertOneLineError;
import static dev.jconv.cli.MainTest.assertUsageError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jconv.cli.Cli.Run;
import dev.jconv.examples.LeNet;
import dev.jconv.io.SafeTensors;
import dev.jconv.io.StateDict;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jconv predict}: missing files, weights recorded for another model, weights without a record. */
class PredictCommandTest {
    @TempDir
    Path dir;

    private Path image() throws IOException {
        Path png = dir.resolve("shoe.png");
        ImageIO.write(new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY), "png", png.toFile());
        return png;
    }

    private Path weights(String model, Map<String, String> metadata) {
        Path file = dir.resolve(model + ".safetensors");
        SafeTensors.write(StateDict.of(LeNet.named(model)), metadata, file);
        return file;
    }

    @Test
    void missingWeightsAreOneLine() throws IOException {
        Run r = run("predict", "--weights", dir.resolve("missing.safetensors").toString(), image().toString());
        assertThat(r.code()).isEqualTo(1);
        assertOneLineError(r, "missing.safetensors does not exist");
    }

    @Test
    void aMissingImageIsOneLine() {
        Path w = weights("lenet", null);
        Run r = run("predict", "--weights", w.toString(), dir.resolve("nope.png").toString());
        assertThat(r.code()).isEqualTo(1);
        assertOneLineError(r, "nope.png does not exist");
    }

    @Test
    void weightsRecordedForAnotherModelAreRefused() throws IOException {
        Path w = weights("lenet-relu", Map.of("model", "lenet-relu"));
        Run r = run("predict", "--model", "lenet", "--weights", w.toString(), image().toString());
        assertThat(r.code()).isEqualTo(1);
        assertOneLineError(r, "holds lenet-relu weights, not lenet");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void theRecordedModelIsTheDefault() throws IOException {
        Path w = weights("lenet-relu", Map.of("model", "lenet-relu"));
        Run r = run("predict", "--weights", w.toString(), image().toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).matches(".*shoe\\.png: [a-z -]+ \\(\\d\\.\\d{3}\\)\\n");
    }

    @Test
    void weightsWithoutMetadataAreStillAccepted() throws IOException {
        Path w = weights("lenet-relu", null);
        Run r = run("predict", "--model", "lenet-relu", "--weights", w.toString(), image().toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("shoe.png: ");
    }

    @Test
    void weightsThatDoNotFitAreOneLine() throws IOException {
        Path w = weights("lenet-relu", null);
        SafeTensors.write(Map.of("0.weight", dev.jconv.tensor.Tensor.zeros(2, 2)), null, w);
        Run r = run("predict", "--weights", w.toString(), image().toString());
        assertThat(r.code()).isEqualTo(1);
        assertOneLineError(r, "does not fit lenet");
    }

    @Test
    void anUnknownModelOrNoImageIsAUsageError() {
        assertUsageError(run("predict", "--model", "vgg", "--weights", "w", "x.png"), "unknown model 'vgg'");
        assertUsageError(run("predict", "--weights", "w"), "IMAGE");
        assertUsageError(run("predict", "x.png"), "--weights");
    }
}
