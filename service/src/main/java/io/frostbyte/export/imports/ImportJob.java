package io.frostbyte.export.imports;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * One import as recorded: its request, where it stands, and once verified what the bundle said
 * about itself (provenance) and what was written.
 *
 * @param report the verifier's JSON report ({@code frostbyte-verify --json} form) once it ran
 */
public record ImportJob(UUID importId, UUID tenantId, Status status, ImportRequest request, Instant uploadExpiresAt, int attempts,
        Optional<Provenance> provenance, Optional<Counts> counts, Optional<String> report, Optional<String> error,
        Instant createdAt, Instant updatedAt, Optional<Instant> completedAt) {

    public enum Status {
        AWAITING_UPLOAD, VERIFYING, COMPLETED, REJECTED, FAILED;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Status of(String label) {
            return valueOf(label.toUpperCase(Locale.ROOT));
        }

        public boolean isFinal() {
            return this == COMPLETED || this == REJECTED || this == FAILED;
        }
    }

    /** What the verified bundle says of its origin. */
    public record Provenance(Optional<UUID> sourceTenant, Optional<UUID> sourceExport, Optional<String> signer,
            Optional<String> format, String bundleSha256) {
        public Provenance {
            Objects.requireNonNull(sourceTenant, "sourceTenant");
            Objects.requireNonNull(sourceExport, "sourceExport");
            Objects.requireNonNull(signer, "signer");
            Objects.requireNonNull(format, "format");
            Objects.requireNonNull(bundleSha256, "bundleSha256");
        }
    }

    /** Rows in the bundle, and how many were written or kept as they were ({@code on_conflict: skip}). */
    public record Counts(int documents, int chunks, int documentsWritten, int chunksWritten, int documentsSkipped, int chunksSkipped) {
        public Counts {
            if (documents < 0 || chunks < 0 || documentsWritten < 0 || chunksWritten < 0 || documentsSkipped < 0 || chunksSkipped < 0) {
                throw new IllegalArgumentException("counts are never negative");
            }
        }
    }

    public ImportJob {
        Objects.requireNonNull(importId, "importId");
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(uploadExpiresAt, "uploadExpiresAt");
        Objects.requireNonNull(provenance, "provenance");
        Objects.requireNonNull(counts, "counts");
        Objects.requireNonNull(report, "report");
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        Objects.requireNonNull(completedAt, "completedAt");
    }
}
