package io.frostbyte.export.export;

import java.util.Map;
import java.util.Objects;

/**
 * A create request the service refuses: what is wrong (the {@link Kind}), a sentence for the caller,
 * and details such as the offending field or ids. The API maps the kind to an HTTP status.
 */
public final class ExportRequestException extends Exception {
    /** Why a request is refused. */
    public enum Kind {
        /** The body is not a valid request (field, type, JSON). */
        INVALID_BODY,
        /** The body is larger than the service reads. */
        BODY_TOO_LARGE,
        /** Some requested documents are not the tenant's. */
        UNKNOWN_DOCUMENTS,
        /** The Idempotency-Key was used before with another body. */
        IDEMPOTENCY_CONFLICT,
        /** The selection matches no document. */
        SELECTION_EMPTY,
        /** The selection matches more files than one bundle holds. */
        SELECTION_TOO_LARGE
    }

    private final Kind kind;
    private final Map<String, Object> details;

    public ExportRequestException(Kind kind, String detail) {
        this(kind, detail, Map.of());
    }

    public ExportRequestException(Kind kind, String detail, Map<String, Object> details) {
        super(detail);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.details = Map.copyOf(details);
    }

    public Kind kind() {
        return kind;
    }

    /** Members for the caller beyond the sentence, e.g. {@code field} or {@code unknown_document_ids}. */
    public Map<String, Object> details() {
        return details;
    }
}
