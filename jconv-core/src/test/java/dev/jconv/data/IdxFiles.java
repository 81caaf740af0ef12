package dev.jconv.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

/** Builds IDX files (valid or deliberately broken) for the tests. */
final class IdxFiles {
    private IdxFiles() {
    }

    /** Header bytes: the 4-byte magic number then one big-endian 32-bit size per dimension. */
    static byte[] header(int magic, long... dims) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length);
        b.putInt(magic);
        for (long d : dims) {
            b.putInt((int) d);
        }
        return b.array();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Writes {@code content}, gzip-compressed when asked, to {@code dir/name}. */
    static Path write(Path dir, String name, byte[] content, boolean gzip) {
        try {
            return Files.write(dir.resolve(name), gzip ? gzip(content) : content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] labels(byte[] values) {
        return concat(header(IdxReader.LABELS_MAGIC, values.length), values);
    }

    static byte[] images(int count, int rows, int cols, byte[] pixels) {
        if (pixels.length != count * rows * cols) {
            throw new IllegalArgumentException("pixels " + pixels.length + " for " + Arrays.asList(count, rows, cols));
        }
        return concat(header(IdxReader.IMAGES_MAGIC, count, rows, cols), pixels);
    }
}
