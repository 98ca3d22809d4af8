package io.frostbyte.export.export;

import io.frostbyte.export.bundle.BundleSummary;
import io.frostbyte.export.bundle.BundleWriter;
import io.frostbyte.export.keys.TenantKeyService;
import io.frostbyte.export.queue.JobQueue;
import io.frostbyte.export.signing.TenantSigningKey;
import io.frostbyte.export.storage.BundleStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Drains the export queue: takes a job (atomic move to the processing list), claims it in
 * PostgreSQL (compare-and-set with a lease), streams the tenant's rows through the bundle writer
 * into the bundle store, records the result, then removes the queue entry. Each run first sweeps
 * PostgreSQL for jobs the queue lost and for leases that expired.
 */
public final class ExportWorker {
    private static final Logger LOG = Logger.getLogger(ExportWorker.class.getName());

    /** What one drain did. */
    public record DrainResult(int completed, int retried, int failed, int skipped, int requeued) {}

    /** Tunables with the defaults of the design. */
    public record Settings(Duration lease, int maxAttempts, Duration requeueAfter, int compressionLevel, int threads) {}

    private final Documents documents;
    private final ExportJobs jobs;
    private final JobQueue queue;
    private final BundleStore store;
    private final TenantKeyService keys;
    private final Settings settings;
    private final Clock clock;

    public ExportWorker(Documents documents, ExportJobs jobs, JobQueue queue, BundleStore store,
            TenantKeyService keys, Settings settings, Clock clock) {
        this.documents = documents;
        this.jobs = jobs;
        this.queue = queue;
        this.store = store;
        this.keys = keys;
        this.settings = settings;
        this.clock = clock;
    }

    /** Sweeps, then processes jobs until the queue is empty or {@code timeLeft} says stop. */
    public DrainResult drain(BooleanSupplier timeLeft) {
        int requeued = sweep();
        int completed = 0, retried = 0, failed = 0, skipped = 0;
        while (timeLeft.getAsBoolean()) {
            Optional<JobQueue.Taken> taken = queue.take();
            if (taken.isEmpty()) break;
            switch (process(taken.get())) {
                case COMPLETED -> completed++;
                case RETRY -> retried++;
                case FAILED -> failed++;
                case SKIPPED -> skipped++;
            }
        }
        return new DrainResult(completed, retried, failed, skipped, requeued);
    }

    enum Outcome { COMPLETED, RETRY, FAILED, SKIPPED }

    private Outcome process(JobQueue.Taken taken) {
        Optional<JobQueue.Message> message = taken.message();
        JobQueue.Receipt receipt = taken.receipt();
        if (message.isEmpty()) {
            LOG.warning("dropping a malformed queue entry to the dead-letter list");
            queue.dead(receipt);
            return Outcome.SKIPPED;
        }
        UUID exportId = message.get().exportId();
        UUID tenant = message.get().tenantId();
        UUID owner = UUID.randomUUID();
        Optional<ExportJob> claimed;
        try {
            claimed = jobs.claim(tenant, exportId, owner, settings.lease(), settings.maxAttempts());
        } catch (StoreException e) {
            // Leave the entry in the processing list: the sweep returns it once PostgreSQL is back.
            LOG.log(Level.WARNING, "export {0}: cannot claim ({1})", new Object[] {exportId, e.getMessage()});
            return Outcome.SKIPPED;
        }
        if (claimed.isEmpty()) {
            // Finished already, unknown, or leased by another worker (whose own entry tracks it).
            queue.ack(receipt);
            return Outcome.SKIPPED;
        }
        ExportJob job = claimed.get();
        try {
            BundleSummary summary = export(job, owner);
            if (jobs.complete(exportId, owner, BundleStore.key(tenant, exportId), summary)) {
                LOG.log(Level.INFO, "export {0}: completed, {1} documents, {2} chunks, {3} bytes",
                        new Object[] {exportId, summary.documentCount(), summary.chunkCount(), summary.bundleSize()});
            } else if (!keys.isActive(tenant, summary.signerFingerprint())) {
                // Rotated or revoked between signing and completion: not completed; the retry signs with the current key.
                throw new IllegalStateException("the signing key was rotated or revoked before the export completed;"
                        + " the next attempt signs with the current key");
            } else {
                LOG.log(Level.WARNING, "export {0}: lease lost before completion; the new holder finishes it", exportId);
            }
            queue.ack(receipt);
            return Outcome.COMPLETED;
        } catch (Exception | LinkageError e) {
            // Operators get the whole cause chain in the log; the tenant gets what failed, not the SDK's or driver's text
            // (account ids, role ARNs, bucket and host names).
            LOG.log(Level.WARNING, "export {0}: attempt {1} failed: {2}", new Object[] {exportId, job.attempts(), describe(e)});
            String error = publicError(e);
            try {
                Optional<ExportJob.Status> status = jobs.failAttempt(exportId, owner, error, settings.maxAttempts());
                if (status.isPresent() && status.get() == ExportJob.Status.FAILED) {
                    queue.dead(receipt);
                    return Outcome.FAILED;
                }
                queue.ack(receipt);
                if (status.isPresent()) queue.push(message.get());
                return Outcome.RETRY;
            } catch (StoreException | RuntimeException bookkeeping) {
                LOG.log(Level.WARNING, "export {0}: cannot record the failure ({1}); the lease will expire",
                        new Object[] {exportId, bookkeeping.getMessage()});
                return Outcome.RETRY;
            }
        }
    }

