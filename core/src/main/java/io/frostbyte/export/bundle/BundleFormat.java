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

    private static final Pattern CANONICAL_UUID =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern CREATED_AT = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z");
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    private BundleFormat() {}

    public static String documentPath(UUID documentId) {
        return DOCUMENTS + "/" + documentId + ".json";
    }

    public static String chunkPath(UUID chunkId) {
        return CHUNKS + "/" + chunkId + ".json";
    }

    /** Lowercase canonical UUID text, as export ids appear in bundles. */
    public static boolean isCanonicalUuid(String s) {
        return s != null && CANONICAL_UUID.matcher(s).matches();
    }

    public static boolean isSha256Hex(String s) {
        return s != null && SHA256_HEX.matcher(s).matches();
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
        String body = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
        for (String segment : body.split("/", -1)) {
            if (segment.isEmpty()) return Optional.of("empty path segment");
            if (segment.equals(".")) return Optional.of("'.' path segment");
            if (segment.equals("..")) return Optional.of("'..' path segment");
        }
        return Optional.empty();
    }
}
