package io.frostbyte.export.bundle;

import java.io.IOException;
import java.io.InputStream;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Reads a gzip stream of one or more members (RFC 1952) and fails on anything else: a truncated
 * member, a bad CRC-32 or size, reserved flags, or bytes after the last member that do not start
 * another member. {@link java.util.zip.GZIPInputStream} silently ignores trailing garbage, which a
 * fail-closed verifier must not.
 */
public final class StrictGzipInputStream extends InputStream {
    private static final int BUFFER = 64 * 1024;

    private final InputStream in;
    private final byte[] buf = new byte[BUFFER];
    private int pos;
    private int limit;
    private final Inflater inflater = new Inflater(true);
    private final CRC32 crc = new CRC32();
    /** Over the member header as read: gzip checks FHCRC (Python does not), so a wrong one must fail here too. */
    private final CRC32 headerCrc = new CRC32();
    private long memberSize;
    private boolean eof;
    private boolean inMember;

    public StrictGzipInputStream(InputStream in) throws IOException {
        this.in = in;
        if (!fillAtLeast(1)) throw new BundleFormatException("not_gzip", "empty input: not a gzip stream");
        readHeader();
    }

    private boolean fillAtLeast(int n) throws IOException {
        if (limit - pos >= n) return true;
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, limit - pos);
            limit -= pos;
            pos = 0;
        }
        while (limit < n) {
            int r = in.read(buf, limit, buf.length - limit);
            if (r < 0) return false;
            limit += r;
        }
        return true;
    }

    private int u8() throws IOException {
        if (!fillAtLeast(1)) throw new BundleFormatException("truncated", "gzip stream ends inside a member header");
        int b = buf[pos++] & 0xff;
        headerCrc.update(b);
        return b;
    }

    private int u16() throws IOException {
        return u8() | (u8() << 8);
    }

    private long u32() throws IOException {
        return (u16() & 0xffffL) | ((long) u16() << 16);
    }

    private void readHeader() throws IOException {
        if (!fillAtLeast(2) || (buf[pos] & 0xff) != 0x1f || (buf[pos + 1] & 0xff) != 0x8b) {
            throw new BundleFormatException("not_gzip", "not a gzip stream (bad magic bytes)");
        }
        pos += 2;
        headerCrc.reset();
        headerCrc.update(0x1f);
        headerCrc.update(0x8b);
        if (u8() != 8) throw new BundleFormatException("not_gzip", "gzip member uses an unknown compression method");
        int flags = u8();
        if ((flags & 0xe0) != 0) throw new BundleFormatException("not_gzip", "gzip header has reserved flag bits set");
        for (int i = 0; i < 6; i++) u8(); // mtime, xfl, os
        if ((flags & 0x04) != 0) {
            int xlen = u16();
            for (int i = 0; i < xlen; i++) u8();
        }
        if ((flags & 0x08) != 0) while (u8() != 0) { /* file name */ }
        if ((flags & 0x10) != 0) while (u8() != 0) { /* comment */ }
        if ((flags & 0x02) != 0) {
            int expected = (int) (headerCrc.getValue() & 0xffff);
            if (u16() != expected) throw new BundleFormatException("corrupt_gzip", "gzip member header CRC does not match");
        }
        inflater.reset();
        crc.reset();
        memberSize = 0;
        inMember = true;
        inflater.setInput(buf, pos, limit - pos);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) return 0;
        while (!eof) {
            if (inMember) {
                int n;
                try {
                    n = inflater.inflate(b, off, len);
                } catch (DataFormatException e) {
                    throw new BundleFormatException("corrupt_gzip", "corrupt deflate data: " + e.getMessage());
                }
                if (n > 0) {
                    crc.update(b, off, n);
                    memberSize += n;
                    return n;
                }
                if (inflater.finished()) {
                    pos = limit - inflater.getRemaining();
                    endMember();
                    continue;
                }
                if (inflater.needsDictionary()) {
                    throw new BundleFormatException("corrupt_gzip", "deflate stream asks for a preset dictionary");
                }
                if (inflater.needsInput()) {
                    pos = limit;
                    if (!fillAtLeast(1)) throw new BundleFormatException("truncated", "gzip stream is truncated");
                    inflater.setInput(buf, pos, limit - pos);
                }
            } else {
                return -1;
            }
        }
        return -1;
    }

    private void endMember() throws IOException {
        inMember = false;
        if (!fillAtLeast(8)) throw new BundleFormatException("truncated", "gzip stream is truncated in a member trailer");
        long expectedCrc = u32();
        long expectedSize = u32();
        if (expectedCrc != crc.getValue()) throw new BundleFormatException("corrupt_gzip", "gzip CRC-32 mismatch");
        if (expectedSize != (memberSize & 0xffffffffL)) {
            throw new BundleFormatException("corrupt_gzip", "gzip member size mismatch");
        }
        if (!fillAtLeast(1)) {
            eof = true;
            return;
        }
        if (!fillAtLeast(2) || (buf[pos] & 0xff) != 0x1f || (buf[pos + 1] & 0xff) != 0x8b) {
            throw new BundleFormatException("trailing_garbage", "bytes after the last gzip member are not a gzip member");
        }
        readHeader();
    }

    @Override
    public void close() throws IOException {
        inflater.end();
        in.close();
    }
}
