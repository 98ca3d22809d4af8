package io.frostbyte.export.bundle;

import java.io.IOException;

/** The gzip or tar layer of a bundle does not parse; {@link #code()} says which layer. */
public final class BundleFormatException extends IOException {
    private final String code;

    public BundleFormatException(String code, String message) {
        super(message);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
