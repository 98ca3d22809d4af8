package io.frostbyte.export.keys;

import io.frostbyte.export.export.StoreException;
import io.frostbyte.export.signing.KeyAlgorithm;
import io.frostbyte.export.signing.KeyMaterialException;
import io.frostbyte.export.signing.RevocationReason;
import io.frostbyte.export.signing.Revocations;
import io.frostbyte.export.signing.TenantSigningKey;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A tenant's key lifecycle. Exactly one active key per tenant: the first export makes it, a
 * rotation (asked for, or because the key is older than the maximum age) replaces it and retires
 * the old one, a revocation publishes the key's revocation and ends it. Every change happens under
 * the tenant's PostgreSQL advisory lock, so racing workers and administrators take turns, and is
 * audited. A retired or revoked key's secret is destroyed once the change is committed: it never
 * signs again.
 *
 * <p>Order of a new key: its row is written in the locked transaction, then its secret is stored,
 * then the transaction commits. A crash before the commit leaves no row (the next export makes a
 * new key) and at most an unused secret under the new key's own name.
 */
public final class TenantKeyService {
    private static final Logger LOG = Logger.getLogger(TenantKeyService.class.getName());
    /** Secret keys stay in memory this long; every use still checks that the key is the active one. */
    static final Duration CACHE_TTL = Duration.ofMinutes(10);

    private final TenantKeys keys;
    private final TenantKeyStore store;
    private final KeyAlgorithm algorithm;
    private final Duration maxAge;
    private final Clock clock;

    private record Cached(TenantSigningKey key, java.time.Instant until) {}

    private final ConcurrentHashMap<UUID, Cached> cache = new ConcurrentHashMap<>();

    public TenantKeyService(TenantKeys keys, TenantKeyStore store, KeyAlgorithm algorithm, Duration maxAge, Clock clock) {
        this.keys = keys;
        this.store = store;
        this.algorithm = algorithm;
        this.maxAge = maxAge;
        this.clock = clock;
    }

    /** A key change the caller may not make, or that names no key of the tenant. */
    public static final class KeyChangeException extends Exception {
        /** Why a change is refused. */
        public enum Kind { NO_SUCH_KEY, NOT_REVOCABLE }

        private final Kind kind;

        KeyChangeException(Kind kind, String message) {
            super(message);
            this.kind = kind;
        }

        public Kind kind() {
            return kind;
        }
    }

    /**
     * The tenant's active signing key, made on first use and replaced first when it is older than the
     * maximum age or its secret is gone.
     */
    public TenantSigningKey ensure(UUID tenant) throws KeyMaterialException {
        try {
            Optional<TenantPublicKey> active = keys.active(tenant);
            Cached cached = cache.get(tenant);
            if (active.isPresent() && !tooOld(active.get())) {
                if (cached != null && clock.instant().isBefore(cached.until()) && cached.key().fingerprint().equals(active.get().fingerprint())) {
                    return cached.key();
                }
                Optional<String> stored = store.get(tenant, active.get().fingerprint());
                if (stored.isPresent()) {
                    destroyPending(tenant);
                    return remember(tenant, TenantSigningKey.fromSecretKey(stored.get()));
                }
            }
            List<String> destroy = new ArrayList<>();
            TenantSigningKey key = keys.underTenantLock(tenant, tx -> settle(tenant, tx, destroy));
            destroyAll(tenant, destroy);
            return remember(tenant, key);
        } catch (StoreException | IOException e) {
            throw new KeyMaterialException("cannot ensure the signing key of tenant " + tenant + ": " + e.getMessage(), e);
        }
    }

    /** Whether {@code fingerprint} is still the tenant's active key (an export checks before it records a bundle). */
    public boolean isActive(UUID tenant, String fingerprint) throws StoreException {
        return keys.active(tenant).map(k -> k.fingerprint().equals(fingerprint)).orElse(false);
    }

