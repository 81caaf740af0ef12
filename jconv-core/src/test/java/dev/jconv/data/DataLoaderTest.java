package dev.jconv.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jconv.random.Generator;
import dev.jconv.storage.DType;
import dev.jconv.storage.Shape;
import dev.jconv.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class DataLoaderTest {
    /** Example i: a (1, 2, 3) image filled with i, labelled i; records the threads that read it. */
    static class Numbers implements Dataset {
        final int n;
        final Set<String> threads = ConcurrentHashMap.newKeySet();

        Numbers(int n) {
            this.n = n;
        }

        @Override
        public int size() {
            return n;
        }

        @Override
        public Example get(int index) {
            threads.add(Thread.currentThread().getName());
            return new Example(Tensor.full(Shape.of(1, 2, 3), index, DType.FLOAT32), Tensor.scalar(index, DType.INT64));
        }
    }

    /** The labels of each batch of one epoch. */
    private static List<List<Long>> epoch(DataLoader loader) {
        List<List<Long>> out = new ArrayList<>();
        for (Batch b : loader) {
            List<Long> labels = new ArrayList<>();
            for (long v : b.labels().toLongArray()) {
                labels.add(v);
            }
            out.add(labels);
        }
        return out;
    }

    private static List<List<Long>> lists(long[][] batches) {
        return Arrays.stream(batches).map(b -> Arrays.stream(b).boxed().toList()).toList();
    }

    @Test
    void batchesInOrderWithAPartialLastBatch() {
        DataLoader loader = DataLoader.builder(new Numbers(10)).batchSize(4).build();
        assertThat(loader.size()).isEqualTo(3);
        List<Batch> batches = new ArrayList<>();
        loader.forEach(batches::add);
        assertThat(batches).hasSize(3);
        assertThat(batches.get(0).images().shape().toArray()).containsExactly(4, 1, 2, 3);
        assertThat(batches.get(0).images().dtype()).isEqualTo(DType.FLOAT32);
        assertThat(batches.get(0).labels().shape().toArray()).containsExactly(4);
        assertThat(batches.get(0).labels().dtype()).isEqualTo(DType.INT64);
        assertThat(batches.get(2).size()).isEqualTo(2);
        assertThat(batches.get(2).images().shape().toArray()).containsExactly(2, 1, 2, 3);
        assertThat(batches.get(2).images().toArray()).containsExactly(8, 8, 8, 8, 8, 8, 9, 9, 9, 9, 9, 9);
        assertThat(epoch(loader)).isEqualTo(lists(new long[][] {{0, 1, 2, 3}, {4, 5, 6, 7}, {8, 9}}));
    }

    @Test
    void dropLastLeavesOutTheSmallBatch() {
        DataLoader loader = DataLoader.builder(new Numbers(10)).batchSize(4).dropLast(true).build();
        assertThat(loader.size()).isEqualTo(2);
        assertThat(epoch(loader)).isEqualTo(lists(new long[][] {{0, 1, 2, 3}, {4, 5, 6, 7}}));
        DataLoader exact = DataLoader.builder(new Numbers(8)).batchSize(4).dropLast(true).build();
        assertThat(exact.size()).isEqualTo(2);
        assertThat(epoch(exact)).hasSize(2);
        DataLoader tooFew = DataLoader.builder(new Numbers(3)).batchSize(4).dropLast(true).build();
        assertThat(tooFew.size()).isZero();
        assertThat(epoch(tooFew)).isEmpty();
    }

    /** Expected batches and generator draws from PyTorch 1.13 (see the comment in the test). */
    static Stream<Arguments> pytorchShuffles() {
        // for each case, in Python:
        //   g = torch.Generator().manual_seed(seed)
        //   for epoch in range(2): [b.tolist() for b in DataLoader(list(range(n)), batch_size=bs, shuffle=True,
        //                                                          generator=g, drop_last=drop)]
        //   torch.randint(0, 1000, (3,), generator=g).tolist()
        return Stream.of(
                Arguments.of(10, 4, 0L, false, new long[][] {{3, 7, 5, 2}, {0, 8, 1, 6}, {9, 4}},
                        new long[][] {{1, 3, 2, 7}, {5, 9, 0, 6}, {4, 8}}, new long[] {778, 43, 896}),
                Arguments.of(10, 4, 0L, true, new long[][] {{3, 7, 5, 2}, {0, 8, 1, 6}},
                        new long[][] {{1, 3, 2, 7}, {5, 9, 0, 6}}, new long[] {778, 43, 896}),
                Arguments.of(8, 4, 3L, false, new long[][] {{1, 5, 6, 3}, {4, 7, 0, 2}},
                        new long[][] {{0, 6, 2, 7}, {3, 1, 5, 4}}, new long[] {404, 233, 19}),
                Arguments.of(8, 4, 3L, true, new long[][] {{1, 5, 6, 3}, {4, 7, 0, 2}},
                        new long[][] {{0, 6, 2, 7}, {3, 1, 5, 4}}, new long[] {404, 233, 19}),
                Arguments.of(7, 7, 5L, true, new long[][] {{2, 4, 3, 5, 0, 6, 1}},
                        new long[][] {{4, 1, 0, 2, 3, 6, 5}}, new long[] {783, 166, 404}));
    }

    @ParameterizedTest
    @MethodSource("pytorchShuffles")
    void shuffleMatchesPyTorchsDataLoaderEpochAfterEpoch(int n, int batchSize, long seed, boolean dropLast,
            long[][] first, long[][] second, long[] drawsAfter) {
        Generator g = new Generator(seed);
        DataLoader loader = DataLoader.builder(new Numbers(n)).batchSize(batchSize).shuffle(true).generator(g)
                .dropLast(dropLast).build();
        assertThat(epoch(loader)).isEqualTo(lists(first));
        assertThat(epoch(loader)).isEqualTo(lists(second));
        assertThat(g.randint(0, 1000, 3)).containsExactly(drawsAfter);
    }

    @Test
    void anEpochLeftEarlyDrawsOnlyTheBaseSeedAndOnePermutation() {
        Generator g = new Generator(0);
        DataLoader loader = DataLoader.builder(new Numbers(10)).batchSize(4).shuffle(true).generator(g).build();
        Iterator<Batch> it = loader.iterator();
        assertThat(it.next().labels().toLongArray()).containsExactly(3, 7, 5, 2);
        // PyTorch: break after the first batch, then torch.randint(0, 1000, (3,), generator=g)
        assertThat(g.randint(0, 1000, 3)).containsExactly(866, 756, 399);
    }

    @Test
    void withoutAGeneratorItUsesTheGlobalStreamAsPyTorchDoes() {
        // torch.manual_seed(0); DataLoader(list(range(10)), batch_size=10, shuffle=True); then torch.rand(1)
        Tensor.manualSeed(0);
        DataLoader loader = DataLoader.builder(new Numbers(10)).batchSize(10).shuffle(true).build();
        assertThat(epoch(loader)).isEqualTo(lists(new long[][] {{6, 7, 1, 4, 2, 0, 9, 8, 3, 5}}));
        assertThat(Tensor.rand(1).item()).isEqualTo(0.30742281675338745);
        // Even without shuffling each epoch draws the workers' base seed from the global generator.
        Tensor.manualSeed(0);
        epoch(DataLoader.builder(new Numbers(3)).build());
        assertThat(Tensor.rand(1).item()).isEqualTo(0.08847743272781372);
    }

    static Stream<Arguments> seeds() {
        return Stream.of(1L, 7L, 42L, 1234L, 99999L).map(Arguments::of);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void shuffledEpochVisitsEveryExampleOnceAndIsTheSameWhateverThePrefetch(long seed) {
        java.util.Random random = new java.util.Random(seed);
        int n = 1 + random.nextInt(200);
        int batchSize = 1 + random.nextInt(40);
        boolean dropLast = random.nextBoolean();
        List<List<List<Long>>> byPrefetch = new ArrayList<>();
        for (int prefetch = 0; prefetch <= 2; prefetch++) {
            DataLoader loader = DataLoader.builder(new Numbers(n)).batchSize(batchSize).shuffle(true)
                    .generator(new Generator(seed)).dropLast(dropLast).prefetch(prefetch).build();
            List<List<Long>> one = epoch(loader);
            List<List<Long>> two = epoch(loader);
            byPrefetch.add(List.of(one.stream().flatMap(List::stream).toList(),
                    two.stream().flatMap(List::stream).toList()));
            assertThat(one).hasSize(loader.size());
            Set<Long> seen = new HashSet<>();
            for (List<Long> batch : one) {
                assertThat(batch.size()).isLessThanOrEqualTo(batchSize);
                if (dropLast) {
                    assertThat(batch).hasSize(batchSize);
                }
                for (long v : batch) {
                    assertThat(seen.add(v)).as("example %d seen twice", v).isTrue();
                    assertThat(v).isBetween(0L, n - 1L);
                }
            }
            assertThat(seen).hasSize(dropLast ? n / batchSize * batchSize : n);
        }
        assertThat(byPrefetch.get(1)).isEqualTo(byPrefetch.get(0));
        assertThat(byPrefetch.get(2)).isEqualTo(byPrefetch.get(0));
    }

    @Test
    void batchesAreAssembledOnABackgroundThread() {
        Numbers data = new Numbers(64);
        epoch(DataLoader.builder(data).batchSize(8).build());
        assertThat(data.threads).isNotEmpty().allMatch(name -> name.startsWith("jconv-data-prefetch-"));
        Numbers inline = new Numbers(8);
        epoch(DataLoader.builder(inline).batchSize(8).prefetch(0).build());
        assertThat(inline.threads).containsExactly(Thread.currentThread().getName());
    }

    @Test
    void anErrorInTheBackgroundReachesTheCaller() {
        Dataset broken = new Numbers(10) {
            @Override
            public Example get(int index) {
                if (index == 6) {
                    throw new IllegalStateException("cannot read example 6");
                }
                return super.get(index);
            }
        };
        Iterator<Batch> it = DataLoader.builder(broken).batchSize(4).build().iterator();
        it.next();
        assertThatThrownBy(it::next).isInstanceOf(IllegalStateException.class).hasMessage("cannot read example 6");
    }

    @Test
    void transformsRunInOrderOnEveryImage() {
        DataLoader loader = DataLoader.builder(new Numbers(3)).batchSize(3)
                .transform(Transforms.normalize(1, 2))
                .transform(Transforms.pad(1))
                .build();
        Batch b = loader.iterator().next();
        assertThat(b.images().shape().toArray()).containsExactly(3, 1, 4, 5);
        double[] third = b.images().select(0, 2).toArray();
        // (2 - 1) / 2 inside, zeros on the border added after normalising
        assertThat(third[0]).isZero();
        assertThat(third[6]).isEqualTo(0.5);
        assertThat(Arrays.stream(third).filter(v -> v == 0.5).count()).isEqualTo(6);
    }

    @Test
    void iteratorEndsCleanly() {
        Iterator<Batch> it = DataLoader.builder(new Numbers(2)).batchSize(2).build().iterator();
        assertThat(it.hasNext()).isTrue();
        it.next();
        assertThat(it.hasNext()).isFalse();
        assertThatThrownBy(it::next).isInstanceOf(java.util.NoSuchElementException.class);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1})
    void badOptionsAreRefused(int value) {
        assertThatThrownBy(() -> DataLoader.builder(new Numbers(1)).batchSize(value))
                .hasMessageContaining("batch_size should be a positive integer value");
        assertThatThrownBy(() -> DataLoader.builder(new Numbers(1)).prefetch(value - 2))
                .hasMessageContaining("prefetch must be 0, 1 or 2");
        assertThatThrownBy(() -> DataLoader.builder(new Numbers(0)).shuffle(true).build())
                .hasMessageContaining("num_samples=0");
    }
}
