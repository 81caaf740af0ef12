package dev.jconv.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Batch norm's channel sums give the same bits with the Vector API as with the scalar loops, for planes that
 * fill whole vectors, leave tails (3×3, 6×6) or end at the array's last element, and are accurate sums: within
 * a few double roundings of the exact value (computed with BigDecimal).
 */
class ChannelStatsTest {
    private static final int[] PLANES = {1, 5, 8, 9, 15, 16, 17, 36, 144, 576};

    @AfterEach
    void restore() {
        Sgemm.setVectorized(true);
    }

    private static float[] values(Random r, int length) {
        float[] x = new float[length];
        for (int i = 0; i < length; i++) {
            x[i] = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(7) - 3) + (r.nextInt(4) == 0 ? 100 : 0));
        }
        return x;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
    void vectorAndScalarSumsAreTheSameBits(int seed) {
        Random r = new Random(seed);
        int plane = PLANES[seed % PLANES.length];
        int n = 1 + r.nextInt(4);
        int channels = 1 + r.nextInt(3);
        float[] x = values(r, n * channels * plane);
        float[] g = values(r, x.length);
        double[][] vector = new double[channels][];
        for (boolean vectorized : new boolean[] {true, false}) {
            Sgemm.setVectorized(vectorized);
            for (int ch = 0; ch < channels; ch++) {
                double m = ChannelStats.sum(x, n, channels, ch, plane, true) / (n * plane);
                double[] grads = ChannelStats.gradSums(g, x, n, channels, ch, plane, (float) m);
                double[] all = {m, ChannelStats.squaredDeviations(x, n, channels, ch, plane, m), grads[0], grads[1]};
                if (vectorized) {
                    vector[ch] = all;
                } else {
                    for (int k = 0; k < all.length; k++) {
                        assertThat(Double.doubleToRawLongBits(vector[ch][k])).as("channel %d, sum %d", ch, k)
                                .isEqualTo(Double.doubleToRawLongBits(all[k]));
                    }
                }
            }
        }
        // The sum itself is accurate: exact value by BigDecimal over the last channel.
        int ch = channels - 1;
        BigDecimal exact = BigDecimal.ZERO;
        for (int b = 0; b < n; b++) {
            for (int i = 0; i < plane; i++) {
                exact = exact.add(new BigDecimal(x[(b * channels + ch) * plane + i]));
            }
        }
        Sgemm.setVectorized(true);
        double sum = ChannelStats.sum(x, n, channels, ch, plane, true);
        assertThat(ChannelStats.sum(x, n, channels, ch, plane, false)).isEqualTo(sum); // the scalar loop
        assertThat(sum).isCloseTo(exact.round(MathContext.DECIMAL64).doubleValue(),
                org.assertj.core.data.Offset.offset(1e-12 * (1 + Math.abs(sum)) * n * plane));
    }
}
