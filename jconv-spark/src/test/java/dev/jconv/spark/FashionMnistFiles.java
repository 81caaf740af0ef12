package dev.jconv.spark;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * A small Fashion-MNIST folder for tests: the four IDX files, of 28×28 images each showing a bright stripe whose
 * row gives the label, over speckles that make every image different. Learnable in a few steps.
 */
final class FashionMnistFiles {
    private FashionMnistFiles() {
    }

    /** Writes {@code train} training and {@code test} test examples into {@code dir}; returns {@code dir}. */
    static Path write(Path dir, int train, int test) throws IOException {
        SplittableRandom random = new SplittableRandom(5);
        set(dir, "train", train, random);
        set(dir, "t10k", test, random);
        return dir;
    }

    private static void set(Path dir, String prefix, int n, SplittableRandom random) throws IOException {
        byte[] pixels = new byte[n * 28 * 28];
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            int label = random.nextInt(10);
            labels[i] = (byte) label;
            for (int k = 0; k < 40; k++) {
                pixels[i * 784 + random.nextInt(784)] = (byte) random.nextInt(128);
            }
            for (int x = 0; x < 28; x++) {
                pixels[i * 784 + (2 * label + 4) * 28 + x] = (byte) 255;
            }
        }
        writeIdx(dir.resolve(prefix + "-images-idx3-ubyte"), 0x803, new int[] {n, 28, 28}, pixels);
        writeIdx(dir.resolve(prefix + "-labels-idx1-ubyte"), 0x801, new int[] {n}, labels);
    }

    private static void writeIdx(Path file, int magic, int[] dims, byte[] data) throws IOException {
        Files.createDirectories(file.getParent());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(magic);
            for (int d : dims) {
                out.writeInt(d);
            }
            out.write(data);
        }
        Files.write(file, bytes.toByteArray());
    }
}
