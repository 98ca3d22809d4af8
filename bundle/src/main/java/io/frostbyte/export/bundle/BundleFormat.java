package io.frostbyte.export.bundle;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/** Constants and pure rules of bundle format v1 (see docs/bundle-format.md). */
public final class BundleFormat {
    public static final String FORMAT = "frostbyte-export";
    public static final int SIGNATURE_VERSION = 1;
    public static final String MANIFEST = "manifest.json";
    public static final String DOCUMENTS = "documents";
    public static final String CHUNKS = "chunks";
    /**
     * The largest manifest a verifier parses; the writer refuses to produce a larger one. At ~130
     * bytes per listed file this allows about 250,000 files per bundle, and keeps a verifier's
     * parsed manifest well inside a 256 MiB heap.
     */
    public static final int MAX_MANIFEST_BYTES = 32 * 1024 * 1024;

    /**
     * The most entries (files and directories) a verifier reads before rejecting a bundle. A manifest
     * within {@link #MAX_MANIFEST_BYTES} lists at most ~231,000 files (145 bytes each at least, as
     * writers lay them out), so every bundle a writer may produce fits; the cap bounds what a
     * verifier remembers per entry (~100 bytes) to ~25 MiB.
     */
    public static final int MAX_ENTRIES = 250_000;
    /** The most payload files a writer puts in one bundle: the entry cap less manifest and directories. */
    public static final int MAX_FILES = MAX_ENTRIES - 4;
    /**
     * Whether one manifest within {@link #MAX_MANIFEST_BYTES} can list this many files as this writer
     * lays it out: 96 bytes of JSON per entry around the path ({@code documents/<uuid>.json} is 51
     * characters, {@code chunks/<uuid>.json} 48) and the size (counted as 8 digits for a document and 6
     * for a chunk), plus 64 KiB for the other members, a selection included. A service checks an
     * export against this before it starts; the writer's own check at the end stays the backstop.
     */
    public static boolean fitsOneManifest(long documents, long chunks) {
        return estimatedManifestBytes(documents, chunks) <= MAX_MANIFEST_BYTES;
    }

    public static long estimatedManifestBytes(long documents, long chunks) {
        return 64L * 1024 + documents * (96 + 51 + 8) + chunks * (96 + 48 + 6);
    }
    /** Longest entry name, and longest path segment, in UTF-8 bytes: what Linux extractors can create. */
    public static final int MAX_NAME_BYTES = 1024;
    public static final int MAX_SEGMENT_BYTES = 255;

    private static final Pattern CREATED_AT = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z");

    private BundleFormat() {}

    public static String documentPath(UUID documentId) {
        return DOCUMENTS + "/" + documentId + ".json";
    }

    public static String chunkPath(UUID chunkId) {
        return CHUNKS + "/" + chunkId + ".json";
    }

    /** Lowercase canonical UUID text, as export ids appear in bundles. */
    public static boolean isCanonicalUuid(String s) {
        if (s == null || s.length() != 36) return false;
        for (int i = 0; i < 36; i++) {
            char c = s.charAt(i);
            boolean ok = (i == 8 || i == 13 || i == 18 || i == 23) ? c == '-' : isLowerHex(c);
            if (!ok) return false;
        }
        return true;
    }

    /** 64 lowercase hex digits. Checked once per listed file, so by hand rather than with a regex. */
    public static boolean isSha256Hex(String s) {
        if (s == null || s.length() != 64) return false;
        for (int i = 0; i < 64; i++) if (!isLowerHex(s.charAt(i))) return false;
        return true;
    }

