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

    /**
     * Tunables: the lease, attempts, when a pending job without a queue entry counts as lost, the
     * writer's level and threads, the retry backoff, and how long before the invocation's end an
     * export in progress is abandoned (upload aborted, job given back without spending an attempt).
     */
    public record Settings(Duration lease, int maxAttempts, Duration requeueAfter, int compressionLevel, int threads,
            RetryPolicy retry, Duration abortMargin, Duration storeRetryPause) {
        public Settings {
            java.util.Objects.requireNonNull(retry, "retry");
            java.util.Objects.requireNonNull(abortMargin, "abortMargin");
            java.util.Objects.requireNonNull(storeRetryPause, "storeRetryPause");
        }

        public Settings(Duration lease, int maxAttempts, Duration requeueAfter, int compressionLevel, int threads) {
            this(lease, maxAttempts, requeueAfter, compressionLevel, threads, RetryPolicy.DEFAULT, Duration.ofSeconds(30),
                    Duration.ofMillis(250));
        }
    }

    /** The time the invocation has left (Lambda's context); {@link #UNLIMITED} outside Lambda's clock. */
    @FunctionalInterface
    public interface TimeLeft {
        TimeLeft UNLIMITED = () -> Duration.ofDays(365);

        Duration remaining();
    }

    /** Conservative export speed for the time check: files per second (measured ~19,000 on 2 cores) and fixed cost. */
    static final int ESTIMATE_FILES_PER_SECOND = 2_000;
    static final Duration ESTIMATE_FIXED = Duration.ofSeconds(30);

    /** Thrown inside an export when the invocation is about to end: not a failure of the job. */
    private static final class OutOfTime extends RuntimeException {
        OutOfTime(Duration left) {
            super("the invocation has " + left.toSeconds() + " s left; the export is given back to run again", null, false, false);
        }
    }

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

    /**
     * Sweeps, then processes jobs until the queue is empty, the time left covers no further job, or
     * PostgreSQL is unavailable (the entry then goes back to the queue, not into limbo).
     */
    public DrainResult drain(TimeLeft timeLeft) {
        int requeued = sweep();
        int completed = 0, retried = 0, failed = 0, skipped = 0;
        boolean more = true;
        while (more && timeLeft.remaining().compareTo(settings.abortMargin().plus(ESTIMATE_FIXED)) > 0) {
            Optional<JobQueue.Taken> taken = queue.take();
            if (taken.isEmpty()) break;
            Outcome outcome;
            try {
                outcome = process(taken.get(), timeLeft);
            } finally {
                LogContext.remove("tenant_id", "export_id");
            }
            switch (outcome) {
                case COMPLETED -> completed++;
                case RETRY -> retried++;
                case FAILED -> failed++;
                case SKIPPED -> skipped++;
                case STOP -> {
                    skipped++;
                    more = false;
                }
            }
        }
        return new DrainResult(completed, retried, failed, skipped, requeued);
    }

    /** STOP: the job went back untouched (no time, no database); this run takes no more. */
    enum Outcome { COMPLETED, RETRY, FAILED, SKIPPED, STOP }

    /** How long a job is expected to take at most: what the time left must cover before it starts. */
    static Duration estimate(ExportJob job) {
        long files = job.filesTotal().map(Integer::longValue)
                .orElse(job.selection().isPresent() ? 100_000L : (long) job.documentIds().size() * (job.includeChunks() ? 50 : 1));
        return ESTIMATE_FIXED.plusSeconds(files / ESTIMATE_FILES_PER_SECOND);
    }

    /**
     * Runs {@code op} against PostgreSQL, retrying five times with doubling pauses (~8 s with the
     * default 250 ms: a restart, a failover) before giving up: bookkeeping that fails once must not
     * leave a job running for a whole lease.
     */
    private <T> T withRetries(String what, StoreCall<T> op) throws StoreException {
        long pause = settings.storeRetryPause().toMillis();
        for (int i = 1; ; i++) {
            try {
                return op.call();
            } catch (StoreException e) {
                if (i >= 6 || !e.isTransient()) throw e;
                LogFields.log(LOG, Level.WARNING, "database unavailable; retrying", "operation", what, "try", i, "cause", e.getMessage());
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                pause *= 2;
            }
        }
    }

    @FunctionalInterface
    private interface StoreCall<T> {
        T call() throws StoreException;
    }

    private Outcome process(JobQueue.Taken taken, TimeLeft timeLeft) {
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
            claimed = withRetries("claim", () -> jobs.claim(tenant, exportId, owner, settings.lease(), settings.maxAttempts()));
        } catch (StoreException e) {
            // Back to the queue for the next run, not left in the processing list until a sweep.
            LogFields.log(LOG, Level.WARNING, "cannot claim: database unavailable; the job goes back to the queue", "cause", e.getMessage());
            queue.requeue(receipt);
            return Outcome.STOP;
        }
        if (claimed.isEmpty()) {
            // Finished already, unknown, leased by another worker (whose own entry tracks it), or a
            // retry not yet due (the sweep enqueues it again when it is).
            queue.ack(receipt);
            return Outcome.SKIPPED;
        }
        ExportJob job = claimed.get();
        Duration needed = estimate(job).plus(settings.abortMargin());
        if (timeLeft.remaining().compareTo(needed) < 0) {
            giveBack(job, owner, receipt, "not enough time left for this export (needs about " + needed.toSeconds() + " s)");
            return Outcome.STOP;
        }
        long started = System.nanoTime();
        try {
            BundleSummary summary = export(job, owner, timeLeft);
            if (withRetries("complete", () -> jobs.complete(exportId, owner, BundleStore.key(tenant, exportId), summary))) {
                long ms = (System.nanoTime() - started) / 1_000_000;
                LogFields.log(LOG, Level.INFO, "export completed", "attempt", job.attempts(), "documents", summary.documentCount(),
                        "chunks", summary.chunkCount(), "bytes", summary.bundleSize(), "duration_ms", ms);
                metrics.emit(List.of(Metrics.Metric.count("ExportsCompleted", 1), new Metrics.Metric("ExportDuration", Metrics.Unit.MILLISECONDS, ms),
                        new Metrics.Metric("ExportBytes", Metrics.Unit.BYTES, summary.bundleSize()),
                        new Metrics.Metric("ExportLatency", Metrics.Unit.MILLISECONDS,
                                Math.max(0, Duration.between(job.createdAt(), clock.instant()).toMillis()))), Optional.of(tenant));
            } else if (!keys.isActive(tenant, summary.signerFingerprint())) {
                // Rotated or revoked between signing and completion: not completed; the retry signs with the current key.
                throw new ExportFailure("key_changed", "the signing key was rotated or revoked before the export completed;"
                        + " the next attempt signs with the current key");
            } else {
                LOG.log(Level.WARNING, "export {0}: lease lost before completion; the new holder finishes it", exportId);
            }
            queue.ack(receipt);
            return Outcome.COMPLETED;
        } catch (Exception | LinkageError e) {
            if (outOfTime(e)) {
                giveBack(job, owner, receipt, e.getMessage());
                return Outcome.STOP;
            }
            // Operators get the whole cause chain in the log; the tenant gets what failed, not the SDK's or driver's text
            // (account ids, role ARNs, bucket and host names).
            LogFields.log(LOG, Level.WARNING, "export attempt failed", "attempt", job.attempts(), "cause", describe(e),
                    "duration_ms", (System.nanoTime() - started) / 1_000_000);
            metrics.emit(Metrics.Metric.count("ExportAttemptsFailed", 1), Optional.of(tenant));
            String error = publicError(e);
            Instant retryAt = settings.retry().retryAt(job.attempts(), clock.instant(), java.util.concurrent.ThreadLocalRandom.current()::nextDouble);
            try {
                Optional<ExportJob.Status> status = withRetries("record the failure",
                        () -> jobs.failAttempt(exportId, owner, error, settings.maxAttempts(), retryAt));
                if (status.isPresent() && status.get() == ExportJob.Status.FAILED) {
                    queue.dead(receipt);
                    LogFields.log(LOG, Level.WARNING, "export failed", "attempt", job.attempts(), "error", error);
                    metrics.emit(List.of(Metrics.Metric.count("ExportsFailed", 1), Metrics.Metric.count("DeadLetteredJobs", 1)), Optional.of(tenant));
                    return Outcome.FAILED;
                }
                // The lease is released now; the sweep enqueues the job again when its backoff ends.
                queue.ack(receipt);
                if (status.isPresent()) LogFields.log(LOG, Level.INFO, "export retry scheduled", "attempt", job.attempts(), "retry_at", retryAt);
                return Outcome.RETRY;
            } catch (StoreException | RuntimeException bookkeeping) {
                LOG.log(Level.WARNING, "export {0}: cannot record the failure ({1}); the lease will expire",
                        new Object[] {exportId, bookkeeping.getMessage()});
                return Outcome.RETRY;
            }
        }
    }

    /** Gives a claimed job back without spending its attempt, and its entry back to the queue. */
    private void giveBack(ExportJob job, UUID owner, JobQueue.Receipt receipt, String why) {
        LogFields.log(LOG, Level.WARNING, "export given back", "reason", why);
        try {
            withRetries("release", () -> jobs.release(job.exportId(), owner));
        } catch (StoreException e) {
            LogFields.log(LOG, Level.WARNING, "cannot release the job; its lease will expire", "cause", e.getMessage());
        }
        queue.requeue(receipt);
    }

    private static boolean outOfTime(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) if (t instanceof OutOfTime) return true;
        return false;
    }

    private volatile Instant lastBacklog = Instant.EPOCH;

    /**
     * The backlog figures once a minute during a long export too: the oldest-pending alarm treats
     * silence as a stopped worker, and busy workers start no new invocations to sweep.
     */
    private void backlogIfDue() {
        if (Duration.between(lastBacklog, clock.instant()).compareTo(Duration.ofSeconds(60)) < 0) return;
        try {
            backlog();
        } catch (StoreException | RuntimeException e) {
            LogFields.log(LOG, Level.FINE, "backlog figures unavailable", "cause", String.valueOf(e.getMessage()));
        }
    }

    /** What the sweep sees waiting: queue entries, and the age of the oldest export not yet started. */
    private void backlog() throws StoreException {
        lastBacklog = clock.instant();
        long depth = queue.pendingCount() + queue.processing().size();
        Optional<Instant> oldest = jobs.oldestPending();
        long age = oldest.map(t -> Math.max(0, Duration.between(t, clock.instant()).toSeconds())).orElse(0L);
        LogFields.log(LOG, Level.FINE, "queue", "depth", depth, "oldest_pending_s", age);
        metrics.emit(List.of(Metrics.Metric.count("QueueDepth", depth), new Metrics.Metric("OldestPendingAge", Metrics.Unit.SECONDS, age)),
                Optional.empty());
    }

    /** A failure this worker names itself: a stable code and a sentence a tenant may read. */
    static final class ExportFailure extends IllegalStateException {
        final String code;

        ExportFailure(String code, String sentence) {
            super(sentence);
            this.code = code;
        }
    }

    /**
     * What a tenant may read about a failed attempt: {@code code: sentence}, the code stable (the
     * API shows it as {@code error_code}), never the SDK's or driver's own text; the cause is in the
     * operators' log under the export's id.
     */
    static String publicError(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof io.frostbyte.export.signing.KeyMaterialException) {
                return "key_unavailable: the tenant's signing key could not be loaded or made (key store unavailable)";
            }
        }
        if (e instanceof ExportFailure f) return f.code + ": " + f.getMessage();
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof StoreException) return "database_unavailable: the database was unavailable";
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.io.IOException) return "store_unavailable: the bundle could not be stored (bundle store unavailable)";
        }
        return "internal_error: the export failed (internal error; the operators' log has the cause)";
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

    private BundleSummary export(ExportJob job, UUID owner, TimeLeft timeLeft) throws Exception {
        TenantSigningKey key = keys.ensure(job.tenantId());
        try (BundleStore.Upload upload = store.begin(job.tenantId(), job.exportId())) {
            Optional<Selection> selection = job.selection().map(ExportWorker::selection);
            Documents.Scope scope = selection.map(Documents.Scope::of).orElseGet(() -> Documents.Scope.of(job.documentIds()));
            BundleSummary summary = documents.inSnapshot(job.tenantId(), scope, job.includeChunks(), snapshot -> {
                jobs.snapshotTaken(job.exportId(), owner, snapshot.takenAt());
                if (!io.frostbyte.export.bundle.BundleFormat.fitsOneManifest(snapshot.documentCount(), snapshot.chunkCount())) {
                    // Grown since the API counted it: say so now, not after writing a bundle whose manifest cannot fit.
                    throw new ExportFailure("selection_too_large", "the export now holds " + (snapshot.documentCount() + snapshot.chunkCount())
                            + " files, more than one bundle's manifest lists; narrow the selection");
                }
                Progress progress = new Progress(job.exportId(), owner, snapshot.documentCount() + snapshot.chunkCount(), timeLeft);
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
                throw new ExportFailure("key_changed", "signing key " + key.fingerprint() + " stopped being the tenant's active key"
                        + " while the bundle was written; the next attempt signs with the current one");
            }
            Duration left = timeLeft.remaining();
            if (left.compareTo(settings.abortMargin()) < 0) throw new OutOfTime(left);
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
        private final TimeLeft timeLeft;
        private Instant last = Instant.EPOCH;

        Progress(UUID exportId, UUID owner, int total, TimeLeft timeLeft) {
            this.exportId = exportId;
            this.owner = owner;
            this.total = total;
            this.timeLeft = timeLeft;
        }

        void beat(int done, boolean force) throws StoreException {
            Duration left = timeLeft.remaining();
            if (left.compareTo(settings.abortMargin()) < 0) throw new OutOfTime(left);
            Instant now = clock.instant();
            if (!force && Duration.between(last, now).compareTo(Duration.ofSeconds(1)) < 0) return;
            last = now;
            backlogIfDue();
            if (!withRetries("heartbeat", () -> jobs.heartbeat(exportId, owner, done, total, settings.lease()))) {
                throw new ExportFailure("lease_lost", "lease lost to another worker");
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
                            && jobs.failExpired(s.exportId(), settings.maxAttempts(), "worker_lost: the worker stopped during the last attempt")) {
                        if (inProcess.isPresent()) queue.dead(inProcess.get().receipt()); else queue.pushDead(m);
                        LogFields.log(LOG, Level.WARNING, "export failed", "export_id", s.exportId(), "tenant_id", s.tenantId(),
                                "error", "worker_lost: the worker stopped during the last attempt");
                        metrics.emit(List.of(Metrics.Metric.count("ExportsFailed", 1), Metrics.Metric.count("DeadLetteredJobs", 1)),
                                Optional.of(s.tenantId()));
                        continue;
                    }
                }
                // A processing entry of a stale job (running with an expired lease, or pending for a while: a worker
                // died between taking it and claiming it) is nobody's: drop it, or it would count against the
                // tenant's running limit for ever. The job is enqueued afresh below.
                inProcess.ifPresent(t -> queue.ack(t.receipt()));
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
            backlog();
        } catch (StoreException | RuntimeException e) {
            LOG.log(Level.WARNING, "sweep failed: {0}", e.toString());
        }
        return requeued;
    }

}
