package io.frostbyte.export.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.frostbyte.export.bundle.BundleSummary;
import io.frostbyte.export.export.ExportJob;
import io.frostbyte.export.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Completion against PostgreSQL: only while the bundle's signer is still the tenant's active key. */
class ExportJobRepositoryIT {
    @Test
    void complete_signerRotatedAwayMeanwhile_notCompleted_signerActive_completed() throws Exception {
        Database db = TestDatabase.migrated();
        ExportJobRepository jobs = new ExportJobRepository(db);
        TenantKeyRepository keys = new TenantKeyRepository(db);
        UUID tenant = UUID.randomUUID();
        String old = "A".repeat(40);
        String current = "B".repeat(40);
        keys.underTenantLock(tenant, tx -> {
            tx.insertActive(old, "ed25519", "k", Map.of());
            return null;
        });
        UUID export = UUID.randomUUID();
        jobs.create(export, tenant, List.of(UUID.randomUUID()), false, Optional.empty(), "h");
        UUID owner = UUID.randomUUID();
        assertTrue(jobs.claim(tenant, export, owner, Duration.ofMinutes(5), 3).isPresent());
        // Rotated after the bundle was signed with `old`.
        keys.underTenantLock(tenant, tx -> {
            tx.retire(old);
            tx.insertActive(current, "ed25519", "k", Map.of());
            return null;
        });
        assertFalse(jobs.complete(export, owner, "k", summary(export, tenant, old)), "a bundle of a retired key is not published");
        assertEquals(ExportJob.Status.RUNNING, jobs.find(tenant, export).orElseThrow().status());
        assertTrue(jobs.complete(export, owner, "k", summary(export, tenant, current)));
        assertEquals(ExportJob.Status.COMPLETED, jobs.find(tenant, export).orElseThrow().status());
    }

    @Test
    void claim_attemptsUsedUp_notClaimedEvenWithAnExpiredLease() throws Exception {
        Database db = TestDatabase.migrated();
        ExportJobRepository jobs = new ExportJobRepository(db);
        UUID tenant = UUID.randomUUID();
        UUID export = UUID.randomUUID();
        jobs.create(export, tenant, List.of(UUID.randomUUID()), false, Optional.empty(), "h");
        for (int attempt = 1; attempt <= 2; attempt++) {
            assertTrue(jobs.claim(tenant, export, UUID.randomUUID(), Duration.ofMillis(1), 2).isPresent(), "attempt " + attempt);
            Thread.sleep(1100); // the lease runs out: the worker died
        }
        assertTrue(jobs.claim(tenant, export, UUID.randomUUID(), Duration.ofMillis(1), 2).isEmpty(), "no third attempt of two");
        assertEquals(2, jobs.find(tenant, export).orElseThrow().attempts());
    }

    static BundleSummary summary(UUID export, UUID tenant, String signer) {
        return new BundleSummary(export, tenant, Instant.now(), 1, 0, signer, 100, "0".repeat(64));
    }
}
