package io.frostbyte.export.signing;

import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;
import org.bouncycastle.openpgp.PGPPublicKey;

/** The 40-uppercase-hex text form of a v4 OpenPGP fingerprint. */
public final class Fingerprints {
    private static final Pattern V4 = Pattern.compile("[0-9A-F]{40}");

    private Fingerprints() {}

    public static String of(PGPPublicKey key) {
        return HexFormat.of().withUpperCase().formatHex(key.getFingerprint());
    }

    public static boolean isWellFormed(String fingerprint) {
        return fingerprint != null && V4.matcher(fingerprint).matches();
    }

    /** Accepts user input with spaces or lowercase, as gpg prints it; returns the canonical form. */
    public static String normalize(String userInput) {
        String f = userInput.replace(" ", "").toUpperCase(Locale.ROOT);
        if (f.startsWith("0X")) f = f.substring(2);
        if (!isWellFormed(f)) {
            throw new IllegalArgumentException("not a 40-hex-digit v4 fingerprint: " + userInput);
        }
        return f;
    }
}
