package dev.jconv.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jconv.storage.DType;
import dev.jconv.storage.Shape;
import java.math.BigDecimal;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * int64 tensors hold longs and compute on them: every op below is checked against Java's long arithmetic on
 * values beyond 2^53, where a detour through double would round (and wrapping on overflow, as PyTorch's int64).
 */
class Int64StorageTest {
    /** Longs of every magnitude, many of them above 2^53 and neighbours of one another. */
    private static long[] bigLongs(Random r, int n) {
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
            v[i] = switch (r.nextInt(4)) {
                case 0 -> r.nextLong();
                case 1 -> (1L << 53) + r.nextInt(5) - 2;
                case 2 -> -(1L << 62) + r.nextInt(3);
                default -> r.nextInt(2001) - 1000;
            };
        }
        return v;
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4})
    void arithmeticIsLongArithmetic(long seed) {
        Random r = new Random(seed);
        long[] a = bigLongs(r, 12);
        long[] b = bigLongs(r, 12);
        Tensor ta = Tensor.fromArray(a, Shape.of(3, 4));
        Tensor tb = Tensor.fromArray(b, Shape.of(3, 4));
        long[] sum = ta.add(tb).toLongArray();
        long[] diff = ta.sub(tb).toLongArray();
        long[] prod = ta.mul(tb).toLongArray();
        long[] scaled = ta.add(tb, 3).toLongArray();
        long[] negated = ta.neg().toLongArray();
        long[] absolute = ta.abs().toLongArray();
        for (int i = 0; i < a.length; i++) {
            assertThat(sum[i]).isEqualTo(a[i] + b[i]);
            assertThat(diff[i]).isEqualTo(a[i] - b[i]);
            assertThat(prod[i]).isEqualTo(a[i] * b[i]);
            assertThat(scaled[i]).isEqualTo(a[i] + 3 * b[i]);
            assertThat(negated[i]).isEqualTo(-a[i]);
            assertThat(absolute[i]).isEqualTo(Math.abs(a[i]));
        }
        // A row broadcast against the matrix, and a 0-d operand.
        long[] rowSum = ta.add(Tensor.fromArray(new long[] {1, 2, 3, 4}, Shape.of(4))).toLongArray();
        long[] plusOne = ta.add(1).toLongArray();
        for (int i = 0; i < a.length; i++) {
            assertThat(rowSum[i]).isEqualTo(a[i] + 1 + i % 4);
            assertThat(plusOne[i]).isEqualTo(a[i] + 1);
        }
        assertThat(ta.add(tb).dtype()).isEqualTo(DType.INT64);
    }

    @Test
    void overflowWrapsAsTwosComplement() {
        Tensor max = Tensor.of(Long.MAX_VALUE);
        assertThat(max.add(1).toLongArray()).containsExactly(Long.MIN_VALUE);
        assertThat(Tensor.of(Long.MIN_VALUE).neg().toLongArray()).containsExactly(Long.MIN_VALUE);
    }

    @ParameterizedTest
    @ValueSource(longs = {5, 6, 7})
    void comparisonsTellNeighboursApart(long seed) {
        Random r = new Random(seed);
        long[] a = bigLongs(r, 20);
        long[] b = a.clone();
        for (int i = 0; i < b.length; i++) {
            b[i] += r.nextInt(3) - 1; // equal, or off by one: the same double above 2^53
        }
        Tensor ta = Tensor.fromArray(a, Shape.of(20));
        Tensor tb = Tensor.fromArray(b, Shape.of(20));
        double[] eq = ta.eq(tb).toArray();
        double[] lt = ta.lt(tb).toArray();
        for (int i = 0; i < a.length; i++) {
            assertThat(eq[i]).isEqualTo(a[i] == b[i] ? 1 : 0);
            assertThat(lt[i]).isEqualTo(a[i] < b[i] ? 1 : 0);
        }
        assertThat(ta.eq(tb).dtype()).isEqualTo(DType.BOOL);
    }

    @ParameterizedTest
    @ValueSource(longs = {8, 9, 10})
    void reductionsAreExact(long seed) {
        Random r = new Random(seed);
        long[] a = bigLongs(r, 15);
        Tensor t = Tensor.fromArray(a, Shape.of(3, 5));
        long total = 0;
        long max = Long.MIN_VALUE;
        int argmax = 0;
        for (int i = 0; i < a.length; i++) {
            total += a[i];
            if (a[i] > max) {
                max = a[i];
                argmax = i;
            }
        }
        assertThat(t.sum().longItem()).isEqualTo(total);
        assertThat(t.max().longItem()).isEqualTo(max);
        assertThat(t.argmax().longItem()).isEqualTo(argmax);
        long[] rowSums = t.sum(1, false).toLongArray();
        long[] colMins = t.min(0, false).toLongArray();
        for (int i = 0; i < 3; i++) {
            assertThat(rowSums[i]).isEqualTo(a[5 * i] + a[5 * i + 1] + a[5 * i + 2] + a[5 * i + 3] + a[5 * i + 4]);
        }
        for (int j = 0; j < 5; j++) {
            assertThat(colMins[j]).isEqualTo(Math.min(a[j], Math.min(a[5 + j], a[10 + j])));
        }
        assertThat(t.sum().dtype()).isEqualTo(DType.INT64);
    }

    @Test
    void copiesViewsAndInPlaceWritesKeepEveryBit() {
        long big = (1L << 53) + 1;
        Tensor t = Tensor.fromArray(new long[] {big, big + 2, -big, Long.MAX_VALUE, Long.MIN_VALUE, 7}, Shape.of(2, 3));
        assertThat(t.t().contiguous().toLongArray())
                .containsExactly(big, Long.MAX_VALUE, big + 2, Long.MIN_VALUE, -big, 7);
        assertThat(Tensor.cat(new Tensor[] {t, t}, 1).toLongArray()).containsExactly(big, big + 2, -big, big, big + 2,
                -big, Long.MAX_VALUE, Long.MIN_VALUE, 7, Long.MAX_VALUE, Long.MIN_VALUE, 7);
        assertThat(t.cloneTensor().toLongArray()).containsExactly(t.toLongArray());

        Tensor u = t.cloneTensor();
        u.add_(Tensor.of(1L));
        assertThat(u.toLongArray()).containsExactly(big + 1, big + 3, -big + 1, Long.MIN_VALUE, Long.MIN_VALUE + 1, 8);
        u.copy_(t);
        assertThat(u.toLongArray()).containsExactly(t.toLongArray());
        u.fill_(3);
        assertThat(u.toLongArray()).containsOnly(3L);
        assertThat(t.toString()).isEqualTo("tensor([[    9007199254740993,     9007199254740995,    -9007199254740993],\n"
                + "        [ 9223372036854775807, -9223372036854775808,                    7]])");
    }

    @Test
    void conversionToFloatRoundsTheLongOnce() {
        // Through double first, 2^60 + 2^36 + 1 loses its last bit and then ties to even (2^60); rounded once
        // it goes up, as PyTorch's int64 -> float32 conversion does.
        long v = (1L << 60) + (1L << 36) + 1;
        float once = Tensor.of(v).to(DType.FLOAT32).toFloatArray()[0];
        assertThat(new BigDecimal(once)).isEqualTo(new BigDecimal((1L << 60) + (1L << 37)));
        assertThat(Tensor.of(v).to(DType.FLOAT64).toArray()[0]).isEqualTo((double) v);
        assertThat(Tensor.of(v, 0L).to(DType.BOOL).toString()).isEqualTo("tensor([ True, False])");
        assertThat(Tensor.of(true, false).to(DType.INT64).toLongArray()).containsExactly(1L, 0L);
        assertThat(Tensor.of(true, true).sum().longItem()).isEqualTo(2);
    }
}
