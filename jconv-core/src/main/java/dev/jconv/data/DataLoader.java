package dev.jconv.data;

import dev.jconv.random.Generator;
import dev.jconv.storage.DType;
import dev.jconv.storage.Shape;
import dev.jconv.tensor.Tensor;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Mini-batches of a {@link Dataset}, like PyTorch's {@code DataLoader}: each {@link #iterator()} is one
 * epoch, yielding {@link Batch}es of images (N, C, H, W) and labels (N) int64, in order or shuffled.
 *
 * <pre>{@code
 * DataLoader train = DataLoader.builder(FashionMnist.load(true))
 *         .batchSize(256).shuffle(true).generator(new Generator(0))
 *         .transform(Transforms.pad(2))
 *         .build();
 * for (int epoch = 0; epoch < 10; epoch++) {
 *     for (Batch b : train) { ... b.images() ... b.labels() ... }
 * }
 * }</pre>
 *
 * <p><b>Same order as PyTorch.</b> The shuffled order is what {@code DataLoader(dataset, shuffle=True,
 * generator=g)} gives for a generator in the same state, epoch after epoch, and a loader draws from the
 * random streams exactly what PyTorch's does: at the start of every epoch one 64-bit value (the workers'
 * base seed, drawn even without shuffling, from the global generator when none is given); when shuffling,
 * {@code randperm(n)} from the generator at the first batch (without a generator, from a fresh generator
 * seeded by one more draw from the global one, as {@code RandomSampler} does), and one more
 * {@code randperm(n)} when the sampler runs out, which an epoch read to its end does.
 *
 * <p><b>Prefetching.</b> Batches are assembled (read, transformed, stacked) on a background thread, up to
 * {@link Builder#prefetch(int)} batches ahead of the one being used, so reading data does not hold up
 * training. Which examples go into which batch is fixed when the epoch starts, so the contents do not
 * depend on timing. The data set and transforms must therefore be safe to use from another thread.
 */
public final class DataLoader implements Iterable<Batch> {
    private static final AtomicInteger THREADS = new AtomicInteger();
    // Daemon threads that exit when idle: an epoch abandoned half-way leaves nothing running for long.
    private static final ExecutorService PREFETCH = Executors.newCachedThreadPool(task -> {
        Thread t = new Thread(task, "jconv-data-prefetch-" + THREADS.incrementAndGet());
        t.setDaemon(true);
        return t;
    });

    private final Dataset dataset;
    private final int batchSize;
    private final boolean shuffle;
    private final Generator generator;
    private final boolean dropLast;
    private final Transform transform;
    private final int prefetch;

    private DataLoader(Builder b) {
        this.dataset = b.dataset;
        this.batchSize = b.batchSize;
        this.shuffle = b.shuffle;
        this.generator = b.generator;
        this.dropLast = b.dropLast;
        this.transform = b.transform;
        this.prefetch = b.prefetch;
    }

    /** A builder for a loader over {@code dataset}: batch size 1, no shuffling, prefetching 2 batches. */
    public static Builder builder(Dataset dataset) {
        return new Builder(dataset);
    }

    /** Options of a {@link DataLoader}, named as PyTorch's keyword arguments. */
    public static final class Builder {
        private final Dataset dataset;
        private int batchSize = 1;
        private boolean shuffle;
        private Generator generator;
        private boolean dropLast;
        private Transform transform;
        private int prefetch = 2;

        private Builder(Dataset dataset) {
            this.dataset = Objects.requireNonNull(dataset, "dataset");
        }

        /** Examples per batch ({@code batch_size}); at least 1. */
        public Builder batchSize(int batchSize) {
            if (batchSize < 1) {
                throw new IllegalArgumentException("batch_size should be a positive integer value, but got batch_size="
                        + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        /** Whether each epoch visits the examples in a new random order ({@code shuffle}). */
        public Builder shuffle(boolean shuffle) {
            this.shuffle = shuffle;
            return this;
        }

        /** The generator to shuffle with ({@code generator}); null (the default) uses the global one. */
        public Builder generator(Generator generator) {
            this.generator = generator;
            return this;
        }

        /** Whether to leave out a last batch smaller than the batch size ({@code drop_last}). */
        public Builder dropLast(boolean dropLast) {
            this.dropLast = dropLast;
            return this;
        }

        /** Adds a transform applied to each image, after those already added. */
        public Builder transform(Transform next) {
            Objects.requireNonNull(next, "transform");
            transform = transform == null ? next : transform.andThen(next);
            return this;
        }

        /** How many batches to assemble ahead on a background thread: 0 (none, all on the caller's thread) to 2. */
        public Builder prefetch(int batches) {
            if (batches < 0 || batches > 2) {
                throw new IllegalArgumentException("prefetch must be 0, 1 or 2 batches, got " + batches);
            }
            this.prefetch = batches;
            return this;
        }

        /**
         * The loader.
         *
         * @throws IllegalArgumentException when shuffling an empty data set (as PyTorch's {@code RandomSampler})
         */
        public DataLoader build() {
            if (shuffle && dataset.size() <= 0) {
                throw new IllegalArgumentException("num_samples should be a positive integer value, but got "
                        + "num_samples=" + dataset.size());
            }
            return new DataLoader(this);
        }
    }

    /** The number of batches in an epoch ({@code len(loader)}). */
    public int size() {
        int n = dataset.size();
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    /** The data set read. */
    public Dataset dataset() {
        return dataset;
    }

    /** Examples per batch. */
    public int batchSize() {
        return batchSize;
    }

    /** One epoch; draws from the generator as described in the class documentation. */
    @Override
    public Iterator<Batch> iterator() {
        return new Epoch();
    }

    private Generator streamGenerator() {
        return generator != null ? generator : Generator.defaultGenerator();
    }

    private final class Epoch implements Iterator<Batch> {
        private final int n = dataset.size();
        private final int batches = size();
        private final ArrayDeque<Future<Batch>> ahead = new ArrayDeque<>();
        private int[] order;
        private int returned;
        private int submitted;
        private boolean samplerExhausted;

        Epoch() {
            // _BaseDataLoaderIter draws its base seed as the epoch starts, whether or not it shuffles.
            streamGenerator().nextLong64();
        }

        @Override
        public boolean hasNext() {
            start();
            if (returned < batches) {
                return true;
            }
            exhaustSamplerAt(returned);
            return false;
        }

        @Override
        public Batch next() {
            if (!hasNext()) {
                throw new NoSuchElementException("the epoch has ended after " + batches + " batches");
            }
            exhaustSamplerAt(returned);
            Batch batch;
            if (prefetch == 0) {
                batch = assemble(returned);
            } else {
                Future<Batch> next = ahead.poll();
                fill();
                batch = await(next);
            }
            returned++;
            return batch;
        }

        private void start() {
            if (order != null) {
                return;
            }
            order = new int[n];
            if (shuffle) {
                long[] perm = samplerGenerator().randperm(n);
                for (int i = 0; i < n; i++) {
                    order[i] = (int) perm[i];
                }
            } else {
                for (int i = 0; i < n; i++) {
                    order[i] = i;
                }
            }
            fill();
        }

        private Generator samplerGenerator() {
            if (generator != null) {
                return generator;
            }
            // RandomSampler without a generator seeds a fresh one from the global stream.
            long seed = Generator.defaultGenerator().nextLong64() & Long.MAX_VALUE;
            return new Generator(seed);
        }

        /**
         * The batch sampler reads example index n (running the sampler dry, which draws its second randperm)
         * while assembling batch n / batchSize: the partial last batch, or the request after the last batch.
         */
        private void exhaustSamplerAt(int batchIndex) {
            if (shuffle && generator != null && !samplerExhausted && batchIndex == n / batchSize) {
                samplerExhausted = true;
                generator.randperm(n);
            }
        }

        private void fill() {
            while (prefetch > 0 && submitted < batches && ahead.size() < prefetch) {
                int index = submitted++;
                ahead.add(PREFETCH.submit(() -> assemble(index)));
            }
        }

        private Batch await(Future<Batch> future) {
            try {
                return future.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the next batch", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                if (e.getCause() instanceof Error err) {
                    throw err;
                }
                throw new IllegalStateException("assembling a batch failed", e.getCause());
            }
        }

        private Batch assemble(int batchIndex) {
            int from = batchIndex * batchSize;
            int size = Math.min(batchSize, n - from);
            double[] images = null;
            double[] labels = new double[size];
            Shape shape = null;
            DType dtype = null;
            int per = 0;
            for (int j = 0; j < size; j++) {
                int index = order[from + j];
                Example example = dataset.get(index);
                Tensor image = transform == null ? example.image() : transform.apply(example.image());
                if (shape == null) {
                    shape = image.shape();
                    dtype = image.dtype();
                    per = image.numel();
                    images = new double[size * per];
                } else if (!image.shape().equals(shape) || image.dtype() != dtype) {
                    throw new IllegalArgumentException("example " + index + " has an image of shape "
                            + image.shape().dimsString() + " and dtype " + image.dtype() + ", but batch " + batchIndex
                            + " started with shape " + shape.dimsString() + " and dtype " + dtype
                            + ": images in a batch must agree");
                }
                System.arraycopy(image.toArray(), 0, images, j * per, per);
                if (example.label().numel() != 1) {
                    throw new IllegalArgumentException("example " + index + " has a label of shape "
                            + example.label().shape().dimsString() + "; a label is one class index");
                }
                labels[j] = example.label().item();
            }
            int[] dims = new int[shape.rank() + 1];
            dims[0] = size;
            System.arraycopy(shape.toArray(), 0, dims, 1, shape.rank());
            return new Batch(Tensor.fromArray(images, Shape.of(dims), dtype),
                    Tensor.fromArray(labels, Shape.of(size), DType.INT64));
        }
    }

    @Override
    public String toString() {
        return "DataLoader(" + dataset + ", batch_size=" + batchSize + ", shuffle=" + shuffle + ", drop_last="
                + dropLast + ", " + size() + " batches)";
    }
}
