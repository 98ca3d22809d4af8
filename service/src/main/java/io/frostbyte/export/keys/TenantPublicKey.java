package io.frostbyte.export.keys;

import io.frostbyte.export.signing.RevocationReason;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A tenant's public key as published: the active one signs new bundles, retired ones stay
 * published so that older bundles remain verifiable, revoked ones are published with their
 * revocation signature so that every bundle they signed fails verification.
 */
public record TenantPublicKey(UUID tenantId, String fingerprint, String algorithm, String armoredPublicKey, Status status,
        Instant createdAt, Optional<Instant> retiredAt, Optional<Instant> revokedAt, Optional<RevocationReason> revocationReason) {

    public enum Status {
        ACTIVE, RETIRED, REVOKED;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public TenantPublicKey {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(armoredPublicKey, "armoredPublicKey");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(retiredAt, "retiredAt");
        Objects.requireNonNull(revokedAt, "revokedAt");
        Objects.requireNonNull(revocationReason, "revocationReason");
        if ((status == Status.REVOKED) != revokedAt.isPresent() || revokedAt.isPresent() != revocationReason.isPresent()) {
            throw new IllegalArgumentException("a revoked key, and only a revoked key, has a revocation time and reason");
        }
    }

    /** A key that is not revoked. */
    public TenantPublicKey(UUID tenantId, String fingerprint, String algorithm, String armoredPublicKey, Status status,
            Instant createdAt, Optional<Instant> retiredAt) {
        this(tenantId, fingerprint, algorithm, armoredPublicKey, status, createdAt, retiredAt, Optional.empty(), Optional.empty());
    }
}
