package dev.jconv.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.jconv.storage.DType;
import dev.jconv.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FashionMnistTest {
    @TempDir
    Path dir;

    /** Writes a small Fashion-MNIST lookalike; returns its pixels. */
    private byte[] writeSet(String prefix, int count, long seed, boolean gzip) {
        Random random = new Random(seed);
        byte[] pixels = new byte[count * 28 * 28];
        random.nextBytes(pixels);
        byte[] labels = new byte[count];
        for (int i = 0; i < count; i++) {
            labels[i] = (byte) random.nextInt(10);
        }
        String gz = gzip ? ".gz" : "";
        IdxFiles.write(dir, prefix + "-images-idx3-ubyte" + gz, IdxFiles.images(count, 28, 28, pixels), gzip);
        IdxFiles.write(dir, prefix + "-labels-idx1-ubyte" + gz, IdxFiles.labels(labels), gzip);
        return IdxFiles.concat(labels, pixels);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void loadsGeneratedFilesAsFloatImagesInUnitRangeAndInt64Labels(boolean gzip) {
        byte[] labelsThenPixels = writeSet("train", 5, 11, gzip);
        writeSet("t10k", 3, 12, gzip);

        FashionMnist train = FashionMnist.load(dir, true);
        FashionMnist test = FashionMnist.load(dir, false);

        assertThat(train.size()).isEqualTo(5);
        assertThat(test.size()).isEqualTo(3);
        assertThat(train.isTrain()).isTrue();
        assertThat(test.isTrain()).isFalse();
        for (int i = 0; i < 5; i++) {
            Example e = train.get(i);
            assertThat(e.image().shape().toArray()).containsExactly(1, 28, 28);
            assertThat(e.image().dtype()).isEqualTo(DType.FLOAT32);
            assertThat(e.label().dtype()).isEqualTo(DType.INT64);
            assertThat(e.label().dim()).isZero();
            assertThat((int) e.label().item()).isEqualTo(labelsThenPixels[i]).isEqualTo(train.label(i));
            double[] v = e.image().toArray();
            for (int p = 0; p < v.length; p++) {
                int raw = labelsThenPixels[5 + i * 784 + p] & 0xff;
                assertThat(v[p]).isEqualTo((double) (raw / 255f)).isBetween(0.0, 1.0);
            }
        }
        assertThatThrownBy(() -> train.get(5)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void labelAndImageCountsMustAgreeNamingBothFiles() {
        writeSet("train", 4, 1, true);
        Path labels = IdxFiles.write(dir, "train-labels-idx1-ubyte.gz", IdxFiles.labels(new byte[3]), true);
        Path images = dir.resolve("train-images-idx3-ubyte.gz");
        assertThatThrownBy(() -> FashionMnist.load(dir, true))
                .isInstanceOf(MalformedDataException.class)
                .hasMessageContainingAll(labels.toString(), images.toString(), "3 labels", "4 images");
    }

    @Test
    void imagesMustBe28By28() {
        writeSet("t10k", 2, 1, false);
        Path images = IdxFiles.write(dir, "t10k-images-idx3-ubyte", IdxFiles.images(2, 32, 32, new byte[2 * 32 * 32]),
                false);
        assertThatThrownBy(() -> FashionMnist.load(dir, false))
                .isInstanceOf(MalformedDataException.class)
                .hasMessageContainingAll(images.toString(), "32×32", "28×28");
    }

    @Test
    void labelsMustBeClassIndices() {
        writeSet("train", 2, 1, false);
        IdxFiles.write(dir, "train-labels-idx1-ubyte", IdxFiles.labels(new byte[] {3, 10}), false);
        assertThatThrownBy(() -> FashionMnist.load(dir, true))
                .isInstanceOf(MalformedDataException.class)
                .hasMessageContaining("label 10 at index 1 is not a class index 0..9");
    }

    @Test
    void prefersThePlainFileWhenBothExist() {
        writeSet("train", 2, 1, true);
        byte[] plain = writeSet("train", 6, 2, false);
        assertThat(FashionMnist.load(dir, true).size()).isEqualTo(6);
        assertThat(FashionMnist.load(dir, true).label(0)).isEqualTo(plain[0]);
    }

    @Test
    void missingFilesSayHowToInstallThem() throws Exception {
        assertThatThrownBy(() -> FashionMnist.load(dir.resolve("nowhere"), true))
                .isInstanceOf(DatasetNotFoundException.class)
                .hasMessageContainingAll("nowhere does not exist",
                        "install with `sudo apt-get install dataset-fashion-mnist` or pass `--data DIR`".substring(1));
        writeSet("train", 1, 1, false);
        Files.delete(dir.resolve("train-labels-idx1-ubyte"));
        assertThatThrownBy(() -> FashionMnist.load(dir, true))
                .isInstanceOf(DatasetNotFoundException.class)
                .hasMessageContainingAll("no train-labels-idx1-ubyte or train-labels-idx1-ubyte.gz",
                        "sudo apt-get install dataset-fashion-mnist", "--data DIR")
                .hasMessageNotContaining("http");
    }

    @Test
    void classNamesAreD2lsLabels() {
        assertThat(FashionMnist.CLASS_NAMES).containsExactly("t-shirt", "trouser", "pullover", "dress", "coat",
                "sandal", "shirt", "sneaker", "bag", "ankle boot");
        assertThat(FashionMnist.className(9)).isEqualTo("ankle boot");
        assertThat(FashionMnist.classNames(Tensor.of(0L, 2L, 7L))).containsExactly("t-shirt", "pullover", "sneaker");
        assertThatThrownBy(() -> FashionMnist.className(10)).hasMessageContaining("0..9, got 10");
    }

    /**
     * The real files from Debian's package. Skipped where they are not installed, except under CI, which must
     * have them (its run script installs the package).
     */
    @Test
    void loadsTheRealDebianFiles() {
        Path real = FashionMnist.DEFAULT_DIR;
        if (!Files.isDirectory(real)) {
            String message = real + " is missing: install the Debian package dataset-fashion-mnist "
                    + "(sudo apt-get install dataset-fashion-mnist)";
            if ("true".equals(System.getenv("CI"))) {
                fail(message);
            }
            Assumptions.assumeTrue(false, message);
        }
        FashionMnist train = FashionMnist.load(true);
        FashionMnist test = FashionMnist.load(false);
        assertThat(train.size()).isEqualTo(60_000);
        assertThat(test.size()).isEqualTo(10_000);
        // Reference values computed from the same files with gzip + numpy.
        int[] trainFirst = new int[10];
        int[] testFirst = new int[10];
        for (int i = 0; i < 10; i++) {
            trainFirst[i] = train.label(i);
            testFirst[i] = test.label(i);
        }
        assertThat(trainFirst).containsExactly(9, 0, 0, 3, 0, 2, 7, 2, 5, 5);
        assertThat(testFirst).containsExactly(9, 2, 1, 1, 6, 1, 4, 6, 5, 7);
        int[] perClass = new int[10];
        for (int i = 0; i < train.size(); i++) {
            perClass[train.label(i)]++;
        }
        assertThat(perClass).containsOnly(6000);
        assertThat(pixelSum(train, 0)).isEqualTo(76247);
        assertThat(pixelSum(train, 59_999)).isEqualTo(16684);
        assertThat(pixelSum(test, 0)).isEqualTo(33456);
        assertThat(pixelSum(test, 9_999)).isEqualTo(24390);
        // torch.tensor(image[10]).float().div(255)[10:14] for the first training image.
        double[] row = train.get(0).image().slice(1, 10, 11).toArray();
        assertThat(new double[] {row[10], row[11], row[12], row[13]})
                .containsExactly(0.0, 0.0, 0.0, 0.7568627595901489);
    }

    private static long pixelSum(FashionMnist set, int index) {
        long sum = 0;
        for (double v : set.get(index).image().toArray()) {
            sum += Math.round(v * 255);
        }
        return sum;
    }
}
