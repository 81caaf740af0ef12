package dev.jconv.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.ZipException;

/**
 * Reads IDX files, the format of MNIST and Fashion-MNIST: a big-endian header (two zero bytes, a data type
 * byte, the rank, then one 32-bit size per dimension) followed by the values in row-major order. Only
 * unsigned-byte data is read: labels (magic 0x00000801, rank 1) and images
 * (0x00000803, N×rows×cols).
 *
 * <p>A file is read gzip-compressed or plain, told apart by gzip's magic number (not by its name).
 * Everything about a file is checked, and a bad file gives a {@link MalformedDataException} naming the file
 * and the problem: wrong magic number, data type or rank, a truncated header or data, bytes after the data,
 * and sizes in the header that the file cannot hold. The sizes are checked against the file's size (for
 * gzip, against the most deflate can expand it to) before anything is allocated, and data is read in
 * growing chunks, so a corrupt header can neither exhaust memory nor make the reader wait for bytes that
 * never come.
 */
public final class IdxReader {
    /** Magic number of a labels file: unsigned bytes, rank 1. */
    public static final int LABELS_MAGIC = 0x00000801;
    /** Magic number of an images file: unsigned bytes, rank 3. */
    public static final int IMAGES_MAGIC = 0x00000803;
    static final String LABELS_MAGIC_HEX = "0x00000801";
    static final String IMAGES_MAGIC_HEX = "0x00000803";
    /** The most data bytes one file may hold: what a Java array can. */
    public static final long MAX_DATA_BYTES = Integer.MAX_VALUE - 8;
    /** Deflate's largest expansion (258-byte matches coded in about 2 bits): a gzip file grows at most this much. */
    static final long MAX_DEFLATE_RATIO = 1032;
    private static final int UNSIGNED_BYTE = 0x08;
    private static final int FIRST_CHUNK = 1 << 20;
    private static final long TRAILING_COUNT_LIMIT = 1 << 20;

    private IdxReader() {
    }

    /**
     * The contents of an IDX file.
     *
     * @param file where it was read from
     * @param dims the sizes from the header (labels: {N}; images: {N, rows, cols})
     * @param data the values, row-major, as unsigned bytes (read them with {@code & 0xff}); not copied
     */
    public record IdxArray(Path file, int[] dims, byte[] data) {
        /** The number of items: the first dimension. */
        public int count() {
            return dims[0];
        }

        /** Value {@code i} of the flat data, 0..255. */
        public int unsigned(int i) {
            return data[i] & 0xff;
        }

        @Override
        public String toString() {
            return "IdxArray[" + file + ", " + dimsString(dims) + "]";
        }
    }

    /** Reads a labels file (magic 0x00000801, one unsigned byte per item). */
    public static IdxArray readLabels(Path file) {
        return read(file, LABELS_MAGIC);
    }

    /** Reads an images file (magic 0x00000803, N×rows×cols unsigned bytes). */
    public static IdxArray readImages(Path file) {
        return read(file, IMAGES_MAGIC);
    }

