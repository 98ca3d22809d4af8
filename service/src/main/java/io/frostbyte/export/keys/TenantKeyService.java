package io.frostbyte.export.keys;

import io.frostbyte.export.export.StoreException;
import io.frostbyte.export.signing.KeyAlgorithm;
import io.frostbyte.export.signing.KeyMaterialException;
import io.frostbyte.export.signing.TenantSigningKey;
import java.io.IOException;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Ensures each tenant has exactly one active signing key. The first export generates it; racing
 * first exports serialise on a PostgreSQL advisory lock per tenant, the key store's own
 * put-if-absent settles races across stores, and a secret stored by a worker that crashed before
 * writing its {@code tenant_keys} row is picked up and recorded by the next one.
 */
public final class TenantKeyService {
    private static final Logger LOG = Logger.getLogger(TenantKeyService.class.getName());
    private final TenantKeys keys;
    private final TenantKeyStore store;
    private final KeyAlgorithm algorithm;
    private final Clock clock;
    /** Secret keys stay in memory this long, so a rotation or loss in the store is noticed. */
    static final java.time.Duration CACHE_TTL = java.time.Duration.ofMinutes(10);

    private record Cached(TenantSigningKey key, java.time.Instant until) {}

    private final ConcurrentHashMap<UUID, Cached> cache = new ConcurrentHashMap<>();

    public TenantKeyService(TenantKeys keys, TenantKeyStore store, KeyAlgorithm algorithm, Clock clock) {
        this.keys = keys;
        this.store = store;
        this.algorithm = algorithm;
        this.clock = clock;
    }

    /** The tenant's active signing key, creating it on first use. */
    public TenantSigningKey ensure(UUID tenant) throws KeyMaterialException {
        Cached cached = cache.get(tenant);
        if (cached != null && clock.instant().isBefore(cached.until())) return cached.key();
        try {
            Optional<TenantPublicKey> active = keys.active(tenant);
            Optional<String> stored = store.get(tenant);
            if (active.isPresent() && stored.isPresent()) {
                TenantSigningKey key = TenantSigningKey.fromSecretKey(stored.get());
                if (key.fingerprint().equals(active.get().fingerprint())) return remember(tenant, key);
            }
            return remember(tenant, keys.underTenantLock(tenant, tx -> settle(tenant, tx)));
        } catch (StoreException | IOException e) {
            throw new KeyMaterialException("cannot ensure the signing key of tenant " + tenant + ": " + e.getMessage(), e);
        }
    }

    /** Under the tenant's lock: adopt the stored secret or make one, and make the key rows agree with it. */
    private TenantSigningKey settle(UUID tenant, TenantKeys.Locked.Tx tx) throws StoreException, IOException, KeyMaterialException {
        Optional<TenantPublicKey> active = tx.active();
        Optional<String> stored = store.get(tenant);
        TenantSigningKey key;
        if (stored.isPresent()) {
            // Ours from an earlier run, another worker's, or one stored just before a crash.
            key = TenantSigningKey.fromSecretKey(stored.get());
        } else {
            TenantSigningKey fresh = TenantSigningKey.generate(algorithm, "Frostbyte tenant " + tenant, clock.instant());
            key = TenantSigningKey.fromSecretKey(store.putIfAbsent(tenant, fresh.armoredSecretKey()));
        }
        if (active.isPresent() && !active.get().fingerprint().equals(key.fingerprint())) {
            // The active row's secret is gone (or was replaced): retire it, so bundles it signed stay verifiable.
            LOG.log(Level.WARNING, "tenant {0}: active key {1} has no secret in the key store; retiring it for {2}",
                    new Object[] {tenant, active.get().fingerprint(), key.fingerprint()});
            tx.retire(active.get().fingerprint());
            active = Optional.empty();
        }
        if (active.isEmpty()) tx.insertActive(key.fingerprint(), key.algorithm().label(), key.armoredPublicKey());
        return key;
    }

    private TenantSigningKey remember(UUID tenant, TenantSigningKey key) {
        cache.put(tenant, new Cached(key, clock.instant().plus(CACHE_TTL)));
        return key;
    }
}
