package io.frostbyte.export.signing;

import java.util.Locale;
import java.util.Optional;

/** Why a key is revoked, with its OpenPGP reason code (RFC 4880 §5.2.3.23). */
public enum RevocationReason {
    /** The key was replaced; 0x01 "Key is superseded". */
    SUPERSEDED((byte) 0x01, "Key is superseded"),
    /** The key may be in other hands; 0x02 "Key material has been compromised". */
    COMPROMISED((byte) 0x02, "Key material has been compromised");

    private final byte code;
    private final String description;

    RevocationReason(byte code, String description) {
        this.code = code;
        this.description = description;
    }

    public byte code() {
        return code;
    }

    public String description() {
        return description;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<RevocationReason> of(String label) {
        for (RevocationReason r : values()) {
            if (r.label().equals(label)) return Optional.of(r);
        }
        return Optional.empty();
    }
}