    /** Under the lock: keep a usable active key, or replace it (over age, secret lost) or make the first. */
    private TenantSigningKey settle(UUID tenant, TenantKeys.Locked.Tx tx, List<String> destroy)
            throws StoreException, IOException, KeyMaterialException {
        Optional<TenantPublicKey> active = tx.active();
        if (active.isPresent()) {
            Optional<String> stored = store.get(tenant, active.get().fingerprint());
            if (stored.isPresent() && !tooOld(active.get())) return TenantSigningKey.fromSecretKey(stored.get());
            String why = stored.isEmpty() ? "replace_lost" : "rotate_expired";
            if (stored.isEmpty()) {
                LOG.log(Level.WARNING, "tenant {0}: active key {1} has no secret in the key store; retiring it",
                        new Object[] {tenant, active.get().fingerprint()});
            }
            return replace(tenant, tx, active, "worker", why, destroy);
        }
        return replace(tenant, tx, Optional.empty(), "worker", "create", destroy);
    }

    /** Makes a new active key, retiring {@code current} (whose secret is destroyed after the commit). */
    private TenantSigningKey replace(UUID tenant, TenantKeys.Locked.Tx tx, Optional<TenantPublicKey> current, String actor, String action,
            List<String> destroy) throws StoreException, IOException, KeyMaterialException {
        TenantSigningKey fresh = TenantSigningKey.generate(algorithm, "Frostbyte tenant " + tenant, clock.instant());
        if (current.isPresent()) {
            prepareIfMissing(tenant, tx, current.get().fingerprint());
            tx.retire(current.get().fingerprint());
            destroy.add(current.get().fingerprint());
        }
        Map<RevocationReason, String> prepared = new EnumMap<>(RevocationReason.class);
        for (RevocationReason r : RevocationReason.values()) prepared.put(r, fresh.revocation(r, fresh.createdAt()));
        tx.insertActive(fresh.fingerprint(), fresh.algorithm().label(), fresh.armoredPublicKey(), prepared);
        tx.audit(new TenantKeys.Audit(actor, action, fresh.fingerprint(), current.map(TenantPublicKey::fingerprint), Optional.empty()));
        store.put(tenant, fresh.fingerprint(), fresh.armoredSecretKey());
        LOG.log(Level.INFO, "tenant {0}: key {1} by {2}: new active key {3}{4}", new Object[] {tenant, action, actor, fresh.fingerprint(),
                current.map(c -> ", retired " + c.fingerprint()).orElse("")});
        return fresh;
    }

    /** An administrator's rotation: a new active key; the previous one is retired and its secret destroyed. */
    public TenantPublicKey rotate(UUID tenant, String actor) throws KeyMaterialException, StoreException, IOException {
        List<String> destroy = new ArrayList<>();
        TenantPublicKey made = keys.underTenantLock(tenant, tx -> {
            TenantSigningKey key = replace(tenant, tx, tx.active(), actor, "rotate", destroy);
            return tx.find(key.fingerprint()).orElseThrow(() -> new StoreException("new key " + key.fingerprint() + " not recorded", null));
        });
        destroyAll(tenant, destroy);
        cache.remove(tenant);
        return made;
    }

