package io.frostbyte.export.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    final RetryPolicy policy = new RetryPolicy(Duration.ofSeconds(15), Duration.ofMinutes(5));

    @Test
    void delay_doublesPerAttempt_betweenHalfAndAllOfTheCeiling() {
        assertEquals(Duration.ofMillis(7_500), policy.delay(1, () -> 0.0));
        assertEquals(Duration.ofSeconds(15), policy.delay(1, () -> 1.0));
        assertEquals(Duration.ofSeconds(15), policy.delay(2, () -> 0.0));
        assertEquals(Duration.ofSeconds(30), policy.delay(2, () -> 1.0));
        assertEquals(Duration.ofMillis(45_000), policy.delay(3, () -> 0.5));
    }

    @Test
    void delay_manyAttempts_cappedAtTheMaximum() {
        assertEquals(Duration.ofMinutes(5), policy.delay(40, () -> 1.0));
        assertEquals(Duration.ofMillis(150_000), policy.delay(1_000, () -> 0.0));
    }

    @Test
    void construct_maxBelowBaseOrZeroBase_refused() {
        assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(Duration.ofMinutes(2), Duration.ofMinutes(1)));
        assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(Duration.ZERO, Duration.ofMinutes(1)));
        assertThrows(IllegalArgumentException.class, () -> policy.delay(0, () -> 0.5));
    }
}
