package io.frostbyte.export.export;

import java.time.Instant;

import io.frostbyte.export.bundle.BundleSummary;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Port: the exports as the source of truth holds them. Reads for the API filter by tenant; the
 * worker claims jobs with a compare-and-set on status and lease, and every later write checks it
 * still holds the lease.
 */
public interface ExportJobs {
    /** A pending job inserted, or the job an earlier request with the same idempotency key made. */
    record Created(ExportJob job, boolean isNew, Optional<String> requestHash) {}

    /** A job the sweep should look at: pending for a while, or running with an expired lease. */
    record Stale(UUID exportId, UUID tenantId, ExportJob.Status status, int attempts) {}

    Created create(UUID exportId, UUID tenant, List<UUID> documentIds, Optional<String> selection, boolean includeChunks,
            Optional<String> idempotencyKey, String requestHash) throws StoreException;

    /** An export of listed documents. */
    default Created create(UUID exportId, UUID tenant, List<UUID> documentIds, boolean includeChunks, Optional<String> idempotencyKey,
            String requestHash) throws StoreException {
        return create(exportId, tenant, documentIds, Optional.empty(), includeChunks, idempotencyKey, requestHash);
    }

    /** The export an Idempotency-Key already made for the tenant, with its request hash. */
    Optional<Created> byIdempotencyKey(UUID tenant, String idempotencyKey) throws StoreException;

    /** Records when the claimed job's snapshot was taken (checks the lease, like every worker write). */
    void snapshotTaken(UUID exportId, UUID owner, Instant at) throws StoreException;

    Optional<ExportJob> find(UUID tenant, UUID exportId) throws StoreException;

    /**
     * Claims a job for {@code owner}: pending, or running with an expired lease, becomes running
     * with a fresh lease and one more attempt. Empty when another worker holds it or it is done.
     */
    Optional<ExportJob> claim(UUID tenant, UUID exportId, UUID owner, Duration lease, int maxAttempts) throws StoreException;

    /** Renews the lease and records progress; false when {@code owner} no longer holds the lease. */
    boolean heartbeat(UUID exportId, UUID owner, int filesDone, Integer filesTotal, Duration lease) throws StoreException;

    /** Marks the job completed with its bundle; false when the lease was lost. */
    boolean complete(UUID exportId, UUID owner, String bundleKey, BundleSummary summary) throws StoreException;

    /**
     * Records a failed attempt and releases the lease at once: the job goes back to pending, not to
     * be claimed before {@code retryAt}, or to failed after the last attempt.
     */
    Optional<ExportJob.Status> failAttempt(UUID exportId, UUID owner, String error, int maxAttempts, java.time.Instant retryAt)
            throws StoreException;

    /** Give-backs that refund their attempt; later ones spend it, so a job no invocation can finish still fails. */
    int REFUNDED_GIVE_BACKS = 3;

    /**
     * Gives a claimed job back unfinished (the worker ran out of time), without spending its attempt
     * for the first {@link #REFUNDED_GIVE_BACKS} times; false if no longer held.
     */
    boolean release(UUID exportId, UUID owner) throws StoreException;

    List<Stale> stale(Duration pendingFor, int limit) throws StoreException;

    /** Fails a running job whose lease expired after its last attempt; false when it changed meanwhile. */
    boolean failExpired(UUID exportId, int maxAttempts, String error) throws StoreException;

    Optional<ExportJob.Status> status(UUID tenant, UUID exportId) throws StoreException;

    /** When the oldest pending export (of any tenant: an operational figure) was created; empty when none waits. */
    Optional<java.time.Instant> oldestPending() throws StoreException;
}
