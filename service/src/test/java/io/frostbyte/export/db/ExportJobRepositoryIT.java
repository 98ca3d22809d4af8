package io.frostbyte.export.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.frostbyte.export.bundle.BundleSummary;
import io.frostbyte.export.export.ExportJob;
import io.frostbyte.export.export.ExportJobs;
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
        UUID export = pendingJob(jobs, tenant);
        for (int attempt = 1; attempt <= 2; attempt++) {
            assertTrue(jobs.claim(tenant, export, UUID.randomUUID(), Duration.ofMillis(1), 2).isPresent(), "attempt " + attempt);
            Thread.sleep(1100); // the lease runs out: the worker died
        }
        assertTrue(jobs.claim(tenant, export, UUID.randomUUID(), Duration.ofMillis(1), 2).isEmpty(), "no third attempt of two");
        assertEquals(2, jobs.find(tenant, export).orElseThrow().attempts());
    }

    @Test
    void failAttempt_releasesAtOnce_claimAndSweepWaitForTheBackoff_releaseRefundsTheAttempt() throws Exception {
        Database db = TestDatabase.migrated();
        ExportJobRepository jobs = new ExportJobRepository(db);
        UUID tenant = UUID.randomUUID();
        UUID export = pendingJob(jobs, tenant);
        UUID owner = UUID.randomUUID();
        assertTrue(jobs.claim(tenant, export, owner, Duration.ofMinutes(15), 3).isPresent());
        assertEquals(Optional.of(ExportJob.Status.PENDING),
                jobs.failAttempt(export, owner, "store_unavailable: x", 3, Instant.now().plusSeconds(3600)));
        ExportJob pending = jobs.find(tenant, export).orElseThrow();
        assertTrue(pending.leaseUntil().isEmpty(), "the lease is released at once");
        assertTrue(jobs.claim(tenant, export, UUID.randomUUID(), Duration.ofMinutes(15), 3).isEmpty(), "not before its backoff");
        assertTrue(jobs.stale(Duration.ZERO, 10_000).stream().noneMatch(s -> s.exportId().equals(export)), "the sweep waits too");
        try (var c = db.connection(); var ps = c.prepareStatement("update export_jobs set not_before = now() - interval '1 second' where export_id = ?")) {
            ps.setObject(1, export);
            ps.executeUpdate();
        }
        assertTrue(jobs.stale(Duration.ofHours(1), 10_000).stream().anyMatch(s -> s.exportId().equals(export)), "due: the sweep enqueues it");
        UUID second = UUID.randomUUID();
        assertTrue(jobs.claim(tenant, export, second, Duration.ofMinutes(15), 3).isPresent());
        assertEquals(2, jobs.find(tenant, export).orElseThrow().attempts());
        assertTrue(jobs.release(export, second));
        ExportJob released = jobs.find(tenant, export).orElseThrow();
        assertEquals(ExportJob.Status.PENDING, released.status());
        assertEquals(1, released.attempts(), "given back without spending the attempt");
        assertTrue(jobs.oldestPending().isPresent());
    }

    @Test
    void release_refundsOnlyTheFirstGiveBacks_soAJobNoInvocationFinishesStillRunsOutOfAttempts() throws Exception {
        Database db = TestDatabase.migrated();
        ExportJobRepository jobs = new ExportJobRepository(db);
        UUID tenant = UUID.randomUUID();
        UUID export = pendingJob(jobs, tenant);
        for (int i = 1; i <= ExportJobs.REFUNDED_GIVE_BACKS + 2; i++) {
            UUID owner = UUID.randomUUID();
            assertTrue(jobs.claim(tenant, export, owner, Duration.ofMinutes(15), 10).isPresent(), "claim " + i);
            assertTrue(jobs.release(export, owner));
        }
        assertEquals(2, jobs.find(tenant, export).orElseThrow().attempts(), "the 4th and 5th give-backs spent their attempts");
        UUID owner = UUID.randomUUID();
        assertTrue(jobs.claim(tenant, export, owner, Duration.ofMinutes(15), 10).isPresent());
        assertTrue(jobs.claim(tenant, export, owner, Duration.ofMinutes(15), 10).isPresent(), "a retried claim finds its own lease");
    }

    /** A new pending export of one document for {@code tenant}. */
    static UUID pendingJob(ExportJobRepository jobs, UUID tenant) throws Exception {
        UUID export = UUID.randomUUID();
        jobs.create(export, tenant, List.of(UUID.randomUUID()), false, Optional.empty(), "h");
        return export;
    }

    static BundleSummary summary(UUID export, UUID tenant, String signer) {
        return new BundleSummary(export, tenant, Instant.now(), 1, 0, signer, 100, "0".repeat(64));
    }
}
