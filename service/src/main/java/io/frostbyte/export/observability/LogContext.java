package io.frostbyte.export.observability;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The ids every log line of the current thread carries ({@code request_id}, {@code tenant_id},
 * {@code export_id}, {@code import_id}): set once where a request or job starts, so each message
 * need not repeat them and Logs Insights can filter on them.
 */
public final class LogContext {
    private static final ThreadLocal<Map<String, String>> FIELDS = ThreadLocal.withInitial(LinkedHashMap::new);

    private LogContext() {}

    /** Restores the fields as they were before {@link #with}; closing twice does nothing more. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    /** Sets {@code key} for this thread until the returned scope closes. */
    public static Scope with(String key, Object value) {
        Objects.requireNonNull(key, "key");
        Map<String, String> fields = FIELDS.get();
        Optional<String> previous = Optional.ofNullable(fields.get(key));
        fields.put(key, String.valueOf(Objects.requireNonNull(value, key)));
        boolean[] closed = {false};
        return () -> {
            if (closed[0]) return;
            closed[0] = true;
            previous.ifPresentOrElse(p -> FIELDS.get().put(key, p), () -> FIELDS.get().remove(key));
        };
    }

    /** Sets {@code key} until the thread's context is {@link #clear() cleared} (the end of a request). */
    public static void put(String key, Object value) {
        FIELDS.get().put(Objects.requireNonNull(key, "key"), String.valueOf(Objects.requireNonNull(value, key)));
    }

    /** Forgets these fields (a job within a request is over). */
    public static void remove(String... keys) {
        for (String k : keys) FIELDS.get().remove(k);
    }

    /** Starts a request or invocation: forgets every field, then sets {@code request_id} if there is one. */
    public static void begin(Optional<String> requestId) {
        clear();
        requestId.filter(id -> !id.isBlank()).ifPresent(id -> put("request_id", id));
    }

    /** Forgets every field of this thread (a request or job is over). */
    public static void clear() {
        FIELDS.get().clear();
    }

    public static Optional<String> get(String key) {
        return Optional.ofNullable(FIELDS.get().get(key));
    }

    /** A copy of the thread's fields, in the order they were set. */
    public static Map<String, String> snapshot() {
        Map<String, String> fields = FIELDS.get();
        return fields.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }
}
