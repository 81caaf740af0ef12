package dev.jconv.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The two forms of a float32 storage: each made from the other exactly, and the float form dropped on write. */
class StorageTest {
    private static float[] randomFloats(long seed, int n) {
        Random r = new Random(seed);
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            f[i] = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(20) - 10));
        }
        return f;
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void floatsReadAsTheSameDoubles(long seed) {
        float[] f = randomFloats(seed, 257);
        Storage s = new Storage(f);
        double[] d = s.read();
        for (int i = 0; i < f.length; i++) {
            assertThat(d[i]).isEqualTo((double) f[i]);
        }
        // Reading doubles keeps the float form: the same array comes back.
        assertThat(s.readFloats()).isSameAs(f);
        assertThat(s.read()).isSameAs(d);
    }

    @ParameterizedTest
    @ValueSource(longs = {4, 5})
    void float32DoublesReadAsFloatsExactly(long seed) {
        float[] f = randomFloats(seed, 100);
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        Storage s = new Storage(d, DType.FLOAT32);
        assertThat(s.readFloats()).containsExactly(f);
        assertThat(s.readFloats()).isSameAs(s.readFloats());
        assertThat(s.size()).isEqualTo(100);
    }

    @Test
    void aWriteDropsTheFloatForm() {
        Storage s = new Storage(new float[] {1, 2, 3});
        float[] before = s.readFloats();
        double[] d = s.write();
        d[1] = 5;
        float[] after = s.readFloats();
        assertThat(after).isNotSameAs(before).containsExactly(1f, 5f, 3f);
        assertThat(s.read()).containsExactly(1, 5, 3);
    }

    @Test
    void onlyFloat32HasAFloatForm() {
        Storage s = new Storage(new double[] {0.1}, DType.FLOAT64);
        assertThatThrownBy(s::readFloats).isInstanceOf(IllegalStateException.class).hasMessageContaining("float64");
    }
}
