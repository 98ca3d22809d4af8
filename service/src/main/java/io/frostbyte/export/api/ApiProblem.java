package io.frostbyte.export.api;

import java.util.Map;

/**
 * An RFC 9457 problem a request ends in: status, a short title, a detail sentence for the caller,
 * and extension members (e.g. the unknown document ids).
 */
public final class ApiProblem extends Exception {
    private final int status;
    private final String title;
    private final Map<String, Object> extensions;

    public ApiProblem(int status, String title, String detail) {
        this(status, title, detail, Map.of());
    }

    public ApiProblem(int status, String title, String detail, Map<String, Object> extensions) {
        super(detail);
        this.status = status;
        this.title = title;
        this.extensions = Map.copyOf(extensions);
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return getMessage();
    }

    public Map<String, Object> extensions() {
        return extensions;
    }
}
