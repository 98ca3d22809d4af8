package io.frostbyte.export.keys;

import io.frostbyte.export.db.Database;
import io.frostbyte.export.db.TenantKeyRepository;
import io.frostbyte.export.signing.KeyAlgorithm;
import io.frostbyte.export.signing.KeyMaterialException;
import io.frostbyte.export.signing.TenantSigningKey;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Ensures each tenant has exactly one active signing key. The first export generates it; racing
 * first exports serialise on a PostgreSQL advisory lock per tenant, the key store's own
 * put-if-absent settles races across stores, and a secret stored by a worker that crashed before
 * writing its {@code tenant_keys} row is picked up and recorded by the next one.
 */
public final class TenantKeyService {
    private final Database db;
    private final TenantKeyRepository keys;
    private final TenantKeyStore store;
    private final KeyAlgorithm algorithm;
    private final Clock clock;
    private final ConcurrentHashMap<UUID, TenantSigningKey> cache = new ConcurrentHashMap<>();

    public TenantKeyService(Database db, TenantKeyRepository keys, TenantKeyStore store, KeyAlgorithm algorithm, Clock clock) {
        this.db = db;
        this.keys = keys;
        this.store = store;
        this.algorithm = algorithm;
        this.clock = clock;
    }

    /** The tenant's active signing key, creating it on first use. */
    public TenantSigningKey ensure(UUID tenant) throws KeyMaterialException {
        TenantSigningKey cached = cache.get(tenant);
        if (cached != null) return cached;
        try (Connection c = db.connection()) {
            Optional<TenantKeyRepository.PublicKeyRow> active = keys.active(c, tenant);
            if (active.isPresent()) return remember(tenant, load(tenant, active.get().fingerprint()));
            c.setAutoCommit(false);
            try {
                try (PreparedStatement lock = c.prepareStatement("select pg_advisory_xact_lock(hashtextextended(?, 42))")) {
                    lock.setString(1, "tenant-key:" + tenant);
                    lock.execute();
                }
                active = keys.active(c, tenant);
                if (active.isPresent()) {
                    c.commit();
                    return remember(tenant, load(tenant, active.get().fingerprint()));
                }
                Optional<String> stored = store.get(tenant);
                TenantSigningKey key;
                if (stored.isPresent()) {
                    key = TenantSigningKey.fromSecretKey(stored.get());
                } else {
                    TenantSigningKey fresh = TenantSigningKey.generate(algorithm, "Frostbyte tenant " + tenant, clock.instant());
                    key = TenantSigningKey.fromSecretKey(store.putIfAbsent(tenant, fresh.armoredSecretKey()));
                }
                keys.insertActive(c, tenant, key.fingerprint(), key.algorithm().label(), key.armoredPublicKey());
                c.commit();
                return remember(tenant, key);
            } catch (SQLException | IOException | KeyMaterialException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException | IOException e) {
            throw new KeyMaterialException("cannot ensure the signing key of tenant " + tenant + ": " + e.getMessage(), e);
        }
    }

    private TenantSigningKey load(UUID tenant, String fingerprint) throws IOException, KeyMaterialException {
        String armored = store.get(tenant).orElseThrow(() -> new KeyMaterialException(
                "tenant " + tenant + " has active key " + fingerprint + " but the key store holds no secret for it"));
        TenantSigningKey key = TenantSigningKey.fromSecretKey(armored);
        if (!key.fingerprint().equals(fingerprint)) {
            throw new KeyMaterialException("tenant " + tenant + ": stored secret key " + key.fingerprint()
                    + " is not the active key " + fingerprint);
        }
        return key;
    }

    private TenantSigningKey remember(UUID tenant, TenantSigningKey key) {
        cache.put(tenant, key);
        return key;
    }
}
