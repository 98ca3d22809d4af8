package io.frostbyte.export.observability;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * One JSON object per line: {@code timestamp} (RFC 3339), {@code level} (Lambda's names, so its
 * log-level filtering applies), {@code logger}, {@code message}, the thread's {@link LogContext}
 * ids, the record's {@link LogFields}, and for a throwable {@code error} and {@code stack} (escaped,
 * so a stack trace stays one line and one CloudWatch event).
 */
public final class JsonLogFormatter extends Formatter {
    private static final int MAX_STACK_CHARS = 8_000;

    @Override
    public String format(LogRecord r) {
        StringBuilder b = new StringBuilder(256).append('{');
        Json.field(b, "timestamp", r.getInstant().truncatedTo(ChronoUnit.MILLIS).toString());
        Json.field(b, "level", level(r.getLevel()));
        Json.field(b, "logger", shortName(r.getLoggerName()));
        LogFields fields = fieldsOf(r);
        Json.field(b, "message", fields == null ? formatMessage(r) : String.valueOf(r.getMessage()));
        for (Map.Entry<String, String> e : LogContext.snapshot().entrySet()) Json.field(b, e.getKey(), e.getValue());
        if (fields != null) {
            for (Map.Entry<String, Object> e : fields.values().entrySet()) {
                if (e.getValue() instanceof Number n) Json.field(b, e.getKey(), n); else Json.field(b, e.getKey(), String.valueOf(e.getValue()));
            }
        }
        if (r.getThrown() != null) {
            Json.field(b, "error", r.getThrown().toString());
            StringWriter stack = new StringWriter();
            r.getThrown().printStackTrace(new PrintWriter(stack));
            String s = stack.toString().strip();
            Json.field(b, "stack", s.length() > MAX_STACK_CHARS ? s.substring(0, MAX_STACK_CHARS) + " ..." : s);
        }
        return b.append("}\n").toString();
    }

    private static LogFields fieldsOf(LogRecord r) {
        Object[] params = r.getParameters();
        return params != null && params.length == 1 && params[0] instanceof LogFields f ? f : null;
    }

    /** java.util.logging's levels in the names Lambda's JSON log format filters on. */
    static String level(Level level) {
        int v = level.intValue();
        if (v >= Level.SEVERE.intValue()) return "ERROR";
        if (v >= Level.WARNING.intValue()) return "WARN";
        if (v >= Level.INFO.intValue()) return "INFO";
        if (v >= Level.FINE.intValue()) return "DEBUG";
        return "TRACE";
    }

    private static String shortName(String logger) {
        if (logger == null || logger.isEmpty()) return "root";
        return logger.startsWith("io.frostbyte.export.") ? logger.substring(logger.lastIndexOf('.') + 1) : logger;
    }
}
