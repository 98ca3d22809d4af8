package io.frostbyte.export.export;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * When a failed attempt may run again: exponential backoff with "equal jitter", i.e. after
 * attempt n, between half and all of {@code min(max, base * 2^(n-1))}. The jitter keeps jobs that
 * failed together (one outage) from all retrying in the same second; the floor of half keeps a
 * retry from coming back at once, into the same outage.
 */
public record RetryPolicy(Duration base, Duration max) {
    public static final RetryPolicy DEFAULT = new RetryPolicy(Duration.ofSeconds(15), Duration.ofMinutes(5));

    public RetryPolicy {
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(max, "max");
        if (base.isNegative() || base.isZero() || max.compareTo(base) < 0) {
            throw new IllegalArgumentException("retry base must be positive and at most the maximum: " + base + ", " + max);
        }
    }

    /** The delay after failed attempt {@code attempt} (1-based), {@code random} in [0, 1). */
    public Duration delay(int attempt, DoubleSupplier random) {
        if (attempt < 1) throw new IllegalArgumentException("attempts count from 1: " + attempt);
        long ceiling = base.toMillis();
        for (int i = 1; i < attempt && ceiling < max.toMillis(); i++) ceiling *= 2;
        ceiling = Math.min(ceiling, max.toMillis());
        double r = Math.min(Math.max(random.getAsDouble(), 0.0), 1.0);
        return Duration.ofMillis(ceiling / 2 + Math.round(ceiling / 2.0 * r));
    }

    public Instant retryAt(int attempt, Instant failedAt, DoubleSupplier random) {
        return failedAt.plus(delay(attempt, random));
    }
}
