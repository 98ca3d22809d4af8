package io.frostbyte.export.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.frostbyte.export.keys.TenantKeyService;
import io.frostbyte.export.queue.JobQueue;
import io.frostbyte.export.signing.KeyAlgorithm;
import io.frostbyte.export.signing.TrustedKeys;
import io.frostbyte.export.storage.BundleStore;
import io.frostbyte.export.testing.InMemory;
import io.frostbyte.export.verify.BundleVerifier;
import io.frostbyte.export.verify.VerificationPolicy;
import io.frostbyte.export.verify.VerificationReport;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ExportWorkerTest {
    final InMemory.MutableClock clock = new InMemory.MutableClock(Instant.parse("2026-11-25T10:00:00Z"));
    final InMemory.Docs docs = new InMemory.Docs();
    final InMemory.Jobs jobs = new InMemory.Jobs(clock);
    final InMemory.Keys keys = new InMemory.Keys(clock);
    final InMemory.SecretKeys secrets = new InMemory.SecretKeys();
    final InMemory.Queue queue = new InMemory.Queue();
    final InMemory.Store store = new InMemory.Store();
    final ExportService service = new ExportService(docs, jobs, keys, queue, store, Duration.ofMinutes(15), 1000);
    final ExportWorker worker = new ExportWorker(docs, jobs, queue, store,
            new TenantKeyService(keys, secrets, KeyAlgorithm.ED25519, java.time.Duration.ofDays(365), clock),
            new ExportWorker.Settings(Duration.ofSeconds(30), 3, Duration.ofSeconds(30), 1, 1), clock);
    final UUID tenant = UUID.randomUUID();

    UUID create(boolean chunks, UUID... ids) throws Exception {
        return service.create(tenant, new CreateExportRequest(List.of(ids), chunks), Optional.empty()).job().exportId();
    }

    @Test
    void drain_queuedJob_completedWithABundleThatVerifiesWithTheTenantsKey() throws Exception {
        UUID a = docs.add(tenant, "alpha", 2);
        UUID b = docs.add(tenant, "beta", 1);
        UUID export = create(true, a, b);
        clock.advance(Duration.ofSeconds(3)); // the worker runs later; the key is made now
        ExportWorker.DrainResult result = worker.drain(() -> true);
        assertEquals(1, result.completed());
        ExportJob job = jobs.get(export);
        assertEquals(ExportJob.Status.COMPLETED, job.status());
        assertTrue(queue.processing.isEmpty() && queue.pending.isEmpty());
        byte[] bundle = store.bundles.get(BundleStore.key(tenant, export));
        TrustedKeys trusted = TrustedKeys.fromArmored(keys.active(tenant).orElseThrow().armoredPublicKey());
        VerificationReport r = BundleVerifier.verify(new ByteArrayInputStream(bundle), VerificationPolicy.of(trusted)
                .withExpectTenant(tenant).withExpectExport(export), n -> {});
        assertEquals(VerificationReport.Status.VALID, r.status(), r.errors().toString());
        assertEquals(2, r.documentCount().getAsInt());
        assertEquals(3, r.chunkCount().getAsInt());
    }

    @Test
    void drain_malformedQueueEntry_deadLettered() {
        queue.pending.add("not a job");
        ExportWorker.DrainResult result = worker.drain(() -> true);
        assertEquals(1, result.skipped());
        assertEquals(List.of("not a job"), queue.dead);
    }

    @Test
    void drain_storeFailsEveryTime_retriedThenFailedAndDeadLettered() throws Exception {
        UUID export = create(false, docs.add(tenant, "a", 0));
        store.failWrites = true;
        for (int attempt = 1; attempt <= 3; attempt++) worker.drain(() -> true);
        ExportJob job = jobs.get(export);
        assertEquals(ExportJob.Status.FAILED, job.status());
        assertEquals(3, job.attempts());
        assertTrue(job.error().orElseThrow().contains("store unavailable"), job.error().toString());
        assertEquals(List.of(InMemory.Queue.payload(new JobQueue.Message(export, tenant))), queue.dead);
        assertTrue(store.bundles.isEmpty());
    }

    @Test
    void sweep_pendingJobTheQueueLost_requeuedAndCompleted() throws Exception {
        UUID export = create(false, docs.add(tenant, "a", 0));
        queue.pending.clear(); // Redis lost it
        clock.advance(Duration.ofSeconds(31));
        ExportWorker.DrainResult result = worker.drain(() -> true);
        assertEquals(1, result.requeued());
        assertEquals(1, result.completed());
        assertEquals(ExportJob.Status.COMPLETED, jobs.get(export).status());
    }

    @Test
    void sweep_expiredLeaseOfACrashedWorker_jobRunsAgain() throws Exception {
        UUID export = create(false, docs.add(tenant, "a", 0));
        JobQueue.Taken taken = queue.take().orElseThrow(); // a worker took it ...
        jobs.claim(tenant, export, UUID.randomUUID(), Duration.ofSeconds(30), 3); // ... claimed it, and died
        clock.advance(Duration.ofSeconds(31));
        worker.drain(() -> true);
        assertEquals(ExportJob.Status.COMPLETED, jobs.get(export).status());
        assertEquals(2, jobs.get(export).attempts());
        assertTrue(queue.processing.isEmpty(), "the dead worker's entry is cleared: " + queue.processing + " " + taken);
    }

    @Test
    void drain_keyRevokedWhileTheBundleIsWritten_attemptFailsAndTheRetrySignsWithANewKey() throws Exception {
        UUID a = docs.add(tenant, "alpha", 1);
        UUID export = create(false, a);
        TenantKeyService keyService = new TenantKeyService(keys, secrets, KeyAlgorithm.ED25519, Duration.ofDays(365), clock);
        String first = keyService.ensure(tenant).fingerprint();
        boolean[] revoked = {false};
        Documents revokingOnce = new Documents() {
            @Override
            public java.util.Set<UUID> existing(UUID t, java.util.Collection<UUID> ids) throws StoreException {
                return docs.existing(t, ids);
            }

            @Override
            public Counts count(UUID t, Selection selection) throws StoreException {
                return docs.count(t, selection);
            }

            @Override
            public <T> T inSnapshot(UUID t, Scope ids, boolean chunks, SnapshotReader<T> reader) throws Exception {
                if (!revoked[0]) {
                    revoked[0] = true;
                    keyService.revoke(t, first, io.frostbyte.export.signing.RevocationReason.COMPROMISED, "admin");
                }
                return docs.inSnapshot(t, ids, chunks, reader);
            }
        };
        ExportWorker w = new ExportWorker(revokingOnce, jobs, queue, store, keyService,
                new ExportWorker.Settings(Duration.ofSeconds(30), 3, Duration.ofSeconds(30), 1, 1), clock);
        ExportWorker.DrainResult result = w.drain(() -> true);
        assertEquals(1, result.retried(), result.toString());
        assertEquals(1, result.completed(), result.toString());
        ExportJob job = jobs.get(export);
        assertEquals(ExportJob.Status.COMPLETED, job.status());
        assertEquals(2, job.attempts());
        String second = keys.active(tenant).orElseThrow().fingerprint();
        assertTrue(!second.equals(first));
        assertEquals(second, job.signerFingerprint().orElseThrow());
    }

    @Test
    void publicError_storeAndKeyFailures_sayWhatFailedWithoutTheirInternals() {
        String secret = "arn:aws:iam::123456789012:role/frostbyte-worker on frostbyte/tenant-keys/x";
        String key = ExportWorker.publicError(new io.frostbyte.export.signing.KeyMaterialException("cannot ensure the signing key: "
                + secret, new java.io.IOException(secret)));
        assertTrue(key.contains("signing key") && !key.contains("arn:"), key);
        String db = ExportWorker.publicError(new StoreException("password authentication failed for user frostbyte", null));
        assertEquals("the database was unavailable", db);
        String bundle = ExportWorker.publicError(new java.io.IOException("upload to bucket acme-prod-bundles failed: " + secret));
        assertTrue(bundle.contains("bundle store") && !bundle.contains("acme"), bundle);
        assertTrue(ExportWorker.publicError(new IllegalStateException("lease lost to another worker")).contains("lease lost"));
    }
}
