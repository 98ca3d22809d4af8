package io.frostbyte.export.keys;

import io.frostbyte.export.export.StoreException;
import io.frostbyte.export.signing.KeyMaterialException;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Port: tenants' public keys (never private ones) and the per-tenant lock under which keys change. */
public interface TenantKeys {
    Optional<TenantPublicKey> active(UUID tenant) throws StoreException;

    /** All of the tenant's keys, the active one first, then retired ones newest first. */
    List<TenantPublicKey> all(UUID tenant) throws StoreException;

    /** Runs {@code work} in one transaction that holds the tenant's key lock; racing callers take turns. */
    <T> T underTenantLock(UUID tenant, Locked<T> work) throws StoreException, IOException, KeyMaterialException;

    interface Locked<T> {
        T run(Locked.Tx tx) throws StoreException, IOException, KeyMaterialException;

        /** The key rows, inside the locked transaction. */
        interface Tx {
            Optional<TenantPublicKey> active() throws StoreException;

            void retire(String fingerprint) throws StoreException;

            void insertActive(String fingerprint, String algorithm, String armoredPublicKey) throws StoreException;
        }
    }
}
