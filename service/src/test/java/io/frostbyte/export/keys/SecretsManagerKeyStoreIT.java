package io.frostbyte.export.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.frostbyte.export.db.Database;
import io.frostbyte.export.db.TenantKeyRepository;
import io.frostbyte.export.keys.secretsmanager.SecretsManagerKeyStore;
import io.frostbyte.export.signing.KeyAlgorithm;
import io.frostbyte.export.signing.TenantSigningKey;
import io.frostbyte.export.testing.Moto;
import io.frostbyte.export.testing.TestDatabase;
import io.frostbyte.export.testing.TestKeys;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
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

    SecretsManagerKeyStore store() {
        return new SecretsManagerKeyStore(Moto.secrets(), prefix, 7);
    }

    @Test
    void putGetDestroy_oneSecretPerKey_destroyedIsScheduledForDeletion() throws Exception {
        SecretsManagerKeyStore store = store();
        UUID tenant = UUID.randomUUID();
        TenantSigningKey a = TestKeys.a();
        assertTrue(store.get(tenant, a.fingerprint()).isEmpty());
        store.put(tenant, a.fingerprint(), a.armoredSecretKey());
        store.put(tenant, a.fingerprint(), a.armoredSecretKey()); // a retry of the same key is fine
        assertThrows(IOException.class, () -> store.put(tenant, a.fingerprint(), TestKeys.b().armoredSecretKey()));
        assertEquals(a.armoredSecretKey(), store.get(tenant, a.fingerprint()).orElseThrow());
        assertEquals(prefix + tenant + "/" + a.fingerprint(), store.secretName(tenant, a.fingerprint()));
        store.destroy(tenant, a.fingerprint());
        var described = Moto.secrets().describeSecret(b -> b.secretId(store.secretName(tenant, a.fingerprint())));
        assertNotNull(described.deletedDate(), "scheduled for deletion, within its recovery window");
        assertTrue(store.get(tenant, a.fingerprint()).isEmpty());
        store.destroy(tenant, a.fingerprint()); // twice is fine
    }

    @Test
    void get_keyUnderTheTenantsOldName_foundByFingerprintOnly() throws Exception {
        SecretsManagerKeyStore store = store();
        UUID tenant = UUID.randomUUID();
        TenantSigningKey a = TestKeys.a();
        String armored = a.armoredSecretKey();
        Moto.secrets().createSecret(b -> b.name(store.legacyName(tenant)).secretString(armored));
        assertEquals(a.armoredSecretKey(), store.get(tenant, a.fingerprint()).orElseThrow());
        assertTrue(store.get(tenant, TestKeys.b().fingerprint()).isEmpty());
        store.destroy(tenant, a.fingerprint());
        assertNotNull(Moto.secrets().describeSecret(b -> b.secretId(store.legacyName(tenant))).deletedDate());
    }

    @Test
    void ensure_racingWorkersOnSecretsManager_oneSecretOneRow() throws Exception {
        Database db = TestDatabase.migrated();
        UUID tenant = UUID.randomUUID();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        List<Future<String>> results = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            TenantKeyService s = new TenantKeyService(new TenantKeyRepository(db), store(), KeyAlgorithm.ED25519, Duration.ofDays(365),
                    Clock.systemUTC());
            results.add(pool.submit(() -> s.ensure(tenant).fingerprint()));
        }
        Set<String> fingerprints = new HashSet<>();
        for (Future<String> f : results) fingerprints.add(f.get());
        pool.shutdown();
        assertEquals(1, fingerprints.size());
        assertEquals(1, new TenantKeyRepository(db).all(tenant).size());
        String fingerprint = fingerprints.iterator().next();
        assertEquals(fingerprint, TenantSigningKey.fromSecretKey(store().get(tenant, fingerprint).orElseThrow()).fingerprint());
        long secrets = Moto.secrets().listSecrets(r -> r.maxResults(100)).secretList().stream()
                .filter(s -> s.name().startsWith(prefix + tenant)).count();
        assertEquals(1, secrets);
    }
}
