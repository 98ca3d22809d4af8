package io.frostbyte.export.bundle;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A streaming reader of POSIX ustar archives with pax extended headers, strict about structure:
 * header checksums, numeric fields, truncation, the end-of-archive marker and anything after it.
 * It reports every entry as it is (type, name), leaving bundle rules to the caller; GNU long-name
 * and sparse entries are surfaced as such, not silently merged.
 */
public final class StrictTarReader {
    private static final int BLOCK = 512;
    private static final int MAX_PAX_BYTES = 1024 * 1024;

    private final InputStream in;
    private final byte[] header = new byte[BLOCK];
    private long remaining;
    private long padding;
    private boolean ended;

    public StrictTarReader(InputStream in) {
        this.in = in;
    }

    /** The next entry, or empty at the end-of-archive marker (after checking nothing but zeros follow). */
    public Optional<TarEntry> next() throws IOException {
        if (ended) return Optional.empty();
        skipRest();
        Map<String, String> pax = new HashMap<>();
        while (true) {
            if (!readBlock(header)) {
                throw new BundleFormatException("truncated", "tar archive ends without an end-of-archive marker");
            }
            if (isZero(header)) {
                if (!readBlock(header) || !isZero(header)) {
                    throw new BundleFormatException("truncated", "tar end-of-archive marker is incomplete");
                }
                checkOnlyZerosFollow();
                ended = true;
                return Optional.empty();
            }
            verifyChecksum();
            char type = (char) (header[156] & 0xff);
            long size = parseNumber(124, 12, "size");
            if (type == 'x' || type == 'g') {
                if (size > MAX_PAX_BYTES) throw new BundleFormatException("bad_tar", "pax header larger than 1 MiB");
                byte[] data = readData(size);
                Map<String, String> records = parsePax(data);
                if (type == 'x') pax.putAll(records);
                else if (records.keySet().stream().anyMatch(k -> k.startsWith("GNU.sparse"))) {
                    throw new BundleFormatException("bad_tar", "pax global header declares sparse files");
                }
                continue;
            }
            boolean sparse = pax.keySet().stream().anyMatch(k -> k.startsWith("GNU.sparse"));
            if (pax.containsKey("size")) {
                try {
                    size = Long.parseLong(pax.get("size"));
                } catch (NumberFormatException e) {
                    throw new BundleFormatException("bad_tar", "pax size is not a number");
                }
                if (size < 0) throw new BundleFormatException("bad_tar", "pax size is negative");
            }
            String name;
            boolean valid = true;
            if (pax.containsKey("path")) {
                name = pax.get("path");
                if (name.indexOf('\0') >= 0) valid = false;
            } else {
                byte[] raw = ustarName();
                Optional<String> decoded = utf8(raw);
                valid = decoded.isPresent();
                name = decoded.orElse("");
            }
            remaining = size;
            padding = (BLOCK - (size % BLOCK)) % BLOCK;
            return Optional.of(new TarEntry(name, valid, type, size, sparse));
        }
    }

