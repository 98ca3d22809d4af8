package io.frostbyte.export.export;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/** One export as PostgreSQL holds it (the source of truth). */
public record ExportJob(
        UUID exportId,
        UUID tenantId,
        Status status,
        List<UUID> documentIds,
        boolean includeChunks,
        int attempts,
        Optional<Instant> leaseUntil,
        Optional<String> bundleKey,
        Optional<Long> bundleSize,
        Optional<String> bundleSha256,
        Optional<String> signerFingerprint,
        Optional<Integer> documentCount,
        Optional<Integer> chunkCount,
        Optional<Integer> filesTotal,
        int filesDone,
        Optional<String> error,
        Instant createdAt,
        Instant updatedAt,
        Optional<Instant> completedAt,
        Optional<String> selection,
        Optional<Instant> snapshotAt) {

    public enum Status {
        PENDING, RUNNING, COMPLETED, FAILED;

        public String db() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static Status fromDb(String s) {
            return valueOf(s.toUpperCase(java.util.Locale.ROOT));
        }
    }

    public ExportJob {
        Objects.requireNonNull(exportId, "exportId");
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(status, "status");
        documentIds = List.copyOf(documentIds);
        Objects.requireNonNull(selection, "selection");
        Objects.requireNonNull(snapshotAt, "snapshotAt");
    }

    /** An export of listed documents whose snapshot is not taken yet. */
    public ExportJob(UUID exportId, UUID tenantId, Status status, List<UUID> documentIds, boolean includeChunks, int attempts,
            Optional<Instant> leaseUntil, Optional<String> bundleKey, Optional<Long> bundleSize, Optional<String> bundleSha256,
            Optional<String> signerFingerprint, Optional<Integer> documentCount, Optional<Integer> chunkCount, Optional<Integer> filesTotal,
            int filesDone, Optional<String> error, Instant createdAt, Instant updatedAt, Optional<Instant> completedAt) {
        this(exportId, tenantId, status, documentIds, includeChunks, attempts, leaseUntil, bundleKey, bundleSize, bundleSha256,
                signerFingerprint, documentCount, chunkCount, filesTotal, filesDone, error, createdAt, updatedAt, completedAt,
                Optional.empty(), Optional.empty());
    }
}
