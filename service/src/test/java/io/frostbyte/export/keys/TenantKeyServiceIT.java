package io.frostbyte.export.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.frostbyte.export.db.Database;
import io.frostbyte.export.db.TenantKeyRepository;
import io.frostbyte.export.keys.local.LocalKeyStore;
import io.frostbyte.export.signing.KeyAlgorithm;
import io.frostbyte.export.signing.TenantSigningKey;
import io.frostbyte.export.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against the real PostgreSQL: one key per tenant under races, crash recovery, and lost secrets. */
class TenantKeyServiceIT {
    @TempDir Path dir;

    TenantKeyService service(Database db, Path keys) {
        return new TenantKeyService(new TenantKeyRepository(db), new LocalKeyStore(keys), KeyAlgorithm.ED25519, Clock.systemUTC());
    }

    @Test
    void ensure_racingServices_oneKeyOneRowOneFile() throws Exception {
        Database db = TestDatabase.migrated();
        UUID tenant = UUID.randomUUID();
        ExecutorService pool = Executors.newFixedThreadPool(12);
        List<Future<String>> results = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            TenantKeyService s = service(db, dir); // separate caches, like separate containers
            results.add(pool.submit(() -> s.ensure(tenant).fingerprint()));
        }
        Set<String> fingerprints = new HashSet<>();
        for (Future<String> f : results) fingerprints.add(f.get());
        pool.shutdown();
        assertEquals(1, fingerprints.size());
        assertEquals(1, new TenantKeyRepository(db).all(tenant).size());
        Path file = dir.resolve(tenant + ".asc");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void ensure_secretStoredButRowMissing_recoversThatKey() throws Exception {
        Database db = TestDatabase.migrated();
        UUID tenant = UUID.randomUUID();
        // A worker crashed after storing the secret and before writing tenant_keys.
        TenantSigningKey orphan = TenantSigningKey.generate(KeyAlgorithm.ED25519, "t", java.time.Instant.now());
        new LocalKeyStore(dir).putIfAbsent(tenant, orphan.armoredSecretKey());
        assertEquals(orphan.fingerprint(), service(db, dir).ensure(tenant).fingerprint());
        assertEquals(orphan.fingerprint(), new TenantKeyRepository(db).active(tenant).orElseThrow().fingerprint());
    }

    @Test
    void ensure_secretLost_retiresOldKeyAndKeepsItsPublicKey() throws Exception {
        Database db = TestDatabase.migrated();
        UUID tenant = UUID.randomUUID();
        String first = service(db, dir).ensure(tenant).fingerprint();
        Files.delete(dir.resolve(tenant + ".asc"));
        String second = service(db, dir).ensure(tenant).fingerprint();
        assertTrue(!first.equals(second));
        List<TenantPublicKey> rows = new TenantKeyRepository(db).all(tenant);
        assertEquals(2, rows.size());
        assertEquals(second, rows.get(0).fingerprint());
        assertEquals(TenantPublicKey.Status.ACTIVE, rows.get(0).status());
        assertEquals(TenantPublicKey.Status.RETIRED, rows.get(1).status());
    }
}
