package io.frostbyte.export.bundle;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A streaming reader of tar archives that accepts only the headers of format §2 revision 2: those
 * that GNU tar, bsdtar, Python's tarfile and commons-compress all read the same way. Anything on
 * which they could disagree (a name, a type, a size, where the next header starts) ends the read
 * with a {@link BundleFormatException} instead of being interpreted, since no reading of it can
 * be trusted to match what an extractor will write.
 *
 * <p>Allowed: ustar ({@code ustar\0 00}) or GNU ({@code ustar  \0}, bytes 345-499 NUL) headers
 * with valid checksums and octal numeric fields; regular files ({@code '0'}); directories
 * ({@code '5'}) of size 0; at most one pax header ({@code 'x'}) before an entry, with exact
 * records and only the keys {@code path}, {@code size}, {@code mtime}, {@code atime},
 * {@code ctime}. Then the end-of-archive marker, and nothing but zeros after it.
  *
 * <p>Over 300 lines on purpose: every header rule of §2 sits here beside the parsing it constrains,
 * so that no rule can drift away from the bytes it is about.
 */
public final class StrictTarReader {
    private static final int BLOCK = 512;
    /** Largest pax header we read; a legitimate one holds a path and a few numbers. */
    private static final int MAX_PAX_BYTES = 64 * 1024;
    private static final Set<String> PAX_KEYS = Set.of("path", "size", "mtime", "atime", "ctime");
    private static final Pattern PAX_SIZE = Pattern.compile("[0-9]{1,18}");
    private static final Pattern PAX_TIME = Pattern.compile("[0-9]{1,12}(\\.[0-9]{1,9})?");

    private final InputStream in;
    private final long maxEntries;
    private final byte[] header = new byte[BLOCK];
    private long remaining;
    private long padding;
    private long entries;
    private long headerOffset = -BLOCK;
    private long position;
    private boolean ended;
    /** The current header has POSIX ustar magic (set by checkHeader). */
    private boolean posix;

    /** A reader that accepts at most {@link BundleFormat#MAX_ENTRIES} entries. */
    public StrictTarReader(InputStream in) {
        this(in, BundleFormat.MAX_ENTRIES);
    }

    public StrictTarReader(InputStream in, long maxEntries) {
        this.in = in;
        this.maxEntries = maxEntries;
    }

