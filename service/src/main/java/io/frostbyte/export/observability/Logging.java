package io.frostbyte.export.observability;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Makes java.util.logging (and, through slf4j-jdk14, the libraries that log with SLF4J) write one
 * JSON line per event to standard output, where Lambda and the local runner collect it. The level
 * comes from Lambda's {@code AWS_LAMBDA_LOG_LEVEL} (set by the function's ApplicationLogLevel), else
 * {@code FROSTBYTE_LOG_LEVEL}, else INFO. Libraries that would log connection strings or thread
 * pool chatter at INFO (Flyway, Lettuce, Netty, the AWS SDK) log warnings only.
 */
public final class Logging {
    /** Standard output is shared with the metric documents; one line must never split another. */
    static final Object STDOUT = new Object();
    private static final List<Logger> QUIETED = new ArrayList<>(); // strong references: JUL holds loggers weakly
    private static boolean installed;

    private Logging() {}

    /** Once per process (each container's wiring calls it; later calls do nothing). */
    public static synchronized void install(Map<String, String> env) {
        if (installed) return;
        installed = true;
        Logger root = Logger.getLogger("");
        for (Handler h : root.getHandlers()) root.removeHandler(h);
        Handler stdout = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (!isLoggable(record)) return;
                String line;
                try {
                    line = getFormatter().format(record);
                } catch (RuntimeException e) {
                    line = "{\"level\":\"ERROR\",\"message\":\"a log line could not be formatted\"}\n";
                }
                write(line);
            }

            @Override
            public void flush() {
                System.out.flush();
            }

            @Override
            public void close() {
                flush();
            }
        };
        stdout.setFormatter(new JsonLogFormatter());
        stdout.setLevel(Level.ALL);
        root.addHandler(stdout);
        root.setLevel(level(env).orElse(Level.INFO));
        for (String noisy : List.of("org.flywaydb", "io.lettuce", "io.netty", "reactor", "software.amazon.awssdk", "org.postgresql")) {
            Logger l = Logger.getLogger(noisy);
            l.setLevel(Level.WARNING);
            QUIETED.add(l);
        }
    }

    /** Writes one whole line to standard output, never interleaved with another. */
    static void write(String line) {
        synchronized (STDOUT) {
            PrintStream out = System.out;
            out.print(line);
            out.flush();
        }
    }

    /** Lambda's level names (and java.util.logging's), case-insensitive; empty when unset. */
    static Optional<Level> level(Map<String, String> env) {
        for (String name : List.of("AWS_LAMBDA_LOG_LEVEL", "FROSTBYTE_LOG_LEVEL")) {
            String v = env.get(name);
            if (v == null || v.isBlank()) continue;
            // An unknown name logs at INFO here; Config refuses it at start (Config.fromEnv).
            return Optional.of(levelNamed(v).orElse(Level.INFO));
        }
        return Optional.empty();
    }

    /** Lambda's level names (and java.util.logging's), case-insensitive; empty for any other text. */
    public static Optional<Level> levelNamed(String name) {
        return Optional.ofNullable(switch (name.trim().toUpperCase(Locale.ROOT)) {
            case "TRACE", "FINEST", "FINER", "ALL" -> Level.FINEST;
            case "DEBUG", "FINE" -> Level.FINE;
            case "INFO" -> Level.INFO;
            case "WARN", "WARNING" -> Level.WARNING;
            case "ERROR", "FATAL", "SEVERE" -> Level.SEVERE;
            case "OFF" -> Level.OFF;
            default -> null;
        });
    }
}
