package io.frostbyte.export.bundle;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/** What a finished bundle holds and what its bytes hash to. */
public record BundleSummary(
        UUID exportId,
        UUID tenantId,
        Instant createdAt,
        int documentCount,
        int chunkCount,
        String signerFingerprint,
        long bundleSize,
        String bundleSha256) {
    public BundleSummary {
        Objects.requireNonNull(exportId, "exportId");
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(signerFingerprint, "signerFingerprint");
        if (!BundleFormat.isSha256Hex(bundleSha256)) throw new IllegalArgumentException("bundleSha256 must be 64 hex");
        if (documentCount < 0 || chunkCount < 0 || bundleSize < 0) throw new IllegalArgumentException("negative count");
    }
}