    /** The next entry, or empty at the end-of-archive marker (after checking nothing but zeros follow). */
    public Optional<TarEntry> next() throws IOException {
        if (ended) return Optional.empty();
        skipRest();
        Map<String, String> pax = null;
        while (true) {
            if (!readBlock(header)) {
                throw new BundleFormatException("truncated", "tar archive ends without an end-of-archive marker");
            }
            headerOffset = position - BLOCK;
            if (isZero(header)) {
                if (pax != null) {
                    throw BundleFormatException.header("pax_header", at("a pax header is followed by the end of the archive, not an entry"));
                }
                if (!readBlock(header) || !isZero(header)) {
                    throw new BundleFormatException("truncated", "tar end-of-archive marker is incomplete");
                }
                checkOnlyZerosFollow();
                ended = true;
                return Optional.empty();
            }
            checkHeader();
            int type = header[156] & 0xff;
            long size = number(124, 12, "size");
            if (type == 'x') {
                checkPaxHeaderName();
                if (pax != null) {
                    throw BundleFormatException.header("pax_header", at("two pax headers in a row; extractors disagree on which applies"));
                }
                if (size > MAX_PAX_BYTES) {
                    throw BundleFormatException.header("pax_header", at("pax header of " + size + " bytes, over the " + MAX_PAX_BYTES + "-byte cap"));
                }
                pax = parsePax(readData(size));
                continue;
            }
            if (type == 'g') {
                throw BundleFormatException.header("pax_global_header",
                        at("pax global header ('g'); extractors differ on whether it applies to later entries"));
            }
            if (type != '0' && type != '5') {
                throw BundleFormatException.header("entry_type",
                        at("entry is a " + TarEntry.typeName(type) + "; only regular files and directories are allowed"));
            }
            if (++entries > maxEntries) {
                throw BundleFormatException.header("too_many_entries", "archive holds more than " + maxEntries + " entries");
            }
            if (!isZero(header, 157, 100)) {
                throw BundleFormatException.header("header_field", at("a " + TarEntry.typeName(type) + " with a link name"));
            }
            long ustarSize = size;
            if (pax != null && pax.containsKey("size")) size = Long.parseLong(pax.get("size"));
            String name;
            boolean valid;
            if (pax != null && pax.containsKey("path")) {
                name = pax.get("path");
                valid = true;
            } else {
                Optional<String> decoded = utf8(ustarName());
                valid = decoded.isPresent();
                name = decoded.orElse("");
            }
            if (type == '5' && (size != 0 || ustarSize != 0)) {
                size = Math.max(size, ustarSize);
                throw BundleFormatException.header("directory_data", at("directory '" + name + "' has " + size
                        + " bytes of data; extractors disagree on where the next header starts"));
            }
            if (type == '0' && name.endsWith("/")) {
                throw BundleFormatException.header("trailing_slash", at("regular file '" + name
                        + "' has a name ending in '/', which some extractors read as a directory"));
            }
            remaining = size;
            padding = (BLOCK - (size % BLOCK)) % BLOCK;
            return Optional.of(new TarEntry(name, valid, (char) type, size));
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
                position += n;
                return n;
            }
        };
    }

    /**
     * Passes the rest of the current entry's data to {@code sink} and returns how many bytes that
     * was; straight from the read-ahead buffers when the archive is read through one.
     */
    public long drain(ByteSink sink) throws IOException {
        long total = 0;
        byte[] scratch = in instanceof ReadAheadInputStream ? null : new byte[(int) Math.min(64 * 1024, Math.max(remaining, 1))];
        while (remaining > 0) {
            int want = (int) Math.min(Integer.MAX_VALUE, remaining);
            int n;
            if (scratch == null) {
                n = ((ReadAheadInputStream) in).read(want, sink);
            } else {
                n = in.read(scratch, 0, Math.min(scratch.length, want));
                if (n > 0) sink.accept(scratch, 0, n);
            }
            if (n < 0) throw new BundleFormatException("truncated", "tar archive ends inside an entry's data");
            remaining -= n;
            position += n;
            total += n;
        }
        return total;
    }

    private String at(String message) {
        return message + " (header at byte " + headerOffset + " of the tar stream)";
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
            position += r;
        }
    }

    private byte[] readData(long size) throws IOException {
        byte[] data = in.readNBytes((int) size);
        position += data.length;
        if (data.length != size) throw new BundleFormatException("truncated", "tar archive ends inside a pax header");
        skipExactly((BLOCK - (size % BLOCK)) % BLOCK);
        return data;
    }

    private boolean readBlock(byte[] target) throws IOException {
        int n = in.readNBytes(target, 0, BLOCK);
        position += n;
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
        return isZero(block, 0, block.length);
    }

    private static boolean isZero(byte[] block, int off, int len) {
        for (int i = off; i < off + len; i++) if (block[i] != 0) return false;
        return true;
    }

    /** Checksum, magic and numeric fields: the parts every extractor must read alike. */
    private void checkHeader() throws BundleFormatException {
        boolean first = headerOffset == 0;
        long expected;
        try {
            expected = number(148, 8, "checksum");
        } catch (BundleFormatException e) {
            if (first) throw new BundleFormatException("bad_tar", "not a tar archive (no valid header checksum)");
            throw e;
        }
        long unsigned = 0;
        long signed = 0;
        for (int i = 0; i < BLOCK; i++) {
            boolean inField = i >= 148 && i < 156;
            unsigned += inField ? ' ' : header[i] & 0xff;
            signed += inField ? ' ' : header[i];
        }
        if (expected != unsigned && expected != signed) {
            if (first) throw new BundleFormatException("bad_tar", "not a tar archive (header checksum mismatch)");
            throw BundleFormatException.header("header_checksum", at("tar header checksum mismatch"));
        }
        posix = Arrays.equals(header, 257, 265, USTAR_POSIX, 0, 8);
        boolean gnu = Arrays.equals(header, 257, 265, USTAR_GNU, 0, 8);
        if (!posix && !gnu) {
            throw BundleFormatException.header("header_magic", at("tar header magic is neither POSIX ustar (\"ustar\\0\" \"00\") nor GNU (\"ustar  \\0\")"));
        }
        if (gnu && !isZero(header, 345, 155)) {
            throw BundleFormatException.header("header_prefix", at("GNU-format header with data in bytes 345-499,"
                    + " which POSIX extractors read as a name prefix and GNU tar does not"));
        }
        checkText(0, 100, "name");
        checkText(157, 100, "link name");
        checkText(265, 32, "user name");
        checkText(297, 32, "group name");
        if (posix) checkText(345, 155, "name prefix");
        if (!isZero(header, 500, 12)) {
            throw BundleFormatException.header("header_field", at("tar header has data in its unused bytes 500-511"));
        }
        number(100, 8, "mode");
        number(108, 8, "uid");
        number(116, 8, "gid");
        number(136, 12, "mtime");
        optionalNumber(329, 8, "devmajor");
        optionalNumber(337, 8, "devminor");
    }

    /**
     * A text field holds text: no control characters, and only NULs after its first NUL. Extractors
     * read these fields differently past a NUL, and libarchive guesses compression and formats from
     * the first bytes of the stream, so a header must not be able to smuggle a gzip, bzip2 or uuencode
     * signature, or line breaks, into them.
     */
    private void checkText(int off, int len, String what) throws BundleFormatException {
        int i = off;
        for (; i < off + len && header[i] != 0; i++) {
            int c = header[i] & 0xff;
            if (c < 0x20 || c == 0x7f) {
                throw BundleFormatException.header("header_field", at("tar " + what + " field holds a control character"));
            }
        }
        if (!isZero(header, i, off + len - i)) {
            throw BundleFormatException.header("header_field", at("tar " + what + " field has bytes after its terminating NUL"));
        }
    }

    /**
     * A pax header's own name is never extracted, so writers fill it freely ("././@PaxHeader",
     * "./PaxHeaders/...", "PaxHeader/...", the entry's directory). We accept text without control
     * characters that starts with an ASCII letter, digit, '.' or '_', and not with the two printable signatures libarchive's
     * stream filters look for ("BZh" for bzip2, "begin" for uuencode): when such a header opens the
     * stream, bsdtar would decode it instead of reading tar.
     */
    private void checkPaxHeaderName() throws BundleFormatException {
        int first = header[0] & 0xff;
        boolean ok = Character.isLetterOrDigit(first) && first < 0x80 || first == '.' || first == '_';
        // Past the first byte, UTF-8 too: GNU tar and bsdtar name it after the entry, whatever its script.
        for (int i = 0; ok && i < 100 && header[i] != 0; i++) ok = (header[i] & 0xff) >= 0x20 && header[i] != 0x7f;
        String start = new String(header, 0, 5, StandardCharsets.ISO_8859_1);
        if (!ok || start.startsWith("BZh") || start.startsWith("begin")) {
            throw BundleFormatException.header("pax_header", at("pax header name is not text starting with an ASCII letter,"
                    + " digit, '.' or '_', or starts like a compressed or encoded stream"));
        }
    }

    private static final byte[] USTAR_POSIX = {'u', 's', 't', 'a', 'r', 0, '0', '0'};
    private static final byte[] USTAR_GNU = {'u', 's', 't', 'a', 'r', ' ', ' ', 0};

    private byte[] ustarName() {
        byte[] name = field(0, 100);
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
        return Arrays.copyOfRange(header, off, end);
    }

    private void optionalNumber(int off, int len, String what) throws BundleFormatException {
        if (!isZero(header, off, len)) number(off, len, what);
    }

    /**
     * An octal field as all extractors read it alike: optional leading spaces, at least one octal
     * digit, then only NULs or spaces. Base-256 (high bit set) is refused: not every reader has it.
     */
    private long number(int off, int len, String what) throws BundleFormatException {
        if ((header[off] & 0x80) != 0) {
            throw BundleFormatException.header("header_field", at("tar " + what + " field uses GNU base-256 encoding"));
        }
        int i = off;
        int end = off + len;
        while (i < end && header[i] == ' ') i++;
        long v = 0;
        int digits = 0;
        for (; i < end && header[i] >= '0' && header[i] <= '7'; i++) {
            v = (v << 3) | (header[i] - '0');
            digits++;
        }
        for (; i < end; i++) {
            if (header[i] != 0 && header[i] != ' ') digits = 0;
        }
        if (digits == 0 || digits > 21) {
            throw BundleFormatException.header("header_field", at("tar " + what + " field is not an octal number"));
        }
        return v;
    }

    /** Records {@code "<len> <key>=<value>\n"}, lengths exact, allowed keys only, each key once. */
    private Map<String, String> parsePax(byte[] data) throws BundleFormatException {
        Map<String, String> records = new HashMap<>();
        int i = 0;
        while (i < data.length) {
            int space = i;
            while (space < data.length && space - i < 6 && data[space] >= '0' && data[space] <= '9') space++;
            if (space == i || space >= data.length || data[space] != ' ' || (data[i] == '0')) {
                throw paxError("a pax record does not start with a decimal length and a space");
            }
            int len = Integer.parseInt(new String(data, i, space - i, StandardCharsets.US_ASCII));
            int recordEnd = i + len;
            if (len <= space - i + 1 || recordEnd > data.length || data[recordEnd - 1] != '\n') {
                throw paxError("a pax record's length does not match its text");
            }
            int eq = space + 1;
            while (eq < recordEnd - 1 && data[eq] != '=') eq++;
            if (eq >= recordEnd - 1 || eq == space + 1) throw paxError("a pax record has no key=value");
            String key = new String(data, space + 1, eq - space - 1, StandardCharsets.US_ASCII);
            if (!PAX_KEYS.contains(key)) {
                throw paxError("pax key '" + printableAscii(data, space + 1, eq - space - 1)
                        + "' is not allowed (only path, size, mtime, atime, ctime)");
            }
            Optional<String> value = utf8(Arrays.copyOfRange(data, eq + 1, recordEnd - 1));
            if (value.isEmpty()) throw paxError("pax " + key + " is not UTF-8");
            String v = value.get();
            boolean ok = switch (key) {
                case "path" -> !v.isEmpty() && v.indexOf('\0') < 0;
                case "size" -> PAX_SIZE.matcher(v).matches();
                default -> PAX_TIME.matcher(v).matches();
            };
            if (!ok) throw paxError("pax " + key + " has a value extractors may read differently");
            if (records.put(key, v) != null) throw paxError("pax key " + key + " appears twice in one header");
            i = recordEnd;
        }
        return records;
    }

    private BundleFormatException paxError(String message) {
        return BundleFormatException.header("pax_header", at(message));
    }

    private static String printableAscii(byte[] data, int off, int len) {
        StringBuilder b = new StringBuilder();
        for (int i = off; i < off + Math.min(len, 64); i++) {
            int c = data[i] & 0xff;
            if (c < 0x20 || c > 0x7e || c == '\\') b.append(String.format("\\x%02x", c));
            else b.append((char) c);
        }
        return b.toString();
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
