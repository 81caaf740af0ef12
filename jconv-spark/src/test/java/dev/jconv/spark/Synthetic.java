package dev.jconv.spark;

import dev.jconv.data.Dataset;
import dev.jconv.data.Example;
import dev.jconv.random.Generator;
import dev.jconv.storage.DType;
import dev.jconv.storage.Shape;
import dev.jconv.tensor.Tensor;

/** A small Fashion-MNIST-shaped data set of random images and labels, the same for every seed. */
final class Synthetic implements Dataset {
    private final Tensor images;
    private final long[] labels;

    Synthetic(int n, long seed) {
        Generator g = new Generator(seed);
        images = Tensor.rand(Shape.of(n, 1, 28, 28), DType.FLOAT32, g);
        labels = new long[n];
        double[] u = Tensor.rand(Shape.of(n), DType.FLOAT64, g).toArray();
        for (int i = 0; i < n; i++) {
            labels[i] = (long) (u[i] * 10);
        }
    }

    @Override
    public int size() {
        return labels.length;
    }

    @Override
    public Example get(int index) {
        return new Example(images.select(0, index), Tensor.scalar(labels[index], DType.INT64));
    }
}
