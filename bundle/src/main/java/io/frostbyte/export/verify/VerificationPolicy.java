package io.frostbyte.export.verify;

import io.frostbyte.export.bundle.BundleFormat;
import io.frostbyte.export.signing.TrustedKeys;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * What the caller trusts and expects.
 *
 * @param trustedKeys the public keys that may have signed
 * @param fingerprintPin if present, the signer must be exactly this key
 * @param expectTenant if present, the manifest's tenant must be this one
 * @param expectExport if present, the manifest's export must be this one
 * @param legacyAccept accept legacy (PRD v0) bundles under §6's rules
 * @param maxManifestBytes a larger manifest is rejected unread
 */
public record VerificationPolicy(
        TrustedKeys trustedKeys,
        Optional<String> fingerprintPin,
        Optional<UUID> expectTenant,
        Optional<UUID> expectExport,
        boolean legacyAccept,
        int maxManifestBytes) {

    public VerificationPolicy {
        Objects.requireNonNull(trustedKeys, "trustedKeys");
        Objects.requireNonNull(fingerprintPin, "fingerprintPin");
        Objects.requireNonNull(expectTenant, "expectTenant");
        Objects.requireNonNull(expectExport, "expectExport");
        if (maxManifestBytes <= 0) throw new IllegalArgumentException("maxManifestBytes must be positive");
    }

    /** Trust these keys, no pins, legacy rejected, the format's manifest cap. */
    public static VerificationPolicy of(TrustedKeys keys) {
        return new VerificationPolicy(keys, Optional.empty(), Optional.empty(), Optional.empty(), false,
                BundleFormat.MAX_MANIFEST_BYTES);
    }

    public VerificationPolicy withFingerprintPin(String fingerprint) {
        return new VerificationPolicy(trustedKeys, Optional.of(fingerprint), expectTenant, expectExport, legacyAccept, maxManifestBytes);
    }

    public VerificationPolicy withExpectTenant(UUID tenant) {
        return new VerificationPolicy(trustedKeys, fingerprintPin, Optional.of(tenant), expectExport, legacyAccept, maxManifestBytes);
    }

    public VerificationPolicy withExpectExport(UUID export) {
        return new VerificationPolicy(trustedKeys, fingerprintPin, expectTenant, Optional.of(export), legacyAccept, maxManifestBytes);
    }

    public VerificationPolicy withLegacyAccept(boolean accept) {
        return new VerificationPolicy(trustedKeys, fingerprintPin, expectTenant, expectExport, accept, maxManifestBytes);
    }

    public VerificationPolicy withMaxManifestBytes(int max) {
        return new VerificationPolicy(trustedKeys, fingerprintPin, expectTenant, expectExport, legacyAccept, max);
    }
}
