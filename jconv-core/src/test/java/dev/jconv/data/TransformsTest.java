package dev.jconv.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jconv.storage.DType;
import dev.jconv.storage.Shape;
import dev.jconv.tensor.Tensor;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TransformsTest {
    @Test
    void toFloatDividesBy255LikeToTensor() {
        Tensor raw = Tensor.fromArray(new double[] {0, 1, 193, 255}, Shape.of(2, 2), DType.INT64);
        Tensor image = Transforms.toFloat().apply(raw);
        assertThat(image.shape().toArray()).containsExactly(1, 2, 2);
        assertThat(image.dtype()).isEqualTo(DType.FLOAT32);
        // torch.tensor([0, 1, 193, 255], dtype=torch.uint8).float().div(255)
        assertThat(image.toArray()).containsExactly(0.0, 0.003921568859368563, 0.7568627595901489, 1.0);
        assertThatThrownBy(() -> Transforms.toFloat().apply(Tensor.of(0.5, 1)))
                .hasMessageContaining("expects pixel values 0..255, got 0.5");
    }

    @Test
    void normalizeMatchesTorchvisionInFloat32() {
        // x = torch.tensor(image[10]).float().div(255)[10:14]; x.sub(0.2860).div(0.3530)
        Tensor x = Tensor.fromArray(new double[] {0, 0, 0, 193 / 255f}, Shape.of(1, 1, 4), DType.FLOAT32);
        assertThat(Transforms.normalize(0.2860, 0.3530).apply(x).toArray())
                .containsExactly(-0.8101983666419983, -0.8101983666419983, -0.8101983666419983, 1.3338888883590698);
    }

    @Test
    void normalizePerChannel() {
        Tensor x = Tensor.fromArray(new double[] {1, 2, 3, 4}, Shape.of(2, 1, 2), DType.FLOAT32);
        Tensor y = Transforms.normalize(new double[] {1, 2}, new double[] {1, 0.5}).apply(x);
        assertThat(y.toArray()).containsExactly(0, 1, 2, 4);
        assertThatThrownBy(() -> Transforms.normalize(new double[] {1}, new double[] {1}).apply(x))
                .hasMessageContaining("1 channel mean(s) but the image has 2 channel(s)");
        assertThatThrownBy(() -> Transforms.normalize(0, 1e-50)).hasMessageContaining("std evaluated to zero");
        assertThatThrownBy(() -> Transforms.normalize(new double[] {1, 2}, new double[] {1}))
                .hasMessageContaining("2 mean(s) and 1 std(s)");
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void padding28To32KeepsTheImageInTheMiddle(long seed) {
        Random random = new Random(seed);
        double[] v = new double[28 * 28];
        for (int i = 0; i < v.length; i++) {
            v[i] = random.nextInt(256) / 255f;
        }
        Tensor image = Tensor.fromArray(v, Shape.of(1, 28, 28), DType.FLOAT32);
        for (Transform pad : new Transform[] {Transforms.pad(2), Transforms.padTo(32, 32)}) {
            Tensor out = pad.apply(image);
            assertThat(out.shape().toArray()).containsExactly(1, 32, 32);
            double[] o = out.toArray();
            for (int y = 0; y < 32; y++) {
                for (int x = 0; x < 32; x++) {
                    boolean inside = y >= 2 && y < 30 && x >= 2 && x < 30;
                    assertThat(o[y * 32 + x]).isEqualTo(inside ? v[(y - 2) * 28 + x - 2] : 0.0);
                }
            }
        }
    }

    @Test
    void padToPutsTheOddPixelBottomRightAndPadTakesFourSides() {
        Tensor one = Tensor.ones(Shape.of(1, 1, 1), DType.FLOAT32);
        assertThat(Transforms.padTo(2, 3).apply(one).toArray()).containsExactly(0, 1, 0, 0, 0, 0);
        assertThat(Transforms.pad(1, 0, 0, 1).apply(one).toArray()).containsExactly(0, 1, 0, 0);
        assertThatThrownBy(() -> Transforms.padTo(1, 1).apply(Tensor.ones(Shape.of(1, 2, 2), DType.FLOAT32)))
                .hasMessageContaining("cannot shrink");
        assertThatThrownBy(() -> Transforms.pad(-1)).hasMessageContaining("non-negative");
        assertThatThrownBy(() -> Transforms.pad(1).apply(Tensor.ones(2, 2))).hasMessageContaining("(C, H, W)");
    }
}
