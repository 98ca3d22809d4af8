package io.frostbyte.export.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;

class LoggingTest {
    @Test
    void level_lambdasVariableWinsOverOurs_namesCaseInsensitive() {
        assertEquals(Optional.of(Level.FINE), Logging.level(Map.of("AWS_LAMBDA_LOG_LEVEL", "debug", "FROSTBYTE_LOG_LEVEL", "ERROR")));
        assertEquals(Optional.of(Level.SEVERE), Logging.level(Map.of("FROSTBYTE_LOG_LEVEL", "ERROR")));
        assertEquals(Optional.of(Level.WARNING), Logging.level(Map.of("AWS_LAMBDA_LOG_LEVEL", "WARN")));
        assertEquals(Optional.of(Level.FINEST), Logging.level(Map.of("AWS_LAMBDA_LOG_LEVEL", "TRACE")));
        assertEquals(Optional.of(Level.SEVERE), Logging.level(Map.of("AWS_LAMBDA_LOG_LEVEL", "FATAL")));
        assertEquals(Optional.empty(), Logging.level(Map.of()));
        assertEquals(Optional.of(Level.INFO), Logging.level(Map.of("FROSTBYTE_LOG_LEVEL", "chatty")));
    }
}