    /**
     * Reads an IDX file whose magic number must be {@code expectedMagic} ({@link #LABELS_MAGIC} or
     * {@link #IMAGES_MAGIC}).
     *
     * @throws MalformedDataException if the file is not a valid IDX file of that kind
     * @throws UncheckedIOException if it cannot be read at all (missing, unreadable)
     */
    public static IdxArray read(Path file, int expectedMagic) {
        if (expectedMagic != LABELS_MAGIC && expectedMagic != IMAGES_MAGIC) {
            throw new IllegalArgumentException(String.format("unsupported IDX magic number 0x%08X: expected %s "
                    + "(labels) or %s (images)", expectedMagic, LABELS_MAGIC_HEX, IMAGES_MAGIC_HEX));
        }
        try {
            long fileSize = Files.size(file);
            try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
                raw.mark(2);
                boolean gzip = GzipStream.isGzipMagic(raw.read(), raw.read());
                raw.reset();
                try (InputStream in = gzip ? new GzipStream(raw) : raw) {
                    return read(file, in, gzip, fileSize, expectedMagic);
                }
            }
        } catch (EOFException | ZipException e) {
            throw new MalformedDataException(file, e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e, e);
        }
    }

    private static IdxArray read(Path file, InputStream in, boolean gzip, long fileSize, int expectedMagic)
            throws IOException {
        String what = expectedMagic == LABELS_MAGIC ? "labels" : "images";
        String expectedHex = expectedMagic == LABELS_MAGIC ? LABELS_MAGIC_HEX : IMAGES_MAGIC_HEX;
        int rank = expectedMagic & 0xff;
        String layout = rank == 1 ? "N" : "N×rows×cols";

        byte[] magic = in.readNBytes(4);
        if (magic.length < 4) {
            throw new MalformedDataException(file, "truncated header: the " + (gzip ? "decompressed " : "")
                    + "file holds " + magic.length + " byte(s), an IDX header starts with a 4-byte magic number");
        }
        int found = (magic[0] & 0xff) << 24 | (magic[1] & 0xff) << 16 | (magic[2] & 0xff) << 8 | magic[3] & 0xff;
        if (magic[0] != 0 || magic[1] != 0) {
            throw new MalformedDataException(file, String.format("wrong magic number 0x%08X: an IDX %s file "
                    + "starts with %s (two zero bytes, type 0x08, rank %d)%s", found, what, expectedHex, rank,
                    gzip ? "" : "; is it an IDX file at all?"));
        }
        int type = magic[2] & 0xff;
        if (type != UNSIGNED_BYTE) {
            throw new MalformedDataException(file, String.format("wrong data type byte 0x%02X (%s) in magic number "
                    + "0x%08X: IDX %s must be 0x08 (unsigned byte)", type, typeName(type), found, what));
        }
        int foundRank = magic[3] & 0xff;
        if (foundRank != rank) {
            throw new MalformedDataException(file, String.format("wrong rank %d in magic number 0x%08X: IDX %s "
                    + "have rank %d (%s)", foundRank, found, what, rank, layout));
        }

        byte[] sizes = in.readNBytes(4 * rank);
        if (sizes.length < 4 * rank) {
            throw new MalformedDataException(file, "truncated header: " + what + " need " + rank + " size(s) ("
                    + layout + ", 4 bytes each) after the magic number but the file ends after " + sizes.length
                    + " more byte(s)");
        }
        int[] dims = new int[rank];
        long claimed = 1;
        for (int d = 0; d < rank; d++) {
            long size = (sizes[4 * d] & 0xffL) << 24 | (sizes[4 * d + 1] & 0xffL) << 16
                    | (sizes[4 * d + 2] & 0xffL) << 8 | sizes[4 * d + 3] & 0xffL;
            if (size > MAX_DATA_BYTES) {
                throw new MalformedDataException(file, "header size " + size + " (dimension " + d + " of " + layout
                        + ") is larger than any file jconv reads (" + MAX_DATA_BYTES + " bytes)");
            }
            dims[d] = (int) size;
            // Both factors are below 2^31, so the product cannot overflow a long before this check.
            claimed *= size;
            if (claimed > MAX_DATA_BYTES) {
                throw new MalformedDataException(file, "header sizes " + dimsString(Arrays.copyOf(dims, d + 1))
                        + (d + 1 < rank ? "…" : "") + " need more than " + MAX_DATA_BYTES
                        + " bytes of data, more than any file jconv reads");
            }
        }
        String claim = "the header's sizes " + dimsString(dims) + " (" + layout + ") need " + claimed + " byte(s) of data";

        long headerLength = 4 + 4L * rank;
        if (!gzip) {
            long remaining = fileSize - headerLength;
            if (claimed > remaining) {
                throw new MalformedDataException(file, "truncated data: " + claim + " but only " + remaining
                        + " byte(s) follow the header");
            }
            if (claimed < remaining) {
                throw new MalformedDataException(file, "trailing garbage: " + claim + " but " + remaining
                        + " byte(s) follow the header (" + (remaining - claimed) + " too many)");
            }
        } else if (claimed > fileSize * MAX_DEFLATE_RATIO) {
            throw new MalformedDataException(file, claim + " but a gzip file of " + fileSize
                    + " bytes decompresses to at most " + fileSize * MAX_DEFLATE_RATIO + ": the header's sizes are wrong");
        }

        byte[] data = readBounded(in, (int) claimed);
        if (data.length < claimed) {
            throw new MalformedDataException(file, "truncated data: " + claim + " but only " + data.length
                    + " byte(s) follow the header" + (gzip ? " once decompressed" : ""));
        }
        if (gzip) {
            long extra = countRemaining(in, TRAILING_COUNT_LIMIT);
            if (extra > 0) {
                String count = extra > TRAILING_COUNT_LIMIT ? "more than " + TRAILING_COUNT_LIMIT : Long.toString(extra);
                throw new MalformedDataException(file, "trailing garbage: " + claim + " but " + count
                        + " more byte(s) follow them once decompressed");
            }
        }
        return new IdxArray(file, dims, data);
    }

    /** Reads up to {@code n} bytes, growing the buffer as data arrives rather than trusting {@code n}. */
    private static byte[] readBounded(InputStream in, int n) throws IOException {
        byte[] buf = new byte[Math.min(n, FIRST_CHUNK)];
        int filled = 0;
        while (filled < n) {
            if (filled == buf.length) {
                buf = Arrays.copyOf(buf, (int) Math.min(n, 2L * buf.length));
            }
            int got = in.read(buf, filled, buf.length - filled);
            if (got < 0) {
                return Arrays.copyOf(buf, filled);
            }
            filled += got;
        }
        return buf;
    }

    /** Counts the bytes left, stopping past {@code limit} so a decompression bomb cannot keep it busy. */
    private static long countRemaining(InputStream in, long limit) throws IOException {
        byte[] scratch = new byte[8192];
        long total = 0;
        for (int got; total <= limit && (got = in.read(scratch)) >= 0; ) {
            total += got;
        }
        return total;
    }

    private static String typeName(int type) {
        return switch (type) {
            case 0x08 -> "unsigned byte";
            case 0x09 -> "signed byte";
            case 0x0B -> "short";
            case 0x0C -> "int";
            case 0x0D -> "float";
            case 0x0E -> "double";
            default -> "not an IDX type";
        };
    }

    static String dimsString(int[] dims) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < dims.length; i++) {
            sb.append(i == 0 ? "" : "×").append(dims[i]);
        }
        return sb.toString();
    }
}
