package dev.jconv.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The shared team: every index once, failures passed to the caller, nested and concurrent calls. */
class ParallelTest {

    @AfterEach
    void restore() {
        Parallel.setThreads(Runtime.getRuntime().availableProcessors());
    }

    @ParameterizedTest
    @CsvSource({"1, 0, 1", "2, 1, 1", "2, 1000, 1", "3, 1000, 7", "4, 12345, 64", "2, 5, 5", "2, 6, 5"})
    void visitsEveryIndexExactlyOnce(int threads, int n, int grain) {
        Parallel.setThreads(threads);
        var seen = new AtomicIntegerArray(n);
        for (int round = 0; round < 50; round++) { // back-to-back regions: helpers still spinning or parked
            Parallel.forRange(n, grain, i -> seen.incrementAndGet(i));
        }
        for (int i = 0; i < n; i++) {
            assertThat(seen.get(i)).as("index %d", i).isEqualTo(50);
        }
        assertThat(Parallel.threads()).isEqualTo(threads);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4})
    void aFailingIndexFailsTheCallWithItsOwnException(int threads) {
        Parallel.setThreads(threads);
        assertThatThrownBy(() -> Parallel.forRange(1000, 1, i -> {
            if (i == 617) {
                throw new IllegalArgumentException("index " + i);
            }
        })).isInstanceOf(IllegalArgumentException.class).hasMessage("index 617");
        var seen = new AtomicIntegerArray(100); // the team is usable again
        Parallel.forRange(100, 1, seen::incrementAndGet);
        for (int i = 0; i < 100; i++) {
            assertThat(seen.get(i)).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void nestedRegionsRunInline(int threads) {
        Parallel.setThreads(threads);
        var seen = new AtomicIntegerArray(40 * 30);
        Parallel.forRange(40, 1, i -> Parallel.forRange(30, 1, j -> seen.incrementAndGet(i * 30 + j)));
        for (int k = 0; k < seen.length(); k++) {
            assertThat(seen.get(k)).as("index %d", k).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 4})
    void callersOnTwoThreadsBothFinish(int threads) throws Exception {
        Parallel.setThreads(threads);
        int n = 20_000;
        var a = new AtomicIntegerArray(n);
        var b = new AtomicIntegerArray(n);
        var start = new CountDownLatch(1);
        var failure = new AtomicReference<Throwable>();
        Thread other = new Thread(() -> {
            try {
                start.await();
                for (int r = 0; r < 20; r++) {
                    Parallel.forRange(n, 16, b::incrementAndGet);
                }
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        other.start();
        start.countDown();
        for (int r = 0; r < 20; r++) {
            Parallel.forRange(n, 16, a::incrementAndGet);
        }
        other.join();
        assertThat(failure.get()).isNull();
        for (int i = 0; i < n; i++) {
            assertThat(a.get(i)).isEqualTo(20);
            assertThat(b.get(i)).isEqualTo(20);
        }
    }
}
