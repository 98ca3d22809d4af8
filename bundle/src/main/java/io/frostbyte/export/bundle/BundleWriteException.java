package io.frostbyte.export.bundle;

/** A bundle could not be written; the message names the export and the step. */
public final class BundleWriteException extends Exception {
    public BundleWriteException(String message, Throwable cause) {
        super(message, cause);
    }

    public BundleWriteException(String message) {
        super(message);
    }
}
