package dev.jconv.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

import dev.jconv.Reference;
import dev.jconv.internal.Json;
import dev.jconv.storage.DType;
import dev.jconv.tensor.Tensor;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Bilinear resizing gives PyTorch's values ({@code F.interpolate(mode='bilinear', align_corners=False)}). */
class ResizeTest {
    /**
     * PyTorch's own bits depend on the memory layout (channels-last and contiguous inputs take kernels that round
     * in different orders, and differ from each other by a few float32 steps), so the comparison allows that much:
     * the observed gap is at most 8 steps of a value below 1.
     */
    private static final float TOLERANCE = 2e-6f;

    static Stream<Map<String, Object>> cases() {
        Map<String, Object> file = Json.object(Json.parse(Reference.read("resize-bilinear.json")), "file");
        return Json.array(file.get("cases"), "cases").stream().map(c -> Json.object(c, "case"));
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("cases")
    void matchesPyTorchUpToFloatRounding(Map<String, Object> c) {
        int[] shape = ints(c.get("shape"));
        int[] size = ints(c.get("size"));
        Tensor x = Tensor.of(floats(c.get("input"))).reshape(shape);
        Tensor y = Resize.bilinear(x, size[0], size[1]);
        assertThat(y.shape().toArray()).containsExactly(shape[0], shape[1], size[0], size[1]);
        assertThat(y.toFloatArray()).containsExactly(floats(c.get("output")), within(TOLERANCE));
    }

    @Test
    void theTransformResizesOneImageAndKeepsItsChannels() {
        Tensor image = Tensor.rand(3, 5, 7);
        Tensor resized = Transforms.resize(9, 4).apply(image);
        assertThat(resized.shape().toArray()).containsExactly(3, 9, 4);
        assertThat(resized.dtype()).isEqualTo(DType.FLOAT32);
        assertThat(resized.toFloatArray())
                .containsExactly(Resize.bilinear(image.reshape(1, 3, 5, 7), 9, 4).toFloatArray());
    }

    @Test
    void anUnchangedSizeCopiesTheImage() {
        Tensor image = Tensor.rand(2, 4, 6);
        assertThat(Resize.bilinear(image, 4, 6).toFloatArray()).containsExactly(image.toFloatArray());
    }

    @Test
    void sizesBelowOneAndImagesWithoutChannelsAreRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> Transforms.resize(0, 4))
                .withMessage("resize needs a size of at least 1x1, got 0x4");
        assertThatIllegalArgumentException().isThrownBy(() -> Transforms.resize(2, 2).apply(Tensor.rand(5, 5)))
                .withMessageContaining("resize expects an image (C, H, W)");
    }

    private static int[] ints(Object v) {
        return Json.array(v, "ints").stream().mapToInt(o -> Math.toIntExact(Json.longValue(o, "int"))).toArray();
    }

    private static float[] floats(Object v) {
        List<Object> values = Json.array(v, "floats");
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) Json.doubleValue(values.get(i), "float");
        }
        return out;
    }
}
