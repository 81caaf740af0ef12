package dev.jconv.spark;

import dev.jconv.data.Example;
import dev.jconv.data.Transform;
import dev.jconv.storage.DType;
import dev.jconv.storage.Shape;
import dev.jconv.tensor.Tensor;
import java.io.Serializable;

/**
 * A contiguous run of training examples, {@code first} to {@code first + count - 1} in the data set's
 * numbering: one partition of a {@link TrainingSet}. Holding a partition as one block of flat arrays lets a
 * task find an example by index without a search, and keeps Spark's per-record overhead out of the cache.
 *
 * @param first       the index of the first example
 * @param count       how many examples the block holds
 * @param imageShape  the shape of one image, e.g. (1, 28, 28)
 * @param images      the images' float32 values, one after the other
 * @param labels      the class index of each example
 */
public record ExampleBlock(int first, int count, int[] imageShape, float[] images, int[] labels)
        implements Serializable {

    /** Whether example {@code index} (in the data set's numbering) is in this block. */
    public boolean holds(int index) {
        return index >= first && index < first + count;
    }

    /**
     * The examples {@code indices} (in the data set's numbering, all in this block), in that order, as a batch:
     * images (n, C, H, W) float32 and labels (n) int64.
     */
    public dev.jconv.data.Batch batch(int[] indices) {
        int plane = Shape.of(imageShape).numel();
        double[] x = new double[indices.length * plane];
        double[] y = new double[indices.length];
        for (int i = 0; i < indices.length; i++) {
            int local = indices[i] - first;
            if (local < 0 || local >= count) {
                throw new IndexOutOfBoundsException("example " + indices[i] + " is not in block [" + first + ", "
                        + (first + count) + ")");
            }
            for (int k = 0; k < plane; k++) {
                x[i * plane + k] = images[local * plane + k];
            }
            y[i] = labels[local];
        }
        int[] dims = new int[imageShape.length + 1];
        dims[0] = indices.length;
        System.arraycopy(imageShape, 0, dims, 1, imageShape.length);
        return new dev.jconv.data.Batch(Tensor.fromArray(x, Shape.of(dims), DType.FLOAT32),
                Tensor.fromArray(y, Shape.of(indices.length), DType.INT64));
    }

    /**
     * The examples {@code indices} as {@link #batch(int[])} gives them, each image passed through
     * {@code transform} first, as a {@link dev.jconv.data.DataLoader} with that transform assembles its batches.
     */
    public dev.jconv.data.Batch batch(int[] indices, Transform transform) {
        dev.jconv.data.Batch plain = batch(indices);
        Tensor[] images = new Tensor[indices.length];
        for (int i = 0; i < indices.length; i++) {
            images[i] = transform.apply(plain.images().select(0, i));
        }
        return new dev.jconv.data.Batch(Tensor.stack(images, 0), plain.labels());
    }

    /** Copies examples {@code first} … {@code first + count - 1} of a jconv data set into a block. */
    public static ExampleBlock of(dev.jconv.data.Dataset data, int first, int count) {
        int[] shape = null;
        float[] images = null;
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            Example e = data.get(first + i);
            if (shape == null) {
                shape = e.image().shape().toArray();
                images = new float[count * e.image().numel()];
            }
            float[] v = e.image().toFloatArray();
            if (v.length * count != images.length) {
                throw new IllegalArgumentException("example " + (first + i) + " has " + v.length + " values, not "
                        + images.length / count + " as the first one of its block");
            }
            System.arraycopy(v, 0, images, i * v.length, v.length);
            labels[i] = (int) e.label().item();
        }
        return new ExampleBlock(first, count, shape == null ? new int[0] : shape,
                images == null ? new float[0] : images, labels);
    }
}
