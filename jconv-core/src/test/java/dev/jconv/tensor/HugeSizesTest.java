package dev.jconv.tensor;

import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jconv.nn.Functional;
import dev.jconv.storage.DType;
import dev.jconv.storage.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Sizes beyond what a tensor or the heap can hold get messages that say so, not a wrapped int or a bare error. */
class HugeSizesTest {

    @ParameterizedTest
    @ValueSource(ints = {32767, 50000, Integer.MAX_VALUE / 2, Integer.MAX_VALUE})
    void aPaddingThatWouldOverflowTheOutputIsRefusedForBothDtypes(int padding) {
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            Tensor x = Tensor.zeros(Shape.of(1, 1, 4, 4), dtype);
            Tensor w = Tensor.zeros(Shape.of(2, 1, 3, 3), dtype);
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> Functional.conv2d(x, w, null, new int[] {1, 1}, new int[] {padding, padding},
                            new int[] {1, 1}, 1))
                    .withMessageContaining("more than a tensor can hold")
                    .withMessageContaining("[1, 1, 4, 4]");
        }
    }

    @Test
    void aTensorLargerThanTheHeapSaysHowMuchItNeedsAndHowToRaiseTheHeap() {
        long needed = 4L * 46340 * 46340;
        if (needed < Runtime.getRuntime().maxMemory()) {
            return; // a heap this large would hold it: nothing to refuse
        }
        assertThatThrownBy(() -> Tensor.zeros(46340, 46340)).isInstanceOf(OutOfMemoryError.class)
                .hasMessageContaining("needs 8.0 GiB").hasMessageContaining("-Xmx");
    }
}
