package dev.jconv.data;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import java.util.zip.ZipException;

/**
 * Decompresses a gzip file (RFC 1952), one or more members. Unlike {@link java.util.zip.GZIPInputStream},
 * which silently ignores bytes after the last member, anything after a member that does not start another
 * member is reported, and every member's CRC and size are checked. Format errors are thrown as
 * {@link ZipException}, truncation as {@link EOFException}.
 */
final class GzipStream extends InputStream {
    private static final int BUFFER = 64 * 1024;
    private static final int FHCRC = 2;
    private static final int FEXTRA = 4;
    private static final int FNAME = 8;
    private static final int FCOMMENT = 16;
    private static final int RESERVED = 0xE0;

    private final PushbackInputStream in;
    private final Inflater inflater = new Inflater(true);
    private final CRC32 crc = new CRC32();
    private final byte[] buffer = new byte[BUFFER];
    private int bufferLength;
    private long memberSize;
    private int members;
    private boolean inMember;
    private boolean done;

    GzipStream(InputStream raw) {
        in = new PushbackInputStream(raw, BUFFER);
    }

    /** Whether the first two bytes of a file are gzip's magic number. */
    static boolean isGzipMagic(int b0, int b1) {
        return b0 == 0x1f && b1 == 0x8b;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (!done) {
            if (!inMember) {
                if (!startMember()) {
                    done = true;
                    break;
                }
                continue;
            }
            int n;
            try {
                n = inflater.inflate(b, off, len);
            } catch (DataFormatException e) {
                throw new ZipException("corrupt gzip data in member " + members + ": " + e.getMessage());
            }
            if (n > 0) {
                crc.update(b, off, n);
                memberSize += n;
                return n;
            }
            if (inflater.finished()) {
                endMember();
            } else if (inflater.needsDictionary()) {
                throw new ZipException("corrupt gzip data: the deflate stream asks for a preset dictionary");
            } else if (inflater.needsInput()) {
                bufferLength = in.read(buffer, 0, BUFFER);
                if (bufferLength < 0) {
                    throw new EOFException("truncated gzip stream: the file ends inside the compressed data");
                }
                inflater.setInput(buffer, 0, bufferLength);
            }
        }
        return -1;
    }

    /** Reads a member header; false at a clean end of file after at least one member. */
    private boolean startMember() throws IOException {
        int b0 = in.read();
        if (b0 < 0 && members > 0) {
            return false;
        }
        int b1 = in.read();
        if (!isGzipMagic(b0, b1)) {
            if (members == 0) {
                throw new ZipException("not a gzip stream");
            }
            throw new ZipException("trailing garbage after the gzip data (bytes that do not start another gzip "
                    + "member)");
        }
        int method = readByte();
        if (method != 8) {
            throw new ZipException("unsupported gzip compression method " + method + " (only 8, deflate, exists)");
        }
        int flags = readByte();
        if ((flags & RESERVED) != 0) {
            throw new ZipException("corrupt gzip header: reserved flag bits are set");
        }
        skip(6); // modification time, extra flags, operating system
        if ((flags & FEXTRA) != 0) {
            skip(readByte() | readByte() << 8);
        }
        if ((flags & FNAME) != 0) {
            skipZeroTerminated();
        }
        if ((flags & FCOMMENT) != 0) {
            skipZeroTerminated();
        }
        if ((flags & FHCRC) != 0) {
            skip(2);
        }
        members++;
        inMember = true;
        return true;
    }

    private void endMember() throws IOException {
        // Bytes the inflater was given but did not use belong to the trailer and what follows it.
        int unused = inflater.getRemaining();
        in.unread(buffer, bufferLength - unused, unused);
        long storedCrc = readIntLe();
        long storedSize = readIntLe();
        if (storedCrc != crc.getValue()) {
            throw new ZipException("corrupt gzip data: CRC mismatch in member " + members);
        }
        if (storedSize != (memberSize & 0xffffffffL)) {
            throw new ZipException("corrupt gzip data: member " + members + " holds " + memberSize
                    + " bytes but its trailer says " + storedSize);
        }
        inflater.reset();
        crc.reset();
        memberSize = 0;
        bufferLength = 0;
        inMember = false;
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("truncated gzip stream: the file ends inside a gzip header or trailer");
        }
        return b;
    }

    private long readIntLe() throws IOException {
        return readByte() | (long) readByte() << 8 | (long) readByte() << 16 | (long) readByte() << 24;
    }

    private void skip(int n) throws IOException {
        for (int i = 0; i < n; i++) {
            readByte();
        }
    }

    private void skipZeroTerminated() throws IOException {
        while (readByte() != 0) {
            // skip the name or comment
        }
    }

    @Override
    public void close() throws IOException {
        inflater.end();
        in.close();
    }
}
