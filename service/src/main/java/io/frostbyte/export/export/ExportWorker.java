package io.frostbyte.export.export;

import io.frostbyte.export.bundle.BundleSummary;
import io.frostbyte.export.bundle.BundleWriter;
import io.frostbyte.export.db.Database;
import io.frostbyte.export.db.DocumentRepository;
import io.frostbyte.export.db.ExportJobRepository;
import io.frostbyte.export.keys.TenantKeyService;
import io.frostbyte.export.queue.JobQueue;
import io.frostbyte.export.signing.TenantSigningKey;
import io.frostbyte.export.storage.BundleStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
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

    private final Database db;
    private final DocumentRepository documents;
    private final ExportJobRepository jobs;
    private final JobQueue queue;
    private final BundleStore store;
    private final TenantKeyService keys;
    private final Settings settings;
    private final Clock clock;

    public ExportWorker(Database db, DocumentRepository documents, ExportJobRepository jobs, JobQueue queue, BundleStore store,
            TenantKeyService keys, Settings settings, Clock clock) {
        this.db = db;
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
            Optional<String> payload = queue.take();
            if (payload.isEmpty()) break;
            switch (process(payload.get())) {
                case COMPLETED -> completed++;
                case RETRY -> retried++;
                case FAILED -> failed++;
                case SKIPPED -> skipped++;
            }
        }
        return new DrainResult(completed, retried, failed, skipped, requeued);
    }

    enum Outcome { COMPLETED, RETRY, FAILED, SKIPPED }

    private Outcome process(String payload) {
        Optional<JobQueue.Message> message = JobQueue.Message.decode(payload);
        if (message.isEmpty()) {
            LOG.warning("dropping a malformed queue payload to the dead-letter list");
            queue.dead(payload);
            return Outcome.SKIPPED;
        }
        UUID exportId = message.get().exportId();
        UUID tenant = message.get().tenantId();
        UUID owner = UUID.randomUUID();
        Optional<ExportJob> claimed;
        try {
            claimed = jobs.claim(tenant, exportId, owner, settings.lease());
        } catch (SQLException e) {
            // Leave the entry in the processing list: the sweep returns it once PostgreSQL is back.
            LOG.log(Level.WARNING, "export {0}: cannot claim ({1})", new Object[] {exportId, e.getMessage()});
            return Outcome.SKIPPED;
        }
        if (claimed.isEmpty()) {
            // Finished already, unknown, or leased by another worker (whose own entry tracks it).
            queue.ack(payload);
            return Outcome.SKIPPED;
        }
        ExportJob job = claimed.get();
        try {
            BundleSummary summary = export(job, owner);
            if (jobs.complete(exportId, owner, BundleStore.key(tenant, exportId), summary)) {
                LOG.log(Level.INFO, "export {0}: completed, {1} documents, {2} chunks, {3} bytes",
                        new Object[] {exportId, summary.documentCount(), summary.chunkCount(), summary.bundleSize()});
            } else {
                LOG.log(Level.WARNING, "export {0}: lease lost before completion; the new holder finishes it", exportId);
            }
            queue.ack(payload);
            return Outcome.COMPLETED;
        } catch (Exception | LinkageError e) {
            String error = describe(e);
            LOG.log(Level.WARNING, "export {0}: attempt {1} failed: {2}", new Object[] {exportId, job.attempts(), error});
            try {
                Optional<ExportJob.Status> status = jobs.failAttempt(exportId, owner, error, settings.maxAttempts());
                if (status.isPresent() && status.get() == ExportJob.Status.FAILED) {
                    queue.dead(payload);
                    return Outcome.FAILED;
                }
                queue.ack(payload);
                if (status.isPresent()) queue.push(message.get());
                return Outcome.RETRY;
            } catch (SQLException | RuntimeException bookkeeping) {
                LOG.log(Level.WARNING, "export {0}: cannot record the failure ({1}); the lease will expire",
                        new Object[] {exportId, bookkeeping.getMessage()});
                return Outcome.RETRY;
            }
        }
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
        UUID[] ids = job.documentIds().toArray(UUID[]::new);
        try (Connection c = db.connection(); BundleStore.Upload upload = store.begin(job.tenantId(), job.exportId())) {
            c.setAutoCommit(false);
            c.setReadOnly(true);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            int[] counts = documents.counts(c, job.tenantId(), ids, job.includeChunks());
            Progress progress = new Progress(job.exportId(), owner, counts[0] + counts[1]);
            progress.beat(0, true);
            BundleSummary summary;
            try (BundleWriter writer = BundleWriter.builder().exportId(job.exportId()).tenantId(job.tenantId())
                    .createdAt(job.createdAt()).includeChunks(job.includeChunks()).signingKey(key)
                    .compressionLevel(settings.compressionLevel()).threads(settings.threads()).open(upload.stream())) {
                int[] done = {0};
                if (job.includeChunks()) {
                    documents.streamChunks(c, job.tenantId(), ids, row -> {
                        writer.addChunk(row.id(), row.json());
                        progress.beat(++done[0], false);
                    });
                }
                documents.streamDocuments(c, job.tenantId(), ids, row -> {
                    writer.addDocument(row.id(), row.json());
                    progress.beat(++done[0], false);
                });
                summary = writer.finish();
            }
            c.commit();
            progress.beat(progress.total, true);
            upload.commit(summary.bundleSha256());
            return summary;
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

        void beat(int done, boolean force) throws SQLException {
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
            List<ExportJobRepository.Stale> stale = jobs.stale(settings.requeueAfter(), 500);
            List<String> processing = queue.processing();
            List<String> pending = queue.pending();
            for (ExportJobRepository.Stale s : stale) {
                JobQueue.Message m = new JobQueue.Message(s.exportId(), s.tenantId());
                String payload = m.encode();
                if (s.status() == ExportJob.Status.RUNNING) {
                    if (s.attempts() >= settings.maxAttempts()
                            && jobs.failExpired(s.exportId(), settings.maxAttempts(), "worker lease expired after the last attempt")) {
                        if (processing.contains(payload)) queue.dead(payload); else queue.pushDead(payload);
                        continue;
                    }
                    if (processing.contains(payload)) queue.ack(payload);
                }
                if (!pending.contains(payload)) {
                    queue.push(m);
                    requeued++;
                }
            }
            for (String payload : processing) {
                Optional<JobQueue.Message> m = JobQueue.Message.decode(payload);
                if (m.isEmpty()) continue;
                Optional<ExportJob.Status> status = jobs.status(m.get().tenantId(), m.get().exportId());
                if (status.isEmpty() || status.get() == ExportJob.Status.COMPLETED || status.get() == ExportJob.Status.FAILED) {
                    queue.ack(payload);
                }
            }
        } catch (SQLException | RuntimeException e) {
            LOG.log(Level.WARNING, "sweep failed: {0}", e.toString());
        }
        return requeued;
    }

}
