package io.frostbyte.export.imports;

import io.frostbyte.export.export.StoreException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Port: the imports table, and the one transaction in which an import's rows are staged. Reads
 * filter by tenant; the worker claims an import with a compare-and-set and every later write checks
 * it still holds the claim.
 */
public interface ImportJobs {
    ImportJob create(UUID importId, UUID tenant, ImportRequest request, Instant uploadExpiresAt) throws StoreException;

    Optional<ImportJob> find(UUID tenant, UUID importId) throws StoreException;

    /** A claim on an import: only its holder may finish it. */
    record Claim(ImportJob job, UUID token) {}

    /**
     * {@code awaiting_upload}, or {@code verifying} with an expired lease, becomes {@code verifying}
     * with a new lease and one more attempt; empty when another worker holds it, it is finished, or
     * it has no attempts left.
     */
    Optional<Claim> claim(UUID tenant, UUID importId, Duration lease, int maxAttempts) throws StoreException;

    /** Ends a claimed import without rows: {@code rejected} or {@code failed}, with what is known. */
    boolean finish(Claim claim, ImportJob.Status status, Optional<ImportJob.Provenance> provenance, Optional<String> report,
            Optional<String> error) throws StoreException;

    /** Moves an import still awaiting its upload to the back of the sweep's line. */
    void touch(UUID tenant, UUID importId) throws StoreException;

    /** Extends a held claim's lease (the import is still running); false when the claim is lost. */
    boolean renew(Claim claim, Duration lease) throws StoreException;

    /** An attempt broke off (a store failed): the lease ends now, so a later run tries again. */
    void release(Claim claim, String error) throws StoreException;

    /** Imports a scheduled run should look at: expired leases, and uploads still awaited (lost event, or never sent). */
    record Due(UUID tenant, UUID importId, ImportJob.Status status, int attempts) {}

    List<Due> due(int limit) throws StoreException;

    /** Opens the transaction in which a claimed import's rows are staged. */
    Staging stage(Claim claim) throws StoreException;

    /**
     * Rows of one import, written inside one transaction that nobody else sees until
     * {@link #commit}; closing without a commit rolls everything back.
     */
    interface Staging extends AutoCloseable {
        void document(ImportedRows.Document document) throws StoreException;

        void chunk(ImportedRows.Chunk chunk) throws StoreException;

        /** Writes what is buffered and says what happened to every row so far. */
        Written flush() throws StoreException;

        /**
         * Records the import as completed with its provenance, counts and report, and commits;
         * false (and rolled back) when the claim was lost to another worker meanwhile.
         */
        boolean commit(ImportJob.Provenance provenance, ImportJob.Counts counts, String report) throws StoreException;

        @Override
        void close();
    }

    /**
     * @param conflicts rows whose id existed and were not written ({@code skip}: kept; {@code fail}: the import fails)
     * @param foreign rows whose id belongs to another tenant: never written, the import is rejected
     * @param violation a constraint the bundle's rows break (the transaction is lost; the import is rejected)
     */
    record Written(int documentsWritten, int chunksWritten, int documentConflicts, int chunkConflicts, int foreign,
            Optional<String> violation) {}
}
