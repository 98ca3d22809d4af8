package io.frostbyte.export.export;

import com.fasterxml.jackson.databind.JsonNode;
import io.frostbyte.export.json.JsonFormatException;
import io.frostbyte.export.json.StrictJson;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A validated {@code POST /tenants/{tenant_id}/exports} body: exactly one of a list of document ids
 * and a {@link Selection}.
 */
public record CreateExportRequest(List<UUID> documentIds, Optional<Selection> selection, boolean includeChunks) {
    public static final int MAX_BODY_BYTES = 256 * 1024;
    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    public CreateExportRequest {
        documentIds = List.copyOf(documentIds);
        Objects.requireNonNull(selection, "selection");
        if (documentIds.isEmpty() == selection.isEmpty()) throw new IllegalArgumentException("exactly one of documentIds and selection");
    }

    /** An export of these documents. */
    public CreateExportRequest(List<UUID> documentIds, boolean includeChunks) {
        this(documentIds, Optional.empty(), includeChunks);
    }

    /** An export of what {@code selection} matches. */
    public CreateExportRequest(Selection selection, boolean includeChunks) {
        this(List.of(), Optional.of(selection), includeChunks);
    }

    /** Parses and validates a body; every problem is INVALID_BODY (or BODY_TOO_LARGE) naming the field. */
    public static CreateExportRequest parse(String body, int maxDocuments) throws ExportRequestException {
        if (body == null || body.isBlank()) {
            throw new ExportRequestException(ExportRequestException.Kind.INVALID_BODY, "the request body is empty; expected a JSON object with document_ids");
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_BODY_BYTES) {
            throw new ExportRequestException(ExportRequestException.Kind.BODY_TOO_LARGE, "the request body is " + bytes.length
                    + " bytes; the limit is " + MAX_BODY_BYTES);
        }
        JsonNode node;
        try {
            node = StrictJson.parse(bytes);
        } catch (JsonFormatException e) {
            throw new ExportRequestException(ExportRequestException.Kind.INVALID_BODY, "the request body is not valid JSON: " + e.reason());
        }
        if (!node.isObject()) throw new ExportRequestException(ExportRequestException.Kind.INVALID_BODY, "the request body must be a JSON object");
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!name.equals("document_ids") && !name.equals("include_chunks") && !name.equals("selection")) {
                throw new ExportRequestException(ExportRequestException.Kind.INVALID_BODY, "unknown field '" + name
                        + "'; allowed fields are document_ids, selection and include_chunks", Map.of("field", name));
            }
        }
        JsonNode include = node.get("include_chunks");
        if (include != null && !include.isBoolean()) throw field("include_chunks", "include_chunks must be true or false");
        boolean chunks = include != null && include.booleanValue();
        JsonNode ids = node.get("document_ids");
        JsonNode selection = node.get("selection");
        if (ids != null && selection != null) throw field("selection", "give either document_ids or selection, not both");
        if (selection != null) return new CreateExportRequest(Selection.parse(selection), chunks);
        if (ids == null) throw field("document_ids", "document_ids (or a selection) is required");
        if (!ids.isArray()) throw field("document_ids", "document_ids must be an array of document UUIDs");
        if (ids.isEmpty()) throw field("document_ids", "document_ids must not be empty");
        if (ids.size() > maxDocuments) {
            throw field("document_ids", "document_ids has " + ids.size() + " entries; at most " + maxDocuments + " are allowed");
        }
        Set<UUID> seen = new LinkedHashSet<>();
        List<String> invalid = new ArrayList<>();
        List<String> duplicates = new ArrayList<>();
        for (JsonNode id : ids) {
            if (!id.isTextual() || !UUID_TEXT.matcher(id.textValue()).matches()) {
                invalid.add(id.isTextual() ? id.textValue() : id.toString());
                continue;
            }
            UUID uuid = UUID.fromString(id.textValue());
            if (!seen.add(uuid)) duplicates.add(uuid.toString());
        }
        if (!invalid.isEmpty()) {
            throw new ExportRequestException(ExportRequestException.Kind.INVALID_BODY, "document_ids holds values that are not UUIDs",
                    Map.of("field", "document_ids", "invalid_values", invalid.subList(0, Math.min(20, invalid.size()))));
        }
        if (!duplicates.isEmpty()) {
            throw new ExportRequestException(ExportRequestException.Kind.INVALID_BODY, "document_ids holds duplicates",
                    Map.of("field", "document_ids", "duplicate_ids", duplicates.subList(0, Math.min(20, duplicates.size()))));
        }
        return new CreateExportRequest(new ArrayList<>(seen), chunks);
    }

    private static ExportRequestException field(String field, String detail) {
        return new ExportRequestException(ExportRequestException.Kind.INVALID_BODY, detail, Map.of("field", field));
    }
}
