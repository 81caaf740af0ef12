package dev.jconv.viz;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import javax.imageio.ImageIO;

/**
 * Writes files so that readers see either the old file or the complete new one: the bytes go to a
 * temporary file in the target's directory (same file system, so the rename is atomic), which is then
 * moved over the target.
 */
final class AtomicFiles {
    private static final SecureRandom RANDOM = new SecureRandom();

    private AtomicFiles() {}

    /** Writes the bytes a body produces. */
    interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    static void write(Path target, Body body) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        Path temp = null;
        try {
            OutputStream stream = null;
            while (stream == null) {
                // Hidden and suffixed, so a glob for *.png never picks up a half-written file. Not
                // Files.createTempFile: its files are private (0600) and the move would keep that; a new file
                // gets the permissions the umask gives, like any file the user writes.
                temp = dir.resolve("." + absolute.getFileName() + "." + Long.toUnsignedString(RANDOM.nextLong(), 36)
                        + ".tmp");
                try {
                    stream = Files.newOutputStream(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                } catch (FileAlreadyExistsException e) {
                    temp = null;
                }
            }
            try (OutputStream out = stream) {
                body.writeTo(out);
            }
            try {
                Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                // A file system without atomic rename (some network mounts): replacing is the best left.
                Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            if (temp != null) {
                Files.deleteIfExists(temp);
            }
        }
    }

    static void writeText(Path target, String text) throws IOException {
        write(target, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    static void writePng(Path target, BufferedImage image) throws IOException {
        write(target, out -> {
            if (!ImageIO.write(image, "png", out)) {
                throw new IOException("no PNG writer in this JDK (ImageIO)");
            }
        });
    }
}
