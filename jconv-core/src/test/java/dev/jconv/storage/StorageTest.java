package dev.jconv.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** One array per dtype (float, double, long, boolean), read as doubles through fresh exact copies. */
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
        assertThatThrownBy(s::write).isInstanceOf(IllegalStateException.class).hasMessageContaining("float32");
    }

    @Test
    void zerosHaveTheDtypesOwnArray() {
        assertThat(Storage.zeros(4, DType.FLOAT32).array()).isEqualTo(new float[4]);
        assertThat(Storage.zeros(2, DType.FLOAT64).array()).isEqualTo(new double[2]);
        assertThat(Storage.zeros(2, DType.INT64).array()).isEqualTo(new long[2]);
        assertThat(Storage.zeros(3, DType.BOOL).array()).isEqualTo(new boolean[3]);
    }

    @ParameterizedTest
    @ValueSource(longs = {6, 7, 8})
    void int64HoldsEveryLongExactly(long seed) {
        Random r = new Random(seed);
        long[] l = new long[64];
        for (int i = 0; i < l.length; i++) {
            l[i] = i < 2 ? (i == 0 ? Long.MAX_VALUE : Long.MIN_VALUE) : r.nextLong();
        }
        Storage s = new Storage(l);
        assertThat(s.readLongs()).isSameAs(l);
        for (int i = 0; i < l.length; i++) {
            assertThat(s.getLong(i)).isEqualTo(l[i]);
            assertThat(s.get(i)).isEqualTo((double) l[i]);
        }
        assertThat(s.dtype()).isEqualTo(DType.INT64);
        assertThatThrownBy(s::write).isInstanceOf(IllegalStateException.class).hasMessageContaining("int64");
        assertThatThrownBy(s::readFloats).isInstanceOf(IllegalStateException.class).hasMessageContaining("int64");
    }

    @Test
    void boolHoldsBooleansAndNarrowsDoublesToNonzero() {
        Storage s = new Storage(new double[] {0, 2, -0.5, 0}, DType.BOOL);
        assertThat(s.readBools()).containsExactly(false, true, true, false);
        assertThat(s.read()).containsExactly(0, 1, 1, 0);
        assertThat(s.getLong(1)).isEqualTo(1);
        assertThat(Storage.over(new boolean[] {true}).dtype()).isEqualTo(DType.BOOL);
        assertThatThrownBy(() -> Storage.over(new int[1])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("int[]");
    }

    @Test
    void onlyFloat32HasAFloatForm() {
        Storage s = new Storage(new double[] {0.1}, DType.FLOAT64);
        assertThatThrownBy(s::readFloats).isInstanceOf(IllegalStateException.class).hasMessageContaining("float64");
    }
}
