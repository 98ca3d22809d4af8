package io.frostbyte.export.json;

/** Input is not the strict, interoperable JSON (I-JSON, RFC 7493) this project signs and verifies. */
public final class JsonFormatException extends Exception {
    public JsonFormatException(String message) {
        super(message);
    }

    public JsonFormatException(String message, Throwable cause) {
        super(message, cause);
    }

    /** What was wrong, without the leading "not valid JSON: ", for callers that say so themselves. */
    public String reason() {
        String m = getMessage();
        return m.startsWith(PREFIX) ? m.substring(PREFIX.length()) : m;
    }

    private static final String PREFIX = "not valid JSON: ";
}
