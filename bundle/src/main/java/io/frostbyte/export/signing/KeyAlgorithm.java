package io.frostbyte.export.signing;

import java.util.Locale;

/** The signing key algorithms this service generates. */
public enum KeyAlgorithm {
    /** Ed25519 as a v4 key with EdDSA "legacy" algorithm id 22: the form GnuPG 2.2 reads. */
    ED25519("ed25519"),
    /** RSA with a 3072-bit modulus. */
    RSA3072("rsa3072");

    private final String label;

    KeyAlgorithm(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** Parses a configuration value such as {@code ed25519} or {@code rsa3072} (case-insensitive). */
    public static KeyAlgorithm parse(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT).replace("-", "");
        for (KeyAlgorithm a : values()) {
            if (a.label.equals(v)) return a;
        }
        throw new IllegalArgumentException("unknown key algorithm '" + value + "' (expected ed25519 or rsa3072)");
    }
}
