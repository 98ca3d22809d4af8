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
        ExportWorker.DrainResult result = worker.drain(ExportWorker.TimeLeft.UNLIMITED);
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
        ExportWorker.DrainResult result = worker.drain(ExportWorker.TimeLeft.UNLIMITED);
        assertEquals(1, result.skipped());
        assertEquals(List.of("not a job"), queue.dead);
    }

    @Test
    void drain_storeFailsEveryTime_retriedThenFailedAndDeadLettered() throws Exception {
        UUID export = create(false, docs.add(tenant, "a", 0));
        store.failWrites = true;
        for (int attempt = 1; attempt <= 3; attempt++) {
            worker.drain(ExportWorker.TimeLeft.UNLIMITED);
            clock.advance(Duration.ofMinutes(6)); // past any backoff (at most 5 minutes)
        }
        worker.drain(ExportWorker.TimeLeft.UNLIMITED);
        ExportJob job = jobs.get(export);
        assertEquals(ExportJob.Status.FAILED, job.status());
        assertEquals(3, job.attempts());
        assertTrue(job.error().orElseThrow().contains("store unavailable"), job.error().toString());
        assertEquals(List.of(InMemory.Queue.payload(new JobQueue.Message(export, tenant))), queue.dead);
        assertTrue(store.bundles.isEmpty());
    }

    @Test
    void drain_failedAttempt_leaseReleasedAtOnce_notRetriedBeforeItsBackoff_thenCompleted() throws Exception {
        UUID export = create(false, docs.add(tenant, "a", 0));
        store.failWrites = true;
        ExportWorker.DrainResult first = worker.drain(ExportWorker.TimeLeft.UNLIMITED);
        assertEquals(1, first.retried());
        ExportJob job = jobs.get(export);
        assertEquals(ExportJob.Status.PENDING, job.status(), "released at once, not left running for the lease");
        assertTrue(job.leaseUntil().isEmpty());
        Instant due = jobs.notBefore.get(export);
        Duration backoff = Duration.between(clock.instant(), due);
        assertTrue(backoff.compareTo(Duration.ofMillis(7_500)) >= 0 && backoff.compareTo(Duration.ofSeconds(15)) <= 0, backoff.toString());
        assertTrue(queue.pending.isEmpty() && queue.processing.isEmpty(), "no entry until the retry is due");

        store.failWrites = false;
        clock.advance(backoff.minusSeconds(1));
        queue.push(new JobQueue.Message(export, tenant)); // a stale duplicate entry must not run it early either
        assertEquals(0, worker.drain(ExportWorker.TimeLeft.UNLIMITED).completed());
        assertEquals(ExportJob.Status.PENDING, jobs.get(export).status());
        assertEquals(1, jobs.get(export).attempts());

        clock.advance(Duration.ofSeconds(2));
        ExportWorker.DrainResult later = worker.drain(ExportWorker.TimeLeft.UNLIMITED);
        assertEquals(1, later.requeued(), "the sweep enqueues the retry when it is due");
        assertEquals(ExportJob.Status.COMPLETED, jobs.get(export).status());
        assertEquals(2, jobs.get(export).attempts());
    }

    @Test
    void drain_databaseDownAtClaim_entryBackInTheQueue_runStops() throws Exception {
        UUID export = create(false, docs.add(tenant, "a", 0));
        UUID other = create(false, docs.add(tenant, "b", 0));
        ExportWorker w = new ExportWorker(docs, jobs, queue, store,
                new TenantKeyService(keys, secrets, KeyAlgorithm.ED25519, Duration.ofDays(365), clock),
                new ExportWorker.Settings(Duration.ofSeconds(30), 3, Duration.ofSeconds(30), 1, 1, RetryPolicy.DEFAULT,
                        Duration.ofSeconds(30), Duration.ofMillis(1)), clock);
        jobs.unavailable.set(100);
        ExportWorker.DrainResult r = w.drain(ExportWorker.TimeLeft.UNLIMITED);
        assertEquals(0, r.completed());
        assertEquals(List.of(InMemory.Queue.payload(new JobQueue.Message(export, tenant)),
                InMemory.Queue.payload(new JobQueue.Message(other, tenant))), List.copyOf(queue.pending), "both still queued, in order");
        assertTrue(queue.processing.isEmpty(), "nothing stranded in processing");
        jobs.unavailable.set(0);
        assertEquals(2, w.drain(ExportWorker.TimeLeft.UNLIMITED).completed());
    }

    @Test
    void drain_databaseBlipsWhileRecordingTheFailure_recordedAfterRetries() throws Exception {
        UUID export = create(false, docs.add(tenant, "a", 0));
        store.failWrites = true;
        ExportWorker w = new ExportWorker(docs, jobs, queue, store,
                new TenantKeyService(keys, secrets, KeyAlgorithm.ED25519, Duration.ofDays(365), clock),
                new ExportWorker.Settings(Duration.ofSeconds(30), 3, Duration.ofSeconds(30), 1, 1, RetryPolicy.DEFAULT,
                        Duration.ofSeconds(30), Duration.ofMillis(1)), clock);
        jobs.failAttemptUnavailable.set(3); // a restarting database: the first three tries to record the failure fail
        assertEquals(1, w.drain(ExportWorker.TimeLeft.UNLIMITED).retried());
        ExportJob job = jobs.get(export);
        assertEquals(ExportJob.Status.PENDING, job.status());
        assertTrue(job.leaseUntil().isEmpty(), "the failure was recorded and the lease released");
        assertEquals(0, jobs.failAttemptUnavailable.get());
    }

    @Test
    void drain_tooLittleTimeForTheJob_givenBackWithoutSpendingAnAttempt() throws Exception {
        UUID[] ids = new UUID[400];
        for (int i = 0; i < ids.length; i++) ids[i] = docs.add(tenant, "d" + i, 0);
        UUID export = create(true, ids); // estimated 400 x 50 files at 2,000 files/s: 10 s beyond the fixed 30 s and the 30 s margin
        ExportWorker.DrainResult r = worker.drain(() -> Duration.ofSeconds(65)); // above the loop's floor, below this job's need
        assertEquals(0, r.completed());
        ExportJob job = jobs.get(export);
        assertEquals(ExportJob.Status.PENDING, job.status());
        assertEquals(0, job.attempts(), "no attempt spent");
        assertEquals(1, queue.pending.size(), "the entry is back in the queue");
        assertTrue(queue.processing.isEmpty());
        assertEquals(1, worker.drain(ExportWorker.TimeLeft.UNLIMITED).completed());
    }

    @Test
    void drain_invocationAboutToEndMidExport_uploadAbortedAndJobGivenBack() throws Exception {
        UUID[] ids = new UUID[200];
        for (int i = 0; i < ids.length; i++) ids[i] = docs.add(tenant, "d" + i, 1);
        UUID export = create(true, ids);
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        // Plenty of time at the start; 20 s (under the 30 s margin) once the export is under way.
        ExportWorker.DrainResult r = worker.drain(() -> calls.incrementAndGet() < 20 ? Duration.ofMinutes(10) : Duration.ofSeconds(20));
        assertEquals(0, r.completed());
        assertEquals(1, store.aborted.get(), "the upload was aborted");
        assertTrue(store.bundles.isEmpty());
        ExportJob job = jobs.get(export);
        assertEquals(ExportJob.Status.PENDING, job.status());
        assertEquals(0, job.attempts(), "no attempt spent");
        assertEquals(1, queue.pending.size());
        assertEquals(1, worker.drain(ExportWorker.TimeLeft.UNLIMITED).completed());
    }

    @Test
    void sweep_pendingJobTheQueueLost_requeuedAndCompleted() throws Exception {
        UUID export = create(false, docs.add(tenant, "a", 0));
        queue.pending.clear(); // Redis lost it
        clock.advance(Duration.ofSeconds(31));
        ExportWorker.DrainResult result = worker.drain(ExportWorker.TimeLeft.UNLIMITED);
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
        worker.drain(ExportWorker.TimeLeft.UNLIMITED);
        assertEquals(ExportJob.Status.COMPLETED, jobs.get(export).status());
        assertEquals(2, jobs.get(export).attempts());
        assertTrue(queue.processing.isEmpty(), "the dead worker's entry is cleared: " + queue.processing + " " + taken);
    }

    @Test
    void sweep_workerDiedBetweenTakeAndClaim_itsProcessingEntryIsDropped_andTheJobRuns() throws Exception {
        UUID export = create(false, docs.add(tenant, "a", 0));
        queue.take().orElseThrow(); // taken, then the worker died before its claim reached PostgreSQL
        assertEquals(1, queue.processing.size());
        clock.advance(Duration.ofSeconds(31));
        ExportWorker.DrainResult r = worker.drain(ExportWorker.TimeLeft.UNLIMITED);
        assertEquals(1, r.completed());
        assertEquals(ExportJob.Status.COMPLETED, jobs.get(export).status());
        assertTrue(queue.processing.isEmpty(), "no orphan left to count against the tenant's running limit");
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
        ExportWorker.DrainResult result = w.drain(ExportWorker.TimeLeft.UNLIMITED);
        assertEquals(1, result.retried(), result.toString());
        clock.advance(Duration.ofSeconds(16)); // the retry's backoff
        assertEquals(1, w.drain(ExportWorker.TimeLeft.UNLIMITED).completed());
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
        assertEquals("database_unavailable: the database was unavailable", db);
        assertTrue(key.startsWith("key_unavailable: "), key);
        String bundle = ExportWorker.publicError(new java.io.IOException("upload to bucket acme-prod-bundles failed: " + secret));
        assertTrue(bundle.contains("bundle store") && !bundle.contains("acme"), bundle);
        assertEquals("lease_lost: lease lost to another worker",
                ExportWorker.publicError(new ExportWorker.ExportFailure("lease_lost", "lease lost to another worker")));
        assertEquals("internal_error: the export failed (internal error; the operators' log has the cause)",
                ExportWorker.publicError(new IllegalStateException("NullPointerException in com.example.Internal")));
    }
}
