package dev.jconv.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Layout#addInto} adds a strided view into an array bit for bit as gathering it and adding the copy does:
 * seeded views made by narrowing and permuting the dimensions of a contiguous parent, small and large enough for
 * the rows to run in parallel.
 */
class LayoutAddIntoTest {
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16})
    void addsAViewAsAGatheredCopyWould(long seed) {
        Random r = new Random(seed);
        int rank = 1 + r.nextInt(4);
        int[] parent = new int[rank];
        for (int d = 0; d < rank; d++) {
            parent[d] = 1 + r.nextInt(seed % 4 == 0 ? 40 : 6); // every fourth seed: over 2^15 elements a row block
        }
        check(r, parent);
    }

    @ParameterizedTest
    @ValueSource(longs = {21, 22})
    void addsAChannelSliceOfAConcatenationGradient(long seed) {
        // DenseNet's case: the gradient of one input of a cat along channels, (32, 64, 12, 12) of (32, 96, 12, 12).
        check(new Random(seed), new int[] {32, 96, 12, 12});
    }

    private static void check(Random r, int[] parent) {
        int rank = parent.length;
        int[] parentStrides = new int[rank];
        int size = 1;
        for (int d = rank - 1; d >= 0; d--) {
            parentStrides[d] = size;
            size *= parent[d];
        }
        int offset = 0;
        int[] narrowed = new int[rank];
        for (int d = 0; d < rank; d++) {
            int start = r.nextInt(parent[d]);
            narrowed[d] = 1 + r.nextInt(parent[d] - start);
            offset += start * parentStrides[d];
        }
        int[] perm = new int[rank];
        for (int d = 0; d < rank; d++) {
            perm[d] = d;
        }
        for (int d = rank - 1; d > 0; d--) {
            int j = r.nextInt(d + 1);
            int t = perm[d];
            perm[d] = perm[j];
            perm[j] = t;
        }
        int[] shape = new int[rank];
        int[] strides = new int[rank];
        for (int d = 0; d < rank; d++) {
            shape[d] = narrowed[perm[d]];
            strides[d] = parentStrides[perm[d]];
        }
        float[] src = random(r, size);
        float[] dst = random(r, Layout.numel(shape));
        float[] expected = dst.clone();
        FloatKernels.addInPlace(expected, Layout.gather(src, offset, shape, strides));
        Layout.addInto(dst, src, offset, shape, strides);
        assertThat(dst).containsExactly(expected);
    }

    private static float[] random(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) r.nextGaussian();
        }
        return a;
    }
}
