package io.frostbyte.export.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.frostbyte.export.config.ConfigException;
import org.junit.jupiter.api.Test;

class LocalRunnerTest {
    @Test
    void port_numberInRange_parsed() throws Exception {
        assertEquals(3000, LocalRunner.port("3000"));
        assertEquals(0, LocalRunner.port("0"));
        assertEquals(65_535, LocalRunner.port(" 65535 "));
    }

    @Test
    void port_notANumberOrOutOfRange_oneLineNamingTheVariable() {
        for (String bad : new String[] {"abc", "-1", "65536", "", "80a"}) {
            ConfigException e = assertThrows(ConfigException.class, () -> LocalRunner.port(bad), bad);
            assertTrue(e.getMessage().startsWith("FROSTBYTE_LOCAL_PORT must be a port number"), e.getMessage());
        }
    }
}
