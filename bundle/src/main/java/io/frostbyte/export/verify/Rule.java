package io.frostbyte.export.verify;

/**
 * The rules of bundle format §5 (and §6 for legacy bundles). {@link #id()} is what the JSON report's
 * {@code rule} member and the human report's "FAILED rule" line carry, and what
 * docs/bundle-format.md's table lists.
 */
public enum Rule {
    STREAM("1", "the gzip and tar streams parse to their end"),
    ENTRIES("2", "every entry obeys §2: allowed headers and types, safe unique names, one top-level directory"),
    MANIFEST("3", "exactly one manifest.json, an I-JSON object with the v1 members, export_id = top-level directory"),
    VERSION("4", "signature_version is 1"),
    SIGNATURE("5", "a trusted, valid, unrevoked key made the signature over the payload"),
    FILES("6", "every listed file is present once with its size and SHA-256; nothing unlisted"),
    COUNTS("7", "document_count and chunk_count match files; paths only under documents/ and chunks/"),
    PINS("8", "the caller's --expect-tenant and --expect-export pins match"),
    LEGACY("legacy", "§6: a legacy bundle, rejected unless --legacy-accept");

    private final String id;
    private final String description;

    Rule(String id, String description) {
        this.id = id;
        this.description = description;
    }

    public String id() {
        return id;
    }

    public String description() {
        return description;
    }

    /** The rule with this id ("1"-"8" or "legacy"). */
    public static Rule of(String id) {
        for (Rule r : values()) if (r.id.equals(id)) return r;
        throw new IllegalArgumentException("no rule " + id);
    }
}
