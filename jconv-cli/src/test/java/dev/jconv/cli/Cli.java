package dev.jconv.cli;

import dev.jconv.kernels.Parallel;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** Runs the command line in-process and captures what it printed; makes a tiny Fashion-MNIST look-alike. */
final class Cli {
    private Cli() {
    }

    /** What one run did. */
    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        // --threads changes the shared pool: put it back, so later tests in this JVM keep their threads.
        int threads = Parallel.threads();
        int code;
        try {
            code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
        } finally {
            Parallel.setThreads(threads);
        }
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /**
     * Writes the four IDX files of a Fashion-MNIST-shaped data set with {@code n} random images in each split,
     * so training can be exercised in a second without the Debian package.
     */
    static Path tinyFashionMnist(Path dir, int n) throws IOException {
        Files.createDirectories(dir);
        Random random = new Random(1);
        for (String split : new String[] {"train", "t10k"}) {
            byte[] pixels = new byte[n * 28 * 28];
            random.nextBytes(pixels);
            byte[] labels = new byte[n];
            for (int i = 0; i < n; i++) {
                labels[i] = (byte) (i % 10);
            }
            write(dir.resolve(split + "-images-idx3-ubyte"), 0x00000803, new int[] {n, 28, 28}, pixels);
            write(dir.resolve(split + "-labels-idx1-ubyte"), 0x00000801, new int[] {n}, labels);
        }
        return dir;
    }

    private static void write(Path file, int magic, int[] dims, byte[] data) throws IOException {
        try (var out = new DataOutputStream(Files.newOutputStream(file))) {
            out.writeInt(magic);
            for (int d : dims) {
                out.writeInt(d);
            }
            out.write(data);
        }
    }
}
