package io.frostbyte.export.imports;

import java.util.Map;
import java.util.Objects;

/** An import request the service refuses; the API maps the kind to an HTTP status. */
public final class ImportRequestException extends Exception {
    /** Why a request is refused. */
    public enum Kind {
        /** The body is not a valid request (field, type, JSON, key material). */
        INVALID_BODY,
        /** The body is larger than the service reads. */
        BODY_TOO_LARGE,
        /** The declared bundle is larger than FROSTBYTE_MAX_IMPORT_BYTES. */
        BUNDLE_TOO_LARGE
    }

    private final Kind kind;
    private final Map<String, Object> details;

    public ImportRequestException(Kind kind, String detail, Map<String, Object> details) {
        super(detail);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.details = Map.copyOf(details);
    }

    public Kind kind() {
        return kind;
    }

    /** Members for the caller beyond the sentence, e.g. {@code field}. */
    public Map<String, Object> details() {
        return details;
    }
}
