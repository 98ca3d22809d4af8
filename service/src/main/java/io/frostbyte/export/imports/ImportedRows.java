package io.frostbyte.export.imports;

import com.fasterxml.jackson.databind.JsonNode;
import io.frostbyte.export.json.JsonFormatException;
import io.frostbyte.export.json.StrictJson;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The rows a bundle's payload files become in the importing tenant. Ids are derived, not copied:
 * {@link #targetId} maps (importing tenant, source tenant, kind, source id) to a name-based UUID,
 * so importing the same bundle again meets the same rows ({@code on_conflict}), and two tenants
 * importing one bundle never share an id.
 */
public final class ImportedRows {
    /** The UUID (version 5) namespace of imported row ids. */
    public static final UUID NAMESPACE = UUID.fromString("5d0c7a52-3c1e-4f6b-9f3a-7b2e8c4d1a90");

    private static final Set<String> DOCUMENT_FIELDS = Set.of("id", "tenant_id", "title", "source_uri", "content_type", "content",
            "metadata", "created_at", "updated_at");
    private static final Set<String> CHUNK_FIELDS = Set.of("chunk_id", "document_id", "tenant_id", "chunk_index", "text",
            "token_count", "metadata", "created_at");

    private ImportedRows() {}

    public enum Kind {
        DOCUMENT("document"), CHUNK("chunk");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /**
     * A document as it will be written; {@code sourceId} and {@code sourceTenant} as the bundle has
     * them. {@code defaulted} names the first member the file left out (or null) that the row fills
     * with the table's default: legacy bundles may do that, v1 bundles may not.
     */
    public record Document(UUID id, UUID tenantId, UUID sourceId, UUID sourceTenant, String title, Optional<String> sourceUri,
            String contentType, String content, String metadataJson, Optional<Instant> createdAt, Optional<Instant> updatedAt,
            Optional<String> defaulted) {
        public Document {
            Objects.requireNonNull(defaulted, "defaulted");
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(tenantId, "tenantId");
            Objects.requireNonNull(sourceId, "sourceId");
            Objects.requireNonNull(sourceTenant, "sourceTenant");
            Objects.requireNonNull(title, "title");
            Objects.requireNonNull(sourceUri, "sourceUri");
            Objects.requireNonNull(contentType, "contentType");
            Objects.requireNonNull(content, "content");
            Objects.requireNonNull(metadataJson, "metadataJson");
            Objects.requireNonNull(createdAt, "createdAt");
            Objects.requireNonNull(updatedAt, "updatedAt");
        }

        public long weight() {
            return 2L * (content.length() + title.length() + metadataJson.length()) + 256;
        }
    }

    /** A chunk as it will be written; {@code defaulted} as for {@link Document}. */
    public record Chunk(UUID id, UUID tenantId, UUID documentId, UUID sourceId, UUID sourceDocumentId, UUID sourceTenant, int chunkIndex,
            String text, int tokenCount, String metadataJson, Optional<Instant> createdAt, Optional<String> defaulted) {
        public Chunk {
            Objects.requireNonNull(defaulted, "defaulted");
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(tenantId, "tenantId");
            Objects.requireNonNull(documentId, "documentId");
            Objects.requireNonNull(sourceId, "sourceId");
            Objects.requireNonNull(sourceDocumentId, "sourceDocumentId");
            Objects.requireNonNull(sourceTenant, "sourceTenant");
            if (chunkIndex < 0) throw new IllegalArgumentException("chunk_index is negative");
            if (tokenCount < 0) throw new IllegalArgumentException("token_count is negative");
            Objects.requireNonNull(text, "text");
            Objects.requireNonNull(metadataJson, "metadataJson");
            Objects.requireNonNull(createdAt, "createdAt");
        }

        public long weight() {
            return 2L * (text.length() + metadataJson.length()) + 256;
        }
    }

    /** A payload file that cannot become a row; the import is rejected with this code and message. */
    public static final class ContentException extends Exception {
        private final String code;

        ContentException(String code, String message) {
            super(message);
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    /** The id a source row gets in the importing tenant. */
    public static UUID targetId(UUID importingTenant, UUID sourceTenant, Kind kind, UUID sourceId) {
        String name = "frostbyte-import:" + importingTenant + ":" + sourceTenant + ":" + kind.label() + ":" + sourceId;
        return uuidV5(NAMESPACE, name);
    }

    /** RFC 9562 §5.5: SHA-1 of namespace and name, version 5, variant 10. */
    static UUID uuidV5(UUID namespace, String name) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(toBytes(namespace));
            byte[] h = sha1.digest(name.getBytes(StandardCharsets.UTF_8));
            h[6] = (byte) ((h[6] & 0x0f) | 0x50);
            h[8] = (byte) ((h[8] & 0x3f) | 0x80);
            long msb = 0;
            long lsb = 0;
            for (int i = 0; i < 8; i++) msb = (msb << 8) | (h[i] & 0xff);
            for (int i = 8; i < 16; i++) lsb = (lsb << 8) | (h[i] & 0xff);
            return new UUID(msb, lsb);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }

    private static byte[] toBytes(UUID u) {
        byte[] b = new byte[16];
        long msb = u.getMostSignificantBits();
        long lsb = u.getLeastSignificantBits();
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (msb >>> (56 - 8 * i));
            b[8 + i] = (byte) (lsb >>> (56 - 8 * i));
        }
        return b;
    }

    /** The source id a payload path names: {@code documents/<uuid>.json} or {@code chunks/<uuid>.json}. */
    public static UUID idOfPath(String path, String prefix) throws ContentException {
        String name = path.substring(prefix.length());
        if (!name.endsWith(".json") || name.length() != 36 + 5) {
            throw new ContentException("content_path", path + ": payload files are named " + prefix + "<uuid>.json");
        }
        try {
            UUID id = UUID.fromString(name.substring(0, 36));
            if (!id.toString().equals(name.substring(0, 36))) throw new IllegalArgumentException();
            return id;
        } catch (IllegalArgumentException e) {
            throw new ContentException("content_path", path + ": payload files are named " + prefix + "<uuid>.json (lowercase)");
        }
    }

    /** Parses a document file of the bundle into the row it becomes in {@code importingTenant}. */
    public static Document document(String path, byte[] json, UUID importingTenant) throws ContentException {
        UUID sourceId = idOfPath(path, "documents/");
        JsonNode n = object(path, json, DOCUMENT_FIELDS);
        UUID id = uuid(path, n, "id");
        if (!id.equals(sourceId)) throw new ContentException("content_invalid", path + ": id " + id + " differs from the file name");
        UUID sourceTenant = uuid(path, n, "tenant_id");
        // source_uri may be null in any bundle (the service writes null for none); it must still be there.
        Optional<String> defaulted = n.has("source_uri") ? absent(n, "content_type", "metadata", "created_at", "updated_at")
                : Optional.of("source_uri");
        return new Document(targetId(importingTenant, sourceTenant, Kind.DOCUMENT, sourceId), importingTenant, sourceId, sourceTenant,
                text(path, n, "title", true).orElseThrow(), text(path, n, "source_uri", false),
                text(path, n, "content_type", false).orElse("text/plain"), text(path, n, "content", true).orElseThrow(),
                metadata(path, n), instant(path, n, "created_at"), instant(path, n, "updated_at"), defaulted);
    }

    /** Parses a chunk file of the bundle into the row it becomes in {@code importingTenant}. */
    public static Chunk chunk(String path, byte[] json, UUID importingTenant) throws ContentException {
        UUID sourceId = idOfPath(path, "chunks/");
        JsonNode n = object(path, json, CHUNK_FIELDS);
        UUID id = uuid(path, n, "chunk_id");
        if (!id.equals(sourceId)) throw new ContentException("content_invalid", path + ": chunk_id " + id + " differs from the file name");
        UUID sourceTenant = uuid(path, n, "tenant_id");
        UUID sourceDocument = uuid(path, n, "document_id");
        return new Chunk(targetId(importingTenant, sourceTenant, Kind.CHUNK, sourceId), importingTenant,
                targetId(importingTenant, sourceTenant, Kind.DOCUMENT, sourceDocument), sourceId, sourceDocument, sourceTenant,
                integer(path, n, "chunk_index", true).orElseThrow(), text(path, n, "text", true).orElseThrow(),
                integer(path, n, "token_count", false).orElse(0), metadata(path, n), instant(path, n, "created_at"),
                absent(n, "token_count", "metadata", "created_at"));
    }

    /** The first of {@code members} that {@code n} lacks or holds as null. */
    private static Optional<String> absent(JsonNode n, String... members) {
        for (String m : members) {
            JsonNode v = n.get(m);
            if (v == null || v.isNull()) return Optional.of(m);
        }
        return Optional.empty();
    }

    private static JsonNode object(String path, byte[] json, Set<String> allowed) throws ContentException {
        JsonNode n;
        try {
            n = StrictJson.parse(json);
        } catch (JsonFormatException e) {
            throw new ContentException("content_invalid", path + ": not valid JSON: " + e.reason());
        }
        if (!n.isObject()) throw new ContentException("content_invalid", path + ": not a JSON object");
        Iterator<String> names = n.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!allowed.contains(name)) {
                // Dropping a member would import something other than what was signed.
                throw new ContentException("content_invalid", path + ": unknown member '" + name + "'");
            }
        }
        return n;
    }

    private static UUID uuid(String path, JsonNode n, String field) throws ContentException {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) throw new ContentException("content_invalid", path + ": " + field + " must be a UUID string");
        try {
            UUID id = UUID.fromString(v.textValue());
            if (!id.toString().equals(v.textValue().toLowerCase(java.util.Locale.ROOT)) || v.textValue().length() != 36) {
                throw new IllegalArgumentException();
            }
            return id;
        } catch (IllegalArgumentException e) {
            throw new ContentException("content_invalid", path + ": " + field + " must be a UUID string");
        }
    }

    private static Optional<String> text(String path, JsonNode n, String field, boolean required) throws ContentException {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            if (required) throw new ContentException("content_invalid", path + ": " + field + " is required");
            return Optional.empty();
        }
        if (!v.isTextual()) throw new ContentException("content_invalid", path + ": " + field + " must be a string");
        if (v.textValue().indexOf('\0') >= 0) {
            throw new ContentException("content_invalid", path + ": " + field + " holds a NUL character, which PostgreSQL text cannot store");
        }
        return Optional.of(v.textValue());
    }

    private static Optional<Integer> integer(String path, JsonNode n, String field, boolean required) throws ContentException {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            if (required) throw new ContentException("content_invalid", path + ": " + field + " is required");
            return Optional.empty();
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < 0) {
            throw new ContentException("content_invalid", path + ": " + field + " must be a non-negative integer");
        }
        return Optional.of(v.intValue());
    }

    private static String metadata(String path, JsonNode n) throws ContentException {
        JsonNode v = n.get("metadata");
        if (v == null || v.isNull()) return "{}";
        if (!v.isObject()) throw new ContentException("content_invalid", path + ": metadata must be a JSON object");
        if (holdsNul(v)) {
            throw new ContentException("content_invalid", path + ": metadata holds a NUL character, which PostgreSQL jsonb cannot store");
        }
        return v.toString();
    }

    /** Whether a member name or string anywhere in {@code v} holds U+0000. */
    private static boolean holdsNul(JsonNode v) {
        if (v.isTextual()) return v.textValue().indexOf('\0') >= 0;
        Iterator<Map.Entry<String, JsonNode>> fields = v.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            if (f.getKey().indexOf('\0') >= 0 || holdsNul(f.getValue())) return true;
        }
        if (v.isArray()) {
            for (JsonNode e : v) if (holdsNul(e)) return true;
        }
        return false;
    }

    /**
     * RFC 3339 in UTC as the service writes it: {@code Z}, years 0001-9999, at most microseconds
     * (what PostgreSQL keeps), no leap second (java.time would read 23:59:60 as 23:59:59), so the
     * row holds exactly the instant the bundle states.
     */
    private static final java.util.regex.Pattern INSTANT =
            java.util.regex.Pattern.compile("\\d{4}-\\d{2}-\\d{2}T([01]\\d|2[0-3]):[0-5]\\d:[0-5]\\d(\\.\\d{1,6})?Z");

    private static Optional<Instant> instant(String path, JsonNode n, String field) throws ContentException {
        Optional<String> v = text(path, n, field, false);
        if (v.isEmpty()) return Optional.empty();
        try {
            if (!INSTANT.matcher(v.get()).matches() || v.get().startsWith("0000")) throw new DateTimeParseException("", v.get(), 0);
            return Optional.of(Instant.parse(v.get()));
        } catch (DateTimeParseException e) {
            throw new ContentException("content_invalid", path + ": " + field
                    + " must be an RFC 3339 UTC instant (Z, years 0001-9999, at most microseconds)");
        }
    }
}
