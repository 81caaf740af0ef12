package dev.jconv.io;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jconv.nn.Conv2d;
import dev.jconv.nn.Conv2dOptions;
import dev.jconv.nn.Flatten;
import dev.jconv.nn.Linear;
import dev.jconv.nn.ReLU;
import dev.jconv.nn.Sequential;
import dev.jconv.storage.DType;
import dev.jconv.storage.Shape;
import dev.jconv.tensor.Tensor;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Files made by PyTorch 1.13 with {@code src/test/resources/safetensors/make_reference.py} (which writes the
 * format by the reference library's rules): jconv must read them, compute the same logits, and write the very
 * same bytes.
 */
class SafeTensorsInteropTest {
    @TempDir
    Path dir;

    static Path resource(String name) {
        try {
            return Path.of(SafeTensorsInteropTest.class.getResource("/safetensors/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("missing test resource /safetensors/" + name, e);
        }
    }

    /** The architecture make_reference.py builds, in jconv modules. */
    static Sequential smallModel() {
        return new Sequential(new Conv2d(1, 2, Conv2dOptions.kernelSize(3).padding(1)), new ReLU(), new Flatten(),
                new Linear(2 * 4 * 4, 3));
    }

    @Test
    void pytorchWeightsGiveThePyTorchLogits() {
        Tensor.manualSeed(123); // any start: the file's weights replace it
        Sequential model = smallModel();
        StateDict.load(model, resource("small.safetensors"));

        Tensor input = SafeTensors.read(resource("input.safetensors")).get("input");
        Tensor expected = SafeTensors.read(resource("expected.safetensors")).get("logits");
        Tensor logits;
        try (var ignored = Tensor.noGrad()) {
            logits = model.forward(input);
        }

        assertThat(input.shape().toArray()).containsExactly(2, 1, 4, 4);
        assertThat(logits.shape()).isEqualTo(expected.shape());
        assertThat(logits.dtype()).isEqualTo(DType.FLOAT32);
        double[] got = logits.toArray();
        double[] want = expected.toArray();
        for (int i = 0; i < want.length; i++) {
            assertThat(got[i]).as("logit %d", i).isCloseTo(want[i], org.assertj.core.data.Offset.offset(1e-5));
        }
    }

    @Test
    void aJconvModelSeededLikePyTorchSavesPyTorchsExactBytes() throws IOException {
        Tensor.manualSeed(0);
        Sequential model = smallModel();
        Tensor input = Tensor.rand(2, 1, 4, 4);
        Path saved = dir.resolve("small.safetensors");
        StateDict.save(model, saved);
        assertThat(Files.readAllBytes(saved)).isEqualTo(Files.readAllBytes(resource("small.safetensors")));
        SafeTensors.write(Map.of("input", input), dir.resolve("input.safetensors"));
        assertThat(Files.readAllBytes(dir.resolve("input.safetensors")))
                .isEqualTo(Files.readAllBytes(resource("input.safetensors")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"small", "input", "expected", "mixed"})
    void rewritingWhatWasReadGivesTheSameBytes(String name) throws IOException {
        Path original = resource(name + ".safetensors");
        SafeTensors.Contents contents = SafeTensors.readContents(original);
        Path copy = dir.resolve(name + ".safetensors");
        SafeTensors.write(contents.tensors(), contents.metadata(), copy);
        assertThat(Files.readAllBytes(copy)).isEqualTo(Files.readAllBytes(original));
    }

    @Test
    void mixedDtypesAndNamesAreOrderedAsTheReferenceWriterOrdersThem() throws IOException {
        // The same tensors as mixed() in make_reference.py, given in a different order.
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("a.bool", Tensor.scalar(1, DType.BOOL));
        tensors.put("b.bool", Tensor.fromArray(new double[] {1, 0, 1, 1, 0, 0}, Shape.of(2, 3), DType.BOOL));
        tensors.put("\uD83D\uDE00smile", Tensor.fromArray(new double[] {2}, Shape.of(1), DType.FLOAT64));
        tensors.put("\uFF21wide", Tensor.fromArray(new double[] {1}, Shape.of(1), DType.FLOAT64));
        tensors.put("tab\tquote\"back\\slash", Tensor.fromArray(new double[] {3}, Shape.of(1), DType.FLOAT64));
        tensors.put("empty", Tensor.zeros(Shape.of(0, 3), DType.FLOAT32));
        tensors.put("m.f32", Tensor.of(new double[][] {{1, 2}, {3, 4}}));
        tensors.put("z.f32", Tensor.of(0.1, -1.25, 3e-8));
        tensors.put("d.f64", Tensor.fromArray(new double[] {0.1, -2.5}, Shape.of(2), DType.FLOAT64));
        tensors.put("i.i64", Tensor.of(-1L, 1L << 40, 7L));
        tensors.put("Z", Tensor.scalar(5, DType.INT64));

        byte[] bytes = SafeTensors.serialize(tensors, Map.of("format", "pt"));

        assertThat(bytes).isEqualTo(Files.readAllBytes(resource("mixed.safetensors")));
        SafeTensors.Contents read = SafeTensors.readContents(resource("mixed.safetensors"));
        assertThat(read.metadata()).containsExactly(Map.entry("format", "pt"));
        assertThat(read.tensors().keySet()).containsExactly("Z", "i.i64", "d.f64", "tab\tquote\"back\\slash",
                "\uFF21wide", "\uD83D\uDE00smile", "empty", "m.f32", "z.f32", "a.bool", "b.bool");
        for (var e : tensors.entrySet()) {
            Tensor t = read.tensors().get(e.getKey());
            assertThat(t.dtype()).as(e.getKey()).isEqualTo(e.getValue().dtype());
            assertThat(t.shape()).as(e.getKey()).isEqualTo(e.getValue().shape());
            assertThat(t.toArray()).as(e.getKey()).containsExactly(e.getValue().toArray());
        }
    }
}
