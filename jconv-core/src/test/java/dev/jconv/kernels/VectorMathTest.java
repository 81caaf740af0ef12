package dev.jconv.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The vectorised exp against Math.exp: within an ulp in double, the same float after rounding, the same bits in both paths. */
class VectorMathTest {
    @AfterEach
    void restore() {
        Sgemm.setVectorized(true);
    }

    private static double[] inputs(long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            // Mostly activations (|x| < 20), some of the whole range, and the edges.
            x[i] = switch (i % 8) {
                case 0 -> r.nextDouble(-760, 760);
                case 1 -> (float) r.nextDouble(-100, 100);
                default -> (float) (r.nextGaussian() * 6);
            };
        }
        x[0] = Double.NaN;
        x[1] = Double.POSITIVE_INFINITY;
        x[2] = Double.NEGATIVE_INFINITY;
        x[3] = 709.5;
        x[4] = -708.5;
        x[5] = 0;
        x[6] = -0.0;
        return x;
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void expIsWithinAnUlpAndRoundsToTheSameFloat(long seed) {
        double[] x = inputs(seed, 200_003);
        double[] r = new double[x.length];
        VectorMath.map(false, x, r, 0, x.length, x.length);
        int floatMismatches = 0;
        for (int i = 0; i < x.length; i++) {
            double ref = Math.exp(x[i]);
            if (Double.isNaN(ref)) {
                assertThat(r[i]).isNaN();
                continue;
            }
            if (Double.isInfinite(ref) || ref == 0) {
                assertThat(r[i]).as("exp(%s)", x[i]).isEqualTo(ref);
                continue;
            }
            assertThat(Math.abs(r[i] - ref)).as("exp(%s)", x[i]).isLessThanOrEqualTo(Math.ulp(ref));
            if ((float) r[i] != (float) ref) {
                floatMismatches++;
            }
        }
        assertThat(floatMismatches).as("float32 results that differ from rounding Math.exp").isZero();
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void vectorAndScalarPathsGiveTheSameBits(boolean sigmoid) {
        double[] x = inputs(7, 10_007);
        double[] vec = new double[x.length];
        double[] scalar = new double[x.length];
        double[] small = new double[x.length];
        VectorMath.map(sigmoid, x, vec, 0, x.length, x.length);
        // A small tensor's elements take the scalar loop even with vectors on.
        VectorMath.map(sigmoid, x, small, 0, x.length, VectorMath.VECTOR_FROM - 1);
        Sgemm.setVectorized(false);
        VectorMath.map(sigmoid, x, scalar, 0, x.length, x.length);
        assertThat(vec).containsExactly(scalar);
        assertThat(small).containsExactly(scalar);
        for (int i = 0; i < x.length; i++) {
            double ref = 1 / (1 + Math.exp(-x[i]));
            if (sigmoid && !Double.isNaN(ref)) {
                assertThat(Math.abs(vec[i] - ref)).as("sigmoid(%s)", x[i]).isLessThanOrEqualTo(2 * Math.ulp(ref));
            }
        }
    }
}
