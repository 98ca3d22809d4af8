package io.frostbyte.export.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.frostbyte.export.db.Database;
import io.frostbyte.export.db.TenantKeyRepository;
import io.frostbyte.export.keys.secretsmanager.SecretsManagerKeyStore;
import io.frostbyte.export.signing.KeyAlgorithm;
import io.frostbyte.export.signing.TenantSigningKey;
import io.frostbyte.export.testing.Moto;
import io.frostbyte.export.testing.TestDatabase;
import io.frostbyte.export.testing.TestKeys;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The Secrets Manager key store against moto's server. */
class SecretsManagerKeyStoreIT {
    final String prefix = "frostbyte-test-" + UUID.randomUUID() + "/tenant-keys/";

    @Test
    void putIfAbsent_secondWriter_getsTheFirstKey() throws Exception {
        SecretsManagerKeyStore a = new SecretsManagerKeyStore(Moto.secrets(), prefix);
        SecretsManagerKeyStore b = new SecretsManagerKeyStore(Moto.secrets(), prefix);
        UUID tenant = UUID.randomUUID();
        assertTrue(a.get(tenant).isEmpty());
        String first = TestKeys.a().armoredSecretKey();
        String second = TestKeys.b().armoredSecretKey();
        assertEquals(first, a.putIfAbsent(tenant, first));
        assertEquals(first, b.putIfAbsent(tenant, second), "ResourceExistsException must hand back the stored key");
        assertEquals(first, b.get(tenant).orElseThrow());
        assertEquals(prefix + tenant, a.secretName(tenant));
    }

    @Test
    void ensure_crashBetweenSecretAndRow_nextExportAdoptsTheSecret() throws Exception {
        Database db = TestDatabase.migrated();
        UUID tenant = UUID.randomUUID();
        SecretsManagerKeyStore store = new SecretsManagerKeyStore(Moto.secrets(), prefix);
        TenantSigningKey orphan = TenantSigningKey.generate(KeyAlgorithm.ED25519, "t", java.time.Instant.now());
        store.putIfAbsent(tenant, orphan.armoredSecretKey()); // the worker died right after this
        TenantKeyService next = new TenantKeyService(new TenantKeyRepository(db), store, KeyAlgorithm.ED25519, Clock.systemUTC());
        assertEquals(orphan.fingerprint(), next.ensure(tenant).fingerprint());
        assertEquals(orphan.fingerprint(), new TenantKeyRepository(db).active(tenant).orElseThrow().fingerprint());
    }

    @Test
    void ensure_racingWorkersOnSecretsManager_oneSecretOneRow() throws Exception {
        Database db = TestDatabase.migrated();
        UUID tenant = UUID.randomUUID();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        List<Future<String>> results = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            TenantKeyService s = new TenantKeyService(new TenantKeyRepository(db),
                    new SecretsManagerKeyStore(Moto.secrets(), prefix), KeyAlgorithm.ED25519, Clock.systemUTC());
            results.add(pool.submit(() -> s.ensure(tenant).fingerprint()));
        }
        Set<String> fingerprints = new HashSet<>();
        for (Future<String> f : results) fingerprints.add(f.get());
        pool.shutdown();
        assertEquals(1, fingerprints.size());
        assertEquals(1, new TenantKeyRepository(db).all(tenant).size());
        String stored = new SecretsManagerKeyStore(Moto.secrets(), prefix).get(tenant).orElseThrow();
        assertEquals(fingerprints.iterator().next(), TenantSigningKey.fromSecretKey(stored).fingerprint());
    }
}