    /**
     * Revokes a key: its revocation (with the reason) is published on it, it is marked revoked and its
     * secret destroyed. If it was active, the tenant has no active key until the next export makes one.
     * Revoking a revoked key changes nothing.
     */
    public TenantPublicKey revoke(UUID tenant, String fingerprint, RevocationReason reason, String actor)
            throws KeyMaterialException, StoreException, IOException, KeyChangeException {
        Optional<KeyChangeException> refused = keys.underTenantLock(tenant, tx -> {
            Optional<TenantPublicKey> row = tx.find(fingerprint);
            if (row.isEmpty()) {
                return Optional.of(new KeyChangeException(KeyChangeException.Kind.NO_SUCH_KEY, "tenant has no key " + fingerprint));
            }
            if (row.get().status() == TenantPublicKey.Status.REVOKED) return Optional.empty();
            // A fresh revocation while the secret exists; otherwise the one prepared when the key was made.
            Optional<String> prepared = tx.preparedRevocation(fingerprint, reason);
            Optional<String> revocation = fresh(tenant, fingerprint, reason).or(() -> prepared);
            if (revocation.isEmpty()) {
                return Optional.of(new KeyChangeException(KeyChangeException.Kind.NOT_REVOCABLE, "key " + fingerprint
                        + " has neither its secret nor a prepared revocation (it predates revocation support); it cannot be revoked"));
            }
            tx.revoke(fingerprint, reason, Revocations.attach(row.get().armoredPublicKey(), revocation.get()));
            tx.audit(new TenantKeys.Audit(actor, "revoke", fingerprint, Optional.empty(), Optional.of(reason)));
            LOG.log(Level.WARNING, "tenant {0}: key {1} revoked by {2} ({3})", new Object[] {tenant, fingerprint, actor, reason.label()});
            return Optional.empty();
        });
        if (refused.isPresent()) throw refused.get();
        destroyAll(tenant, List.of(fingerprint));
        cache.remove(tenant);
        return keys.all(tenant).stream().filter(k -> k.fingerprint().equals(fingerprint)).findFirst()
                .orElseThrow(() -> new StoreException("revoked key " + fingerprint + " vanished", null));
    }

    /** A revocation made now by the key's secret, if the secret can be read; a broken or unreadable one is no obstacle. */
    private Optional<String> fresh(UUID tenant, String fingerprint, RevocationReason reason) {
        try {
            Optional<String> secret = store.get(tenant, fingerprint);
            return secret.isPresent() ? Optional.of(TenantSigningKey.fromSecretKey(secret.get()).revocation(reason, clock.instant()))
                    : Optional.empty();
        } catch (IOException | KeyMaterialException e) {
            LOG.log(Level.WARNING, "tenant {0}: secret of key {1} unreadable ({2}); revoking with its prepared revocation",
                    new Object[] {tenant, fingerprint, e.getMessage()});
            return Optional.empty();
        }
    }

    /**
     * A key made before revocations were prepared at creation gets them now, while its secret can
     * still sign: once the secret is destroyed, a prepared revocation is the only way to revoke it.
     */
    private void prepareIfMissing(UUID tenant, TenantKeys.Locked.Tx tx, String fingerprint)
            throws StoreException, IOException, KeyMaterialException {
        if (tx.preparedRevocation(fingerprint, RevocationReason.COMPROMISED).isPresent()) return;
        Optional<String> secret = store.get(tenant, fingerprint);
        if (secret.isEmpty()) return;
        TenantSigningKey key = TenantSigningKey.fromSecretKey(secret.get());
        Map<RevocationReason, String> prepared = new EnumMap<>(RevocationReason.class);
        for (RevocationReason r : RevocationReason.values()) prepared.put(r, key.revocation(r, key.createdAt()));
        tx.prepareRevocations(fingerprint, prepared);
    }

    private boolean tooOld(TenantPublicKey key) {
        return key.createdAt().plus(maxAge).isBefore(clock.instant());
    }

    /**
     * After the commit. A failure leaves a secret that no row calls active; the key row says its secret
     * is not destroyed yet, and the worker's next {@link #ensure} for the tenant tries again.
     */
    private void destroyAll(UUID tenant, List<String> fingerprints) {
        for (String f : fingerprints) {
            try {
                store.destroy(tenant, f);
                keys.secretDestroyed(tenant, f);
            } catch (IOException | StoreException e) {
                LOG.log(Level.WARNING, "tenant " + tenant + ": could not destroy the secret of key " + f + " yet; the worker retries", e);
            }
        }
    }

    /** Secrets of retired and revoked keys that an earlier destroy could not reach. */
    private void destroyPending(UUID tenant) {
        try {
            destroyAll(tenant, keys.secretsToDestroy(tenant));
        } catch (StoreException e) {
            LOG.log(Level.WARNING, "tenant " + tenant + ": cannot list secrets to destroy", e);
        }
    }

    private TenantSigningKey remember(UUID tenant, TenantSigningKey key) {
        cache.put(tenant, new Cached(key, clock.instant().plus(CACHE_TTL)));
        return key;
    }
}
