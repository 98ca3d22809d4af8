package io.frostbyte.export.verify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The outcome of verifying one bundle (format §7).
 *
 * @param filesChecked payload files whose size and SHA-256 matched the manifest
 */
public record VerificationReport(
        Status status,
        Optional<Format> format,
        Optional<String> exportId,
        Optional<String> tenantId,
        Optional<String> signerFingerprint,
        OptionalInt documentCount,
        OptionalInt chunkCount,
        int filesChecked,
        List<VerificationError> errors) {

    public enum Status {
        VALID("valid", 0), INVALID("invalid", 1), LEGACY_REJECTED("legacy_rejected", 2);

        private final String json;
        private final int exitCode;

        Status(String json, int exitCode) {
            this.json = json;
            this.exitCode = exitCode;
        }

        public String json() {
            return json;
        }

        public int exitCode() {
            return exitCode;
        }
    }

    public enum Format {
        V1("v1"), LEGACY("legacy");

        private final String json;

        Format(String json) {
            this.json = json;
        }

        public String json() {
            return json;
        }
    }

    public VerificationReport {
        Objects.requireNonNull(status, "status");
        errors = List.copyOf(errors);
        if (status == Status.VALID && !errors.isEmpty()) throw new IllegalArgumentException("a valid report has no errors");
        if (status != Status.VALID && errors.isEmpty()) throw new IllegalArgumentException("a failed report names its errors");
    }

    public boolean isValid() {
        return status == Status.VALID;
    }

    /** The §7 JSON report (plus document_count and chunk_count). */
    public ObjectNode toJson() {
        ObjectNode n = new ObjectMapper().createObjectNode();
        n.put("status", status.json());
        put(n, "format", format.map(Format::json));
        put(n, "export_id", exportId);
        put(n, "tenant_id", tenantId);
        put(n, "signer_fingerprint", signerFingerprint);
        n.put("files_checked", filesChecked);
        if (documentCount.isPresent()) n.put("document_count", documentCount.getAsInt()); else n.putNull("document_count");
        if (chunkCount.isPresent()) n.put("chunk_count", chunkCount.getAsInt()); else n.putNull("chunk_count");
        ArrayNode list = n.putArray("errors");
        for (VerificationError e : errors) {
            ObjectNode o = list.addObject();
            o.put("code", e.code());
            put(o, "path", e.path());
            o.put("message", e.message());
            o.put("rule", e.rule().id());
        }
        return n;
    }

    private static void put(ObjectNode n, String name, Optional<String> value) {
        if (value.isPresent()) n.put(name, value.get()); else n.putNull(name);
    }
}