    /** The current entry's data; reading past its size returns end of stream. */
    public InputStream content() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (remaining == 0) return -1;
                int n = in.read(b, off, (int) Math.min(len, remaining));
                if (n < 0) throw new BundleFormatException("truncated", "tar archive ends inside an entry's data");
                remaining -= n;
                return n;
            }
        };
    }

    private void skipRest() throws IOException {
        skipExactly(remaining + padding);
        remaining = 0;
        padding = 0;
    }

    private void skipExactly(long n) throws IOException {
        byte[] scratch = new byte[(int) Math.min(64 * 1024, Math.max(n, 1))];
        while (n > 0) {
            int r = in.read(scratch, 0, (int) Math.min(scratch.length, n));
            if (r < 0) throw new BundleFormatException("truncated", "tar archive ends inside an entry's data");
            n -= r;
        }
    }

    private byte[] readData(long size) throws IOException {
        byte[] data = in.readNBytes((int) size);
        if (data.length != size) throw new BundleFormatException("truncated", "tar archive ends inside a pax header");
        skipExactly((BLOCK - (size % BLOCK)) % BLOCK);
        return data;
    }

    private boolean readBlock(byte[] target) throws IOException {
        int n = in.readNBytes(target, 0, BLOCK);
        if (n == 0) return false;
        if (n < BLOCK) throw new BundleFormatException("truncated", "tar archive ends inside a header block");
        return true;
    }

    private void checkOnlyZerosFollow() throws IOException {
        byte[] scratch = new byte[64 * 1024];
        int r;
        while ((r = in.read(scratch)) >= 0) {
            for (int i = 0; i < r; i++) {
                if (scratch[i] != 0) {
                    throw new BundleFormatException("trailing_garbage", "data after the tar end-of-archive marker");
                }
            }
        }
    }

    private static boolean isZero(byte[] block) {
        for (byte b : block) if (b != 0) return false;
        return true;
    }

    private void verifyChecksum() throws IOException {
        long expected = parseNumber(148, 8, "checksum");
        long unsigned = 0;
        long signed = 0;
        for (int i = 0; i < BLOCK; i++) {
            int b = (i >= 148 && i < 156) ? ' ' : header[i];
            unsigned += b & 0xff;
            signed += (i >= 148 && i < 156) ? ' ' : header[i];
        }
        if (expected != unsigned && expected != signed) {
            throw new BundleFormatException("bad_tar", "tar header checksum mismatch (not a tar archive, or corrupt)");
        }
    }

    private byte[] ustarName() {
        byte[] name = field(0, 100);
        boolean posix = header[257] == 'u' && header[258] == 's' && header[259] == 't' && header[260] == 'a'
                && header[261] == 'r' && header[262] == 0;
        if (posix && header[345] != 0) {
            byte[] prefix = field(345, 155);
            byte[] joined = new byte[prefix.length + 1 + name.length];
            System.arraycopy(prefix, 0, joined, 0, prefix.length);
            joined[prefix.length] = '/';
            System.arraycopy(name, 0, joined, prefix.length + 1, name.length);
            return joined;
        }
        return name;
    }

    private byte[] field(int off, int len) {
        int end = off;
        while (end < off + len && header[end] != 0) end++;
        byte[] out = new byte[end - off];
        System.arraycopy(header, off, out, 0, out.length);
        return out;
    }

    private long parseNumber(int off, int len, String what) throws BundleFormatException {
        if ((header[off] & 0x80) != 0) {
            // GNU/star base-256 for values that do not fit in octal.
            if ((header[off] & 0x40) != 0) throw new BundleFormatException("bad_tar", "negative tar " + what);
            long v = header[off] & 0x3f;
            for (int i = 1; i < len; i++) {
                if ((v >>> 55) != 0) throw new BundleFormatException("bad_tar", "tar " + what + " too large");
                v = (v << 8) | (header[off + i] & 0xff);
            }
            return v;
        }
        long v = 0;
        int i = off;
        int end = off + len;
        while (i < end && (header[i] == ' ' || header[i] == 0)) i++;
        boolean digits = false;
        for (; i < end; i++) {
            byte b = header[i];
            if (b == 0 || b == ' ') break;
            if (b < '0' || b > '7') throw new BundleFormatException("bad_tar", "tar " + what + " field is not octal");
            v = (v << 3) | (b - '0');
            digits = true;
        }
        for (; i < end; i++) {
            if (header[i] != 0 && header[i] != ' ') {
                throw new BundleFormatException("bad_tar", "tar " + what + " field is not octal");
            }
        }
        if (!digits && !what.equals("checksum")) return 0;
        return v;
    }

    private static Map<String, String> parsePax(byte[] data) throws BundleFormatException {
        Map<String, String> records = new HashMap<>();
        int i = 0;
        while (i < data.length) {
            int space = i;
            while (space < data.length && data[space] != ' ') space++;
            int len;
            try {
                len = Integer.parseInt(new String(data, i, space - i, StandardCharsets.US_ASCII));
            } catch (NumberFormatException e) {
                throw new BundleFormatException("bad_tar", "malformed pax record length");
            }
            if (len <= space - i + 1 || i + len > data.length || data[i + len - 1] != '\n') {
                throw new BundleFormatException("bad_tar", "malformed pax record");
            }
            int eq = space + 1;
            while (eq < i + len && data[eq] != '=') eq++;
            if (eq >= i + len - 1 && data[eq] != '=') throw new BundleFormatException("bad_tar", "malformed pax record");
            Optional<String> key = utf8(java.util.Arrays.copyOfRange(data, space + 1, eq));
            Optional<String> value = utf8(java.util.Arrays.copyOfRange(data, eq + 1, i + len - 1));
            if (key.isEmpty() || value.isEmpty()) throw new BundleFormatException("bad_tar", "pax record is not UTF-8");
            records.put(key.get(), value.get());
            i += len;
        }
        return records;
    }

    private static Optional<String> utf8(byte[] bytes) {
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }
}
