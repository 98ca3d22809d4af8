package io.frostbyte.export.keys;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A tenant's public key as published: the active one signs new bundles, retired ones stay
 * published so that older bundles remain verifiable.
 */
public record TenantPublicKey(UUID tenantId, String fingerprint, String algorithm, String armoredPublicKey, Status status,
        Instant createdAt, Optional<Instant> retiredAt) {

    public enum Status {
        ACTIVE, RETIRED;

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
    }
}