    /** What a tenant may read about a failed attempt. */
    static String publicError(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof io.frostbyte.export.signing.KeyMaterialException) {
                return "the tenant's signing key could not be loaded or made (key store unavailable)";
            }
        }
        if (e instanceof IllegalStateException && e.getMessage() != null) return e.getMessage(); // our own sentences
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof StoreException) return "the database was unavailable";
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.io.IOException) return "the bundle could not be stored (bundle store unavailable)";
        }
        return "the export failed (internal error; the operators' log has the cause)";
    }

    private static String describe(Throwable e) {
        StringBuilder b = new StringBuilder();
        for (Throwable t = e; t != null && b.length() < 500; t = t.getCause()) {
            if (b.length() > 0) b.append(": ");
            b.append(t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage());
            if (t.getCause() != null && t.getMessage() != null && t.getMessage().contains(String.valueOf(t.getCause().getMessage()))) break;
        }
        return b.length() > 500 ? b.substring(0, 500) : b.toString();
    }

    private BundleSummary export(ExportJob job, UUID owner) throws Exception {
        TenantSigningKey key = keys.ensure(job.tenantId());
        try (BundleStore.Upload upload = store.begin(job.tenantId(), job.exportId())) {
            Optional<Selection> selection = job.selection().map(ExportWorker::selection);
            Documents.Scope scope = selection.map(Documents.Scope::of).orElseGet(() -> Documents.Scope.of(job.documentIds()));
            BundleSummary summary = documents.inSnapshot(job.tenantId(), scope, job.includeChunks(), snapshot -> {
                jobs.snapshotTaken(job.exportId(), owner, snapshot.takenAt());
                if (!io.frostbyte.export.bundle.BundleFormat.fitsOneManifest(snapshot.documentCount(), snapshot.chunkCount())) {
                    // Grown since the API counted it: say so now, not after writing a bundle whose manifest cannot fit.
                    throw new IllegalStateException("the export now holds " + (snapshot.documentCount() + snapshot.chunkCount())
                            + " files, more than one bundle's manifest lists; narrow the selection");
                }
                Progress progress = new Progress(job.exportId(), owner, snapshot.documentCount() + snapshot.chunkCount());
                progress.beat(0, true);
                BundleWriter.Builder builder = BundleWriter.builder().exportId(job.exportId()).tenantId(job.tenantId())
                        .createdAt(job.createdAt()).includeChunks(job.includeChunks()).signingKey(key)
                        .compressionLevel(settings.compressionLevel()).threads(settings.threads());
                selection.ifPresent(sel -> builder.selection(sel.toJson()));
                try (BundleWriter writer = builder.open(upload.stream())) {
                    int[] done = {0};
                    snapshot.chunks(row -> {
                        writer.addChunk(row.id(), row.json());
                        progress.beat(++done[0], false);
                    });
                    snapshot.documents(row -> {
                        writer.addDocument(row.id(), row.json());
                        progress.beat(++done[0], false);
                    });
                    BundleSummary finished = writer.finish();
                    progress.beat(progress.total, true);
                    return finished;
                }
            });
            if (!keys.isActive(job.tenantId(), key.fingerprint())) {
                // Revoked or rotated while this bundle was written: it must not be published; the retry signs with the new key.
                throw new IllegalStateException("signing key " + key.fingerprint() + " stopped being the tenant's active key"
                        + " while the bundle was written; the next attempt signs with the current one");
            }
            upload.commit(summary.bundleSha256());
            return summary;
        }
    }

    /** The stored selection of a job (written by {@link Selection#toJson()}, so it parses). */
    private static Selection selection(String json) {
        try {
            return Selection.parse(new com.fasterxml.jackson.databind.ObjectMapper().readTree(json));
        } catch (ExportRequestException | java.io.IOException e) {
            throw new IllegalStateException("stored selection is unreadable: " + e.getMessage(), e);
        }
    }

    /** Renews the lease and records progress at most every second; aborts when the lease is lost. */
    private final class Progress {
        private final UUID exportId;
        private final UUID owner;
        private final int total;
        private Instant last = Instant.EPOCH;

        Progress(UUID exportId, UUID owner, int total) {
            this.exportId = exportId;
            this.owner = owner;
            this.total = total;
        }

        void beat(int done, boolean force) throws StoreException {
            Instant now = clock.instant();
            if (!force && Duration.between(last, now).compareTo(Duration.ofSeconds(1)) < 0) return;
            last = now;
            if (!jobs.heartbeat(exportId, owner, done, total, settings.lease())) {
                throw new IllegalStateException("lease lost to another worker");
            }
        }
    }

    /**
     * Returns to the queue what PostgreSQL says should be there: pending jobs the queue lost, and
     * running jobs whose lease expired (a crashed worker); fails those out of attempts; and clears
     * processing entries of finished jobs. Returns how many jobs were re-enqueued.
     */
    public int sweep() {
        int requeued = 0;
        try {
            List<ExportJobs.Stale> stale = jobs.stale(settings.requeueAfter(), 500);
            List<JobQueue.Taken> processing = queue.processing();
            Set<JobQueue.Message> pending = queue.pending();
            for (ExportJobs.Stale s : stale) {
                JobQueue.Message m = new JobQueue.Message(s.exportId(), s.tenantId());
                Optional<JobQueue.Taken> inProcess = processing.stream().filter(t -> t.message().equals(Optional.of(m))).findFirst();
                if (s.status() == ExportJob.Status.RUNNING) {
                    if (s.attempts() >= settings.maxAttempts()
                            && jobs.failExpired(s.exportId(), settings.maxAttempts(), "worker lease expired after the last attempt")) {
                        if (inProcess.isPresent()) queue.dead(inProcess.get().receipt()); else queue.pushDead(m);
                        continue;
                    }
                    inProcess.ifPresent(t -> queue.ack(t.receipt()));
                }
                if (!pending.contains(m)) {
                    queue.push(m);
                    requeued++;
                }
            }
            for (JobQueue.Taken t : processing) {
                if (t.message().isEmpty()) continue;
                JobQueue.Message m = t.message().get();
                Optional<ExportJob.Status> status = jobs.status(m.tenantId(), m.exportId());
                if (status.isEmpty() || status.get() == ExportJob.Status.COMPLETED || status.get() == ExportJob.Status.FAILED) {
                    queue.ack(t.receipt());
                }
            }
        } catch (StoreException | RuntimeException e) {
            LOG.log(Level.WARNING, "sweep failed: {0}", e.toString());
        }
        return requeued;
    }

}
