package io.frostbyte.export.keys;

import io.frostbyte.export.export.StoreException;
import io.frostbyte.export.signing.KeyMaterialException;
import io.frostbyte.export.signing.RevocationReason;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Port: tenants' public keys (never private ones), the per-tenant lock under which keys change, and their audit trail. */
public interface TenantKeys {
    Optional<TenantPublicKey> active(UUID tenant) throws StoreException;

    /** All of the tenant's keys, the active one first, then the others newest first. */
    List<TenantPublicKey> all(UUID tenant) throws StoreException;

    /** Fingerprints of the tenant's retired and revoked keys whose secrets are not yet known to be destroyed. */
    List<String> secretsToDestroy(UUID tenant) throws StoreException;

    /** Records that the key's secret is destroyed. */
    void secretDestroyed(UUID tenant, String fingerprint) throws StoreException;

    /** Runs {@code work} in one transaction that holds the tenant's key lock; racing callers take turns. */
    <T> T underTenantLock(UUID tenant, Locked<T> work) throws StoreException, IOException, KeyMaterialException;

    /** One key change, for the audit trail: who did what to which key, and why. */
    record Audit(String actor, String action, String fingerprint, Optional<String> previousFingerprint,
            Optional<RevocationReason> reason) {}

    interface Locked<T> {
        T run(Locked.Tx tx) throws StoreException, IOException, KeyMaterialException;

        /** The key rows, inside the locked transaction. */
        interface Tx {
            Optional<TenantPublicKey> active() throws StoreException;

            Optional<TenantPublicKey> find(String fingerprint) throws StoreException;

            void retire(String fingerprint) throws StoreException;

            /**
             * Records a new active key with the revocations prepared for it (kept unpublished until a
             * revoke, so that a key can be revoked after its secret is destroyed).
             */
            void insertActive(String fingerprint, String algorithm, String armoredPublicKey,
                    Map<RevocationReason, String> preparedRevocations) throws StoreException;

            Optional<String> preparedRevocation(String fingerprint, RevocationReason reason) throws StoreException;

            /** Stores revocations prepared later for a key that has none (made before revocation support). */
            void prepareRevocations(String fingerprint, Map<RevocationReason, String> preparedRevocations) throws StoreException;

            /** Marks the key revoked and publishes {@code revokedPublicKey} (the key with its revocation) in its place. */
            void revoke(String fingerprint, RevocationReason reason, String revokedPublicKey) throws StoreException;

            void audit(Audit entry) throws StoreException;
        }
    }
}
