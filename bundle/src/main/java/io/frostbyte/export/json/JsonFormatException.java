package io.frostbyte.export.json;

/** Input is not the strict, interoperable JSON (I-JSON, RFC 7493) this project signs and verifies. */
public final class JsonFormatException extends Exception {
    public JsonFormatException(String message) {
        super(message);
    }

    public JsonFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
