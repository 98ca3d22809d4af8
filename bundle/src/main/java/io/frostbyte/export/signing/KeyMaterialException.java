package io.frostbyte.export.signing;

/** An OpenPGP key could not be generated, read, written or used. Never carries key material. */
public final class KeyMaterialException extends Exception {
    public KeyMaterialException(String message, Throwable cause) {
        super(message, cause);
    }

    public KeyMaterialException(String message) {
        super(message);
    }
}
