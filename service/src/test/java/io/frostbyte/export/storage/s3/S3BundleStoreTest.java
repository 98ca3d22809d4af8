package io.frostbyte.export.storage.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class S3BundleStoreTest {
    final Instant now = Instant.parse("2026-11-26T05:00:00Z");

    @Test
    void signatureDuration_credentialsEndingBeforeTheTtl_urlEndsAMinuteBeforeThem() {
        assertEquals(Duration.ofDays(7), S3BundleStore.signatureDuration(Duration.ofDays(7), Optional.empty(), now), "long-lived keys");
        assertEquals(Duration.ofMinutes(15), S3BundleStore.signatureDuration(Duration.ofMinutes(15), Optional.of(now.plusSeconds(6 * 3600)), now));
        assertEquals(Duration.ofMinutes(359), S3BundleStore.signatureDuration(Duration.ofDays(7), Optional.of(now.plusSeconds(6 * 3600)), now),
                "a role session of 6 h: the URL cannot outlive it");
        assertEquals(Duration.ofMinutes(1), S3BundleStore.signatureDuration(Duration.ofDays(7), Optional.of(now.plusSeconds(30)), now));
    }
}
