package io.frostbyte.export.observability;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Named values one log line carries beside its message (counts, durations, outcomes). */
public record LogFields(Map<String, Object> values) {
    public LogFields {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(values, "values")));
    }

    /** {@code keyValues} alternates names and values: {@code "duration_ms", 12, "status", 202}. */
    public static LogFields of(Object... keyValues) {
        if (keyValues.length % 2 != 0) throw new IllegalArgumentException("names and values must pair up");
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            if (keyValues[i + 1] != null) m.put(String.valueOf(keyValues[i]), keyValues[i + 1]);
        }
        return new LogFields(m);
    }

    /** Logs {@code message} with these fields on {@code logger}, if the level is enabled. */
    public static void log(Logger logger, Level level, String message, Object... keyValues) {
        log(logger, level, message, null, keyValues);
    }

    public static void log(Logger logger, Level level, String message, Throwable thrown, Object... keyValues) {
        if (!logger.isLoggable(level)) return;
        LogRecord r = new LogRecord(level, message);
        r.setLoggerName(logger.getName());
        r.setParameters(new Object[] {of(keyValues)});
        if (thrown != null) r.setThrown(thrown);
        logger.log(r);
    }
}