    private static boolean isLowerHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
    }

    /** RFC 3339 UTC with Z and whole seconds, e.g. {@code 2026-11-22T08:15:30Z}. */
    public static String formatCreatedAt(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }

    public static Optional<Instant> parseCreatedAt(String s) {
        if (s == null || !CREATED_AT.matcher(s).matches()) return Optional.empty();
        try {
            return Optional.of(Instant.parse(s));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /**
     * Why {@code name} is not a safe relative entry name (§2), or empty when it is: {@code /}
     * separators, relative, no {@code .}/{@code ..}/empty segment, no backslash, no NUL.
     * A single trailing {@code /} (directory entries) is allowed.
     */
    public static Optional<String> unsafeNameReason(String name) {
        if (name.isEmpty()) return Optional.of("empty name");
        if (name.indexOf('\0') >= 0) return Optional.of("name contains NUL");
        if (name.indexOf('\\') >= 0) return Optional.of("name contains a backslash");
        if (name.startsWith("/")) return Optional.of("absolute path");
        for (int i = 0; i < name.length(); i++) {
            if (name.charAt(i) < 0x20 || name.charAt(i) == 0x7f) return Optional.of("name contains a control character");
        }
        boolean ascii = true;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c >= 0x80) ascii = false;
            if (isInvisibleControl(c)) return Optional.of("name contains a control or bidirectional-format character");
        }
        if (ascii) return unsafeSegmentReason(name, true);
        if (!java.text.Normalizer.isNormalized(name, java.text.Normalizer.Form.NFC)) {
            // bsdtar writes names in NFC: another form would land under another name than the manifest's.
            return Optional.of("name is not in Unicode normal form C (NFC)");
        }
        return unsafeSegmentReason(name, false);
    }

    /** The length and segment rules of {@link #unsafeNameReason}; printable ASCII (every writer's names) takes the short way. */
    private static Optional<String> unsafeSegmentReason(String name, boolean ascii) {
        if (utf8Length(name, 0, name.length(), ascii) > MAX_NAME_BYTES) {
            return Optional.of("name longer than " + MAX_NAME_BYTES + " bytes");
        }
        int end = name.endsWith("/") ? name.length() - 1 : name.length();
        for (int start = 0; start <= end; ) {
            int slash = name.indexOf('/', start);
            int stop = slash < 0 || slash > end ? end : slash;
            int length = stop - start;
            if (length == 0) return Optional.of("empty path segment");
            if (length == 1 && name.charAt(start) == '.') return Optional.of("'.' path segment");
            if (length == 2 && name.charAt(start) == '.' && name.charAt(start + 1) == '.') return Optional.of("'..' path segment");
            if (utf8Length(name, start, stop, ascii) > MAX_SEGMENT_BYTES) {
                return Optional.of("path segment longer than " + MAX_SEGMENT_BYTES + " bytes");
            }
            start = stop + 1;
        }
        return Optional.empty();
    }

    private static int utf8Length(String s, int from, int to, boolean ascii) {
        return ascii ? to - from : s.substring(from, to).getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }

    /**
     * C0 and C1 controls, DEL, and the Unicode format characters that reorder or hide text on a
     * terminal (bidirectional overrides and isolates, line and paragraph separators).
     */
    public static boolean isInvisibleControl(int c) {
        return c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)
                || (c >= 0x200b && c <= 0x200f) || (c >= 0x2028 && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)
                || c == 0xfeff;
    }

    /**
     * {@code text} made safe to print on one terminal line: every character of
     * {@link #isInvisibleControl} is escaped as backslash-x and two hex digits, or backslash-u and
     * four; longer texts are cut at {@code max} characters.
     */
    public static String escapeControls(String text, int max) {
        StringBuilder b = new StringBuilder(Math.min(text.length(), max) + 16);
        for (int i = 0; i < text.length() && b.length() < max; ) {
            int c = text.codePointAt(i);
            i += Character.charCount(c);
            if (c < 0x100 && isInvisibleControl(c)) b.append(String.format("\\x%02x", c));
            else if (isInvisibleControl(c)) b.append(String.format("\\u%04x", c));
            else b.appendCodePoint(c);
            if (b.length() >= max && i < text.length()) b.append("...");
        }
        return b.toString();
    }
}
