package io.frostbyte.export.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class JsonLogFormatterTest {
    static final ObjectMapper JSON = new ObjectMapper();
    final JsonLogFormatter formatter = new JsonLogFormatter();

    @AfterEach
    void clear() {
        LogContext.clear();
    }

    static LogRecord record(Level level, String message, Object... params) {
        LogRecord r = new LogRecord(level, message);
        r.setLoggerName("io.frostbyte.export.export.ExportWorker");
        if (params.length > 0) r.setParameters(params);
        return r;
    }

    @Test
    void format_contextFieldsAndLambdaLevel_oneJsonObjectOnOneLine() throws Exception {
        UUID tenant = UUID.randomUUID();
        LogContext.put("request_id", "req-1");
        try (LogContext.Scope s = LogContext.with("tenant_id", tenant)) {
            String line = formatter.format(record(Level.WARNING, "export {0}: attempt {1} failed", "x", 2));
            assertTrue(line.endsWith("}\n") && line.indexOf('\n') == line.length() - 1, line);
            JsonNode j = JSON.readTree(line);
            assertEquals("WARN", j.get("level").asText());
            assertEquals("export x: attempt 2 failed", j.get("message").asText());
            assertEquals("ExportWorker", j.get("logger").asText());
            assertEquals("req-1", j.get("request_id").asText());
            assertEquals(tenant.toString(), j.get("tenant_id").asText());
            assertTrue(j.get("timestamp").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{1,3})?Z"), j.toString());
        }
        assertFalse(LogContext.get("tenant_id").isPresent(), "the scope restored the context");
    }

    @Test
    void format_fieldsNumbersAndAThrowableWithNewlines_stayOneLine() throws Exception {
        LogRecord r = record(Level.SEVERE, "request failed", LogFields.of("duration_ms", 12L, "route", "/x\n\"y\"", "skipped", null));
        r.setThrown(new IllegalStateException("line one\nline two \u2028 \ud800"));
        String line = formatter.format(r);
        assertEquals(1, line.split("\n", -1).length - 1, line);
        assertFalse(line.contains("\u2028"), "U+2028 is escaped");
        JsonNode j = JSON.readTree(line);
        assertEquals("ERROR", j.get("level").asText());
        assertEquals("request failed", j.get("message").asText());
        assertEquals(12, j.get("duration_ms").asLong());
        assertTrue(j.get("duration_ms").isNumber());
        assertEquals("/x\n\"y\"", j.get("route").asText());
        assertFalse(j.has("skipped"));
        assertTrue(j.get("error").asText().startsWith("java.lang.IllegalStateException: line one\nline two"), j.toString());
        assertTrue(j.get("stack").asText().contains("JsonLogFormatterTest"), j.toString());
    }

    @Test
    void level_everyJulLevel_mapsToLambdasNames() {
        assertEquals("ERROR", JsonLogFormatter.level(Level.SEVERE));
        assertEquals("WARN", JsonLogFormatter.level(Level.WARNING));
        assertEquals("INFO", JsonLogFormatter.level(Level.INFO));
        assertEquals("DEBUG", JsonLogFormatter.level(Level.CONFIG));
        assertEquals("DEBUG", JsonLogFormatter.level(Level.FINE));
        assertEquals("TRACE", JsonLogFormatter.level(Level.FINEST));
    }
}
