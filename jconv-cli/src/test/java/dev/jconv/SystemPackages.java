package dev.jconv;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** For tests that need something a Debian package installs: fail under CI (which installs it), else skip. */
public final class SystemPackages {
    private SystemPackages() {
    }

    /** Requires Fashion-MNIST's IDX files from {@code dataset-fashion-mnist}. */
    public static void requireFashionMnist() {
        Path dir = Path.of("/usr/share/datasets/fashion-mnist");
        if (!Files.isDirectory(dir)) {
            String message = dir + " is missing: install the Debian package dataset-fashion-mnist "
                    + "(sudo apt-get install dataset-fashion-mnist)";
            if ("true".equals(System.getenv("CI"))) {
                fail(message);
            }
            Assumptions.assumeTrue(false, message);
        }
    }
}
