package dev.jconv.data;

import dev.jconv.storage.DType;
import dev.jconv.storage.Shape;
import dev.jconv.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Fashion-MNIST: 28×28 grey images of clothing in 10 classes, 60,000 for training and 10,000 for testing,
 * read from the IDX files of Debian's {@code dataset-fashion-mnist} package (or any folder holding the
 * four files, gzip-compressed or not). jconv never downloads data. Examples are (1, 28, 28) float32 images
 * in [0, 1] (as torchvision's {@code ToTensor} gives them) with an int64 label.
 *
 * <pre>{@code
 * FashionMnist train = FashionMnist.load(FashionMnist.DEFAULT_DIR, true);
 * }</pre>
 */
public final class FashionMnist implements Dataset {
    /** Where Debian's {@code dataset-fashion-mnist} package installs the files. */
    public static final Path DEFAULT_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    /** The Debian package holding the data. */
    public static final String DEBIAN_PACKAGE = "dataset-fashion-mnist";
    /** Side length of every image. */
    public static final int SIDE = 28;
    /** The class names, indexed by label, as D2L's {@code get_fashion_mnist_labels} spells them. */
    public static final List<String> CLASS_NAMES = List.of("t-shirt", "trouser", "pullover", "dress", "coat",
            "sandal", "shirt", "sneaker", "bag", "ankle boot");

    private final byte[] pixels;
    private final byte[] labels;
    private final int count;
    private final boolean train;

    private FashionMnist(byte[] pixels, byte[] labels, int count, boolean train) {
        this.pixels = pixels;
        this.labels = labels;
        this.count = count;
        this.train = train;
    }

    /** The training set ({@code train = true}) or the test set from {@link #DEFAULT_DIR}. */
    public static FashionMnist load(boolean train) {
        return load(DEFAULT_DIR, train);
    }

    /**
     * Reads the training set ({@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte}) or the test
     * set ({@code t10k-…}) from {@code dir}; each file may also be gzip-compressed with a {@code .gz} name.
     *
     * @throws DatasetNotFoundException if a file is missing; the message says how to install the data
     * @throws MalformedDataException if a file is corrupt, the two files disagree in count, an image is not
     *     28×28 or a label is not a class index 0..9
     */
    public static FashionMnist load(Path dir, boolean train) {
        String prefix = train ? "train" : "t10k";
        Path imagesFile = find(dir, prefix + "-images-idx3-ubyte");
        Path labelsFile = find(dir, prefix + "-labels-idx1-ubyte");
        IdxReader.IdxArray images = IdxReader.readImages(imagesFile);
        IdxReader.IdxArray labels = IdxReader.readLabels(labelsFile);
        if (images.count() != labels.count()) {
            throw new MalformedDataException(labelsFile, "holds " + labels.count() + " labels but the images file "
                    + imagesFile + " holds " + images.count() + " images: the two files must agree");
        }
        if (images.dims()[1] != SIDE || images.dims()[2] != SIDE) {
            throw new MalformedDataException(imagesFile, "holds " + images.dims()[1] + "×" + images.dims()[2]
                    + " images; Fashion-MNIST images are " + SIDE + "×" + SIDE);
        }
        byte[] y = labels.data();
        for (int i = 0; i < y.length; i++) {
            if ((y[i] & 0xff) >= CLASS_NAMES.size()) {
                throw new MalformedDataException(labelsFile, "label " + (y[i] & 0xff) + " at index " + i
                        + " is not a class index 0.." + (CLASS_NAMES.size() - 1));
            }
        }
        return new FashionMnist(images.data(), y, images.count(), train);
    }

    private static Path find(Path dir, String name) {
        Path plain = dir.resolve(name);
        if (Files.isRegularFile(plain)) {
            return plain;
        }
        Path gz = dir.resolve(name + ".gz");
        if (Files.isRegularFile(gz)) {
            return gz;
        }
        String where = Files.isDirectory(dir) ? dir + " has no " + name + " or " + name + ".gz"
                : dir + " does not exist";
        throw new DatasetNotFoundException("Fashion-MNIST not found: " + where + ". Install with `sudo apt-get "
                + "install " + DEBIAN_PACKAGE + "` or pass `--data DIR`");
    }

    @Override
    public int size() {
        return count;
    }

    /** Whether this is the training set (otherwise the test set). */
    public boolean isTrain() {
        return train;
    }

    /** Image {@code index} as (1, 28, 28) float32 in [0, 1] ({@code pixel / 255}) and its int64 label. */
    @Override
    public Example get(int index) {
        java.util.Objects.checkIndex(index, count);
        int plane = SIDE * SIDE;
        double[] v = new double[plane];
        for (int i = 0; i < plane; i++) {
            v[i] = Transforms.byteToUnit(pixels[index * plane + i] & 0xff);
        }
        return new Example(Tensor.fromArray(v, Shape.of(1, SIDE, SIDE), DType.FLOAT32),
                Tensor.scalar(label(index), DType.INT64));
    }

    /** The class index 0..9 of example {@code index}. */
    public int label(int index) {
        java.util.Objects.checkIndex(index, count);
        return labels[index];
    }

    /** The class name of a label 0..9, like D2L's {@code get_fashion_mnist_labels}. */
    public static String className(int label) {
        if (label < 0 || label >= CLASS_NAMES.size()) {
            throw new IllegalArgumentException("Fashion-MNIST labels are 0.." + (CLASS_NAMES.size() - 1) + ", got "
                    + label);
        }
        return CLASS_NAMES.get(label);
    }

    /** The class names of a vector of labels ({@code get_fashion_mnist_labels(labels)}). */
    public static List<String> classNames(Tensor labels) {
        List<String> names = new ArrayList<>();
        for (long label : labels.flatten().toLongArray()) {
            names.add(className((int) label));
        }
        return names;
    }

    @Override
    public String toString() {
        return "FashionMnist(" + (train ? "train" : "test") + ", " + count + " examples)";
    }
}
