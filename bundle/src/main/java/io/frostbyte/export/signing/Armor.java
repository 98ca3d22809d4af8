package io.frostbyte.export.signing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.bouncycastle.bcpg.ArmoredOutputStream;

/** ASCII armor without a version header, so output does not depend on the library's version. */
final class Armor {
    private Armor() {}

    interface Encoder {
        void encode(ArmoredOutputStream out) throws IOException;
    }

    static String armor(Encoder encoder) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ArmoredOutputStream armored = ArmoredOutputStream.builder().clearHeaders().build(bytes)) {
            encoder.encode(armored);
        }
        return bytes.toString(StandardCharsets.US_ASCII);
    }
}
