package io.frostbyte.export.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Which of a tenant's documents an export takes when it names no ids: all of them, or those that
 * match every given filter. Written into the bundle's manifest (member {@code selection}, signed),
 * so its strings are ASCII and its numbers integers in [0, 2^53), as format §3 asks of writers.
 *
 * @param all every document of the tenant (no filter may accompany it)
 * @param updatedSince documents with {@code updated_at >= updatedSince}
 * @param updatedBefore documents with {@code updated_at < updatedBefore}
 * @param contentType documents of exactly this content type
 * @param sourceUriPrefix documents whose source URI starts with this
 * @param metadataContains documents whose metadata contains this JSON object (PostgreSQL {@code @>})
 */
public record Selection(boolean all, Optional<Instant> updatedSince, Optional<Instant> updatedBefore, Optional<String> contentType,
        Optional<String> sourceUriPrefix, Optional<ObjectNode> metadataContains) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> FIELDS = Set.of("all", "updated_since", "updated_before", "content_type", "source_uri_prefix",
            "metadata_contains");
    private static final long MAX_SAFE_INTEGER = 1L << 53;
    /** Longest metadata_contains, as compact JSON. */
    public static final int MAX_METADATA_CONTAINS_CHARS = 4096;

    public Selection {
        Objects.requireNonNull(updatedSince, "updatedSince");
        Objects.requireNonNull(updatedBefore, "updatedBefore");
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(sourceUriPrefix, "sourceUriPrefix");
        Objects.requireNonNull(metadataContains, "metadataContains");
        metadataContains = metadataContains.map(ObjectNode::deepCopy);
        boolean filtered = updatedSince.isPresent() || updatedBefore.isPresent() || contentType.isPresent() || sourceUriPrefix.isPresent()
                || metadataContains.isPresent();
        if (all == filtered) throw new IllegalArgumentException("a selection is either all or at least one filter");
    }

    public static Selection everything() {
        return new Selection(true, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** The selection as the manifest and the job record it: members sorted, times in UTC with Z. */
    public ObjectNode toJson() {
        ObjectNode n = JSON.createObjectNode();
        if (all) n.put("all", true);
        contentType.ifPresent(v -> n.put("content_type", v));
        metadataContains.ifPresent(v -> n.set("metadata_contains", v.deepCopy()));
        sourceUriPrefix.ifPresent(v -> n.put("source_uri_prefix", v));
        updatedBefore.ifPresent(v -> n.put("updated_before", DateTimeFormatter.ISO_INSTANT.format(v)));
        updatedSince.ifPresent(v -> n.put("updated_since", DateTimeFormatter.ISO_INSTANT.format(v)));
        return n;
    }

    /** Parses the request member {@code selection}; every problem is INVALID_BODY naming the member. */
    public static Selection parse(JsonNode node) throws ExportRequestException {
        if (!node.isObject()) throw invalid("selection must be an object: {\"all\": true} or filters");
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw invalid("unknown selection member '" + name + "'; allowed are " + String.join(", ", FIELDS.stream().sorted().toList()));
            }
        }
        JsonNode all = node.get("all");
        if (all != null && !(all.isBoolean() && all.booleanValue())) throw invalid("selection.all must be true (leave it out to filter)");
        Optional<ObjectNode> metadata = Optional.empty();
        JsonNode m = node.get("metadata_contains");
        if (m != null) {
            if (!m.isObject()) throw invalid("selection.metadata_contains must be a JSON object");
            if (m.toString().length() > MAX_METADATA_CONTAINS_CHARS) {
                // It is matched against every candidate document (PostgreSQL's @> walks arrays pairwise) and signed into the manifest.
                throw invalid("selection.metadata_contains may be at most " + MAX_METADATA_CONTAINS_CHARS + " characters of JSON");
            }
            checkManifestSafe(m, "selection.metadata_contains");
            metadata = Optional.of((ObjectNode) m);
        }
        Selection s;
        try {
            s = new Selection(all != null, instant(node, "updated_since"), instant(node, "updated_before"), text(node, "content_type"),
                    text(node, "source_uri_prefix"), metadata);
        } catch (IllegalArgumentException e) {
            throw invalid(all != null ? "selection.all cannot be combined with filters" : "selection needs {\"all\": true} or at least one filter");
        }
        if (s.updatedSince.isPresent() && s.updatedBefore.isPresent() && !s.updatedSince.get().isBefore(s.updatedBefore.get())) {
            throw invalid("selection.updated_since must be before selection.updated_before");
        }
        return s;
    }

    /**
     * RFC 3339 with seconds, at most microseconds (what PostgreSQL compares: finer digits would be
     * rounded and the signed selection would state another bound than the one applied), years
     * 0001-9999.
     */
    private static final java.util.regex.Pattern TIME = java.util.regex.Pattern.compile(
            "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,6})?(Z|[+-]\\d{2}:\\d{2})");

    private static Optional<Instant> instant(JsonNode node, String field) throws ExportRequestException {
        JsonNode v = node.get(field);
        if (v == null) return Optional.empty();
        String hint = "selection." + field + " must be an RFC 3339 time with seconds, at most microseconds and a year from 0001"
                + " to 9999, e.g. 2026-11-01T00:00:00Z";
        if (!v.isTextual() || !TIME.matcher(v.textValue()).matches() || v.textValue().startsWith("0000")) throw invalid(hint);
        try {
            Instant at = java.time.OffsetDateTime.parse(v.textValue()).toInstant();
            if (at.isBefore(Instant.parse("0001-01-01T00:00:00Z")) || !at.isBefore(Instant.parse("+10000-01-01T00:00:00Z"))) throw invalid(hint);
            return Optional.of(at);
        } catch (DateTimeParseException e) {
            throw invalid(hint);
        }
    }

    private static Optional<String> text(JsonNode node, String field) throws ExportRequestException {
        JsonNode v = node.get(field);
        if (v == null) return Optional.empty();
        if (!v.isTextual() || v.textValue().isEmpty()) throw invalid("selection." + field + " must be a non-empty string");
        checkManifestSafe(v, "selection." + field);
        return Optional.of(v.textValue());
    }

    /** Format §3: writers emit ASCII strings without control characters and integers in [0, 2^53). */
    private static void checkManifestSafe(JsonNode v, String where) throws ExportRequestException {
        if (v.isTextual()) {
            for (int i = 0; i < v.textValue().length(); i++) {
                char c = v.textValue().charAt(i);
                if (c < 0x20 || c > 0x7e) {
                    throw invalid(where + " must be printable ASCII: it goes into the signed manifest (bundle format §3)");
                }
            }
        } else if (v.isNumber()) {
            if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0 || v.longValue() >= MAX_SAFE_INTEGER) {
                throw invalid(where + " may hold only integers from 0 to 2^53 - 1 (bundle format §3)");
            }
        } else if (v.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = v.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                checkManifestSafe(JSON.getNodeFactory().textNode(f.getKey()), where);
                checkManifestSafe(f.getValue(), where);
            }
        } else if (v.isArray()) {
            for (JsonNode e : v) checkManifestSafe(e, where);
        }
    }

    private static ExportRequestException invalid(String detail) {
        return new ExportRequestException(ExportRequestException.Kind.INVALID_BODY, detail, Map.of("field", "selection"));
    }
}
