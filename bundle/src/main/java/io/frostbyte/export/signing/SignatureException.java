package io.frostbyte.export.signing;

/** A signature failed a check; {@link #code()} names which, for reports. */
public final class SignatureException extends Exception {
    private final String code;

    public SignatureException(String code, String message) {
        super(message);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
