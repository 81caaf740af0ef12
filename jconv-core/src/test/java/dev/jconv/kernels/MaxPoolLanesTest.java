package dev.jconv.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jconv.kernels.Pool2dKernels.Geometry;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The vectorised 3×3, stride-2 max pooling picks the same element as the general loop, lane by lane: the first
 * of equal maxima in row-major window order, a NaN over anything, a later NaN over an earlier one. Planes wide
 * enough for whole vectors of outputs, values drawn from a handful (ties everywhere, as after a ReLU), with NaN
 * and −∞ among them.
 */
class MaxPoolLanesTest {
    private static final float[] VALUES = {0f, 0f, 0f, 1f, 1f, -1f, 2f, Float.NaN, Float.NEGATIVE_INFINITY};

    @AfterEach
    void restore() {
        Sgemm.setVectorized(true);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6})
    void sameValuesAndIndicesAsTheGeneralLoop(int seed) {
        Random r = new Random(seed);
        int pad = seed % 2;
        int h = 5 + r.nextInt(8);
        int w = 35 + r.nextInt(40);
        int planes = 3;
        float[] x = new float[planes * h * w];
        for (int i = 0; i < x.length; i++) {
            x[i] = VALUES[r.nextInt(VALUES.length)];
        }
        Geometry g = new Geometry(planes, h, w, (h + 2 * pad - 3) / 2 + 1, (w + 2 * pad - 3) / 2 + 1, 3, 3, 2, 2, pad,
                pad, 1, 1);
        Pool2dFloat.MaxResult vector = Pool2dFloat.maxForward(g, x);
        Sgemm.setVectorized(false);
        Pool2dFloat.MaxResult scalar = Pool2dFloat.maxForward(g, x);
        assertThat(vector.indices()).as("chosen elements").containsExactly(scalar.indices());
        for (int i = 0; i < scalar.values().length; i++) {
            assertThat(Float.floatToRawIntBits(vector.values()[i])).as("value %d", i)
                    .isEqualTo(Float.floatToRawIntBits(scalar.values()[i]));
        }
    }
}
