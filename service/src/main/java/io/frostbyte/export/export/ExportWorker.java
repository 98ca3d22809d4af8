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
import io.frostbyte.export.observability.LogContext;
import io.frostbyte.export.observability.LogFields;
import io.frostbyte.export.observability.Metrics;

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
    private final Metrics metrics;

    public ExportWorker(Documents documents, ExportJobs jobs, JobQueue queue, BundleStore store,
            TenantKeyService keys, Settings settings, Clock clock) {
        this(documents, jobs, queue, store, keys, settings, clock, Metrics.standard());
    }

    public ExportWorker(Documents documents, ExportJobs jobs, JobQueue queue, BundleStore store,
            TenantKeyService keys, Settings settings, Clock clock, Metrics metrics) {
        this.metrics = metrics;
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
            Outcome outcome;
            try {
                outcome = process(taken.get());
            } finally {
                LogContext.remove("tenant_id", "export_id");
            }
            switch (outcome) {
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
            metrics.emit(Metrics.Metric.count("DeadLetteredJobs", 1), Optional.empty());
            return Outcome.SKIPPED;
        }
        UUID exportId = message.get().exportId();
        UUID tenant = message.get().tenantId();
        UUID owner = UUID.randomUUID();
        LogContext.put("tenant_id", tenant);
        LogContext.put("export_id", exportId);
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
        long started = System.nanoTime();
        try {
            BundleSummary summary = export(job, owner);
            if (jobs.complete(exportId, owner, BundleStore.key(tenant, exportId), summary)) {
                long ms = (System.nanoTime() - started) / 1_000_000;
                LogFields.log(LOG, Level.INFO, "export completed", "attempt", job.attempts(), "documents", summary.documentCount(),
                        "chunks", summary.chunkCount(), "bytes", summary.bundleSize(), "duration_ms", ms);
                metrics.emit(List.of(Metrics.Metric.count("ExportsCompleted", 1), new Metrics.Metric("ExportDuration", Metrics.Unit.MILLISECONDS, ms),
                        new Metrics.Metric("ExportBytes", Metrics.Unit.BYTES, summary.bundleSize()),
                        new Metrics.Metric("ExportLatency", Metrics.Unit.MILLISECONDS,
                                Math.max(0, Duration.between(job.createdAt(), clock.instant()).toMillis()))), Optional.of(tenant));
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
            LogFields.log(LOG, Level.WARNING, "export attempt failed", "attempt", job.attempts(), "cause", describe(e),
                    "duration_ms", (System.nanoTime() - started) / 1_000_000);
            metrics.emit(Metrics.Metric.count("ExportAttemptsFailed", 1), Optional.of(tenant));
            String error = publicError(e);
            try {
                Optional<ExportJob.Status> status = jobs.failAttempt(exportId, owner, error, settings.maxAttempts());
                if (status.isPresent() && status.get() == ExportJob.Status.FAILED) {
                    queue.dead(receipt);
                    LogFields.log(LOG, Level.WARNING, "export failed", "attempt", job.attempts(), "error", error);
                    metrics.emit(List.of(Metrics.Metric.count("ExportsFailed", 1), Metrics.Metric.count("DeadLetteredJobs", 1)), Optional.of(tenant));
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

    /** What the sweep sees waiting: queue entries, and the age of the oldest export not yet started. */
    private void backlog(int depth) throws StoreException {
        Optional<Instant> oldest = jobs.oldestPending();
        long age = oldest.map(t -> Math.max(0, Duration.between(t, clock.instant()).toSeconds())).orElse(0L);
        LogFields.log(LOG, Level.FINE, "queue", "depth", depth, "oldest_pending_s", age);
        metrics.emit(List.of(Metrics.Metric.count("QueueDepth", depth), new Metrics.Metric("OldestPendingAge", Metrics.Unit.SECONDS, age)),
                Optional.empty());
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
                        LogFields.log(LOG, Level.WARNING, "export failed", "export_id", s.exportId(), "tenant_id", s.tenantId(),
                                "error", "worker lease expired after the last attempt");
                        metrics.emit(List.of(Metrics.Metric.count("ExportsFailed", 1), Metrics.Metric.count("DeadLetteredJobs", 1)),
                                Optional.of(s.tenantId()));
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
            backlog(queue.pending().size() + queue.processing().size());
        } catch (StoreException | RuntimeException e) {
            LOG.log(Level.WARNING, "sweep failed: {0}", e.toString());
        }
        return requeued;
    }

}
