package io.frostbyte.export.verify;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class FileSetCheckTest {
    @Test
    void hexEquals_everyByteValue_matchesHexFormat() {
        byte[] digest = new byte[256];
        for (int i = 0; i < 256; i++) digest[i] = (byte) i;
        String hex = HexFormat.of().formatHex(digest);
        assertTrue(FileSetCheck.hexEquals(digest, hex));
        assertFalse(FileSetCheck.hexEquals(digest, hex.toUpperCase()));
        assertFalse(FileSetCheck.hexEquals(digest, hex.substring(2)));
        for (int i = 0; i < hex.length(); i += 37) {
            char[] c = hex.toCharArray();
            c[i] = c[i] == '0' ? '1' : '0';
            assertFalse(FileSetCheck.hexEquals(digest, new String(c)), "changed digit " + i);
        }
    }
}
