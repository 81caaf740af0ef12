package dev.jconv.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** One array per dtype: float32 held as floats only, read as doubles through fresh exact copies. */
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
        // Reading doubles keeps nothing beside the floats: each read is a copy of its own.
        assertThat(s.readFloats()).isSameAs(f);
        assertThat(s.read()).isNotSameAs(d).containsExactly(d);
        assertThat(s.get(7)).isEqualTo((double) f[7]);
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
    void float32IsWrittenAsFloatsOnly() {
        Storage s = new Storage(new float[] {1, 2, 3});
        s.writeFloats()[1] = 5;
        assertThat(s.read()).containsExactly(1, 5, 3);
        assertThatThrownBy(s::write).isInstanceOf(IllegalStateException.class).hasMessageContaining("writeFloats");
    }

    @Test
    void zerosHaveTheDtypesWidth() {
        assertThat(Storage.zeros(4, DType.FLOAT32).readFloats()).containsExactly(0f, 0f, 0f, 0f);
        assertThat(Storage.zeros(2, DType.INT64).write()).containsExactly(0, 0);
    }

    @Test
    void onlyFloat32HasAFloatForm() {
        Storage s = new Storage(new double[] {0.1}, DType.FLOAT64);
        assertThatThrownBy(s::readFloats).isInstanceOf(IllegalStateException.class).hasMessageContaining("float64");
    }
}
