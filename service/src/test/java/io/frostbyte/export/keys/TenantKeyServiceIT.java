package io.frostbyte.export.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.frostbyte.export.db.Database;
import io.frostbyte.export.db.TenantKeyRepository;
import io.frostbyte.export.keys.local.LocalKeyStore;
import io.frostbyte.export.signing.KeyAlgorithm;
import io.frostbyte.export.signing.RevocationReason;
import io.frostbyte.export.signing.Revocations;
import io.frostbyte.export.signing.TenantSigningKey;
import io.frostbyte.export.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against the real PostgreSQL: one active key per tenant under races, rotation, revocation, age, lost secrets, audit. */
class TenantKeyServiceIT {
    @TempDir Path dir;

    TenantKeyService service(Database db, Path keys) {
        return service(db, keys, Clock.systemUTC());
    }

    TenantKeyService service(Database db, Path keys, Clock clock) {
        return new TenantKeyService(new TenantKeyRepository(db), new LocalKeyStore(keys), KeyAlgorithm.ED25519, Duration.ofDays(365), clock);
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
        Path file = dir.resolve(tenant.toString()).resolve(fingerprints.iterator().next() + ".asc");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(List.of("create"), actions(db, tenant));
    }

    @Test
    void ensure_secretStoredButRowNeverCommitted_newKeyAndTheOrphanIsNeverUsed() throws Exception {
        Database db = TestDatabase.migrated();
        UUID tenant = UUID.randomUUID();
        // A worker crashed after storing a new key's secret and before its transaction committed.
        TenantSigningKey orphan = TenantSigningKey.generate(KeyAlgorithm.ED25519, "t", java.time.Instant.now());
        new LocalKeyStore(dir).put(tenant, orphan.fingerprint(), orphan.armoredSecretKey());
        String made = service(db, dir).ensure(tenant).fingerprint();
        assertNotEquals(orphan.fingerprint(), made);
        assertEquals(made, new TenantKeyRepository(db).active(tenant).orElseThrow().fingerprint());
        assertEquals(1, new TenantKeyRepository(db).all(tenant).size());
    }

    @Test
    void ensure_keyStoredUnderTheTenantsOldName_isStillUsed() throws Exception {
        Database db = TestDatabase.migrated();
        UUID tenant = UUID.randomUUID();
        TenantSigningKey old = TenantSigningKey.generate(KeyAlgorithm.ED25519, "t", java.time.Instant.now());
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(tenant + ".asc"), old.armoredSecretKey());
        new TenantKeyRepository(db).underTenantLock(tenant, tx -> {
            tx.insertActive(old.fingerprint(), "ed25519", old.armoredPublicKey(), Map.of());
            return null;
        });
        assertEquals(old.fingerprint(), service(db, dir).ensure(tenant).fingerprint());
    }

    @Test
    void ensure_secretLost_retiresOldKeyAndKeepsItsPublicKey() throws Exception {
        Database db = TestDatabase.migrated();
        UUID tenant = UUID.randomUUID();
        String first = service(db, dir).ensure(tenant).fingerprint();
        Files.delete(dir.resolve(tenant.toString()).resolve(first + ".asc"));
        String second = service(db, dir).ensure(tenant).fingerprint();
        assertNotEquals(first, second);
        List<TenantPublicKey> rows = new TenantKeyRepository(db).all(tenant);
        assertEquals(2, rows.size());
        assertEquals(second, rows.get(0).fingerprint());
        assertEquals(TenantPublicKey.Status.ACTIVE, rows.get(0).status());
        assertEquals(TenantPublicKey.Status.RETIRED, rows.get(1).status());
        assertEquals(List.of("create", "replace_lost"), actions(db, tenant));
    }

    @Test
    void ensure_keyOlderThanTheMaximumAge_rotatesBeforeSigning() throws Exception {
        Database db = TestDatabase.migrated();
        UUID tenant = UUID.randomUUID();
        String first = service(db, dir).ensure(tenant).fingerprint();
        // A year and a day later.
        TenantKeyService later = service(db, dir, Clock.offset(Clock.systemUTC(), Duration.ofDays(366)));
        String second = later.ensure(tenant).fingerprint();
        assertNotEquals(first, second);
        assertEquals(TenantPublicKey.Status.RETIRED, find(db, tenant, first).status());
        assertFalse(Files.exists(dir.resolve(tenant.toString()).resolve(first + ".asc")), "the retired key's secret is destroyed");
        assertEquals(List.of("create", "rotate_expired"), actions(db, tenant));
    }

    @Test
    void rotate_twentyConcurrent_exactlyOneActiveEveryOtherRetiredNoneLost() throws Exception {
        Database db = TestDatabase.migrated();
        UUID tenant = UUID.randomUUID();
        String first = service(db, dir).ensure(tenant).fingerprint();
        ExecutorService pool = Executors.newFixedThreadPool(20);
        List<Future<String>> results = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            TenantKeyService s = service(db, dir);
            String actor = "admin-" + i;
            results.add(pool.submit(() -> s.rotate(tenant, actor).fingerprint()));
        }
        Set<String> made = new HashSet<>();
        for (Future<String> f : results) made.add(f.get());
        pool.shutdown();
        assertEquals(20, made.size(), "every rotation made its own key");
        List<TenantPublicKey> rows = new TenantKeyRepository(db).all(tenant);
        assertEquals(21, rows.size(), "no key lost");
        assertEquals(1, rows.stream().filter(r -> r.status() == TenantPublicKey.Status.ACTIVE).count());
        assertEquals(20, rows.stream().filter(r -> r.status() == TenantPublicKey.Status.RETIRED).count());
        assertTrue(made.contains(rows.get(0).fingerprint()));
        try (var files = Files.list(dir.resolve(tenant.toString()))) {
            assertEquals(List.of(rows.get(0).fingerprint() + ".asc"), files.map(p -> p.getFileName().toString()).toList(),
                    "only the active key's secret remains");
        }
        assertEquals(21, actions(db, tenant).size());
        assertTrue(actions(db, tenant).subList(1, 21).stream().allMatch("rotate"::equals));
        assertEquals(first, rows.get(rows.size() - 1).fingerprint());
    }

    @Test
    void revoke_activeThenRetired_publishesRevocationsDestroysSecretsNextEnsureMakesANewKey() throws Exception {
        Database db = TestDatabase.migrated();
        UUID tenant = UUID.randomUUID();
        TenantKeyService s = service(db, dir);
        String first = s.ensure(tenant).fingerprint();
        String second = s.rotate(tenant, "admin").fingerprint();
        // The retired key's secret is gone: its revocation is the one prepared when it was made.
        TenantPublicKey retired = s.revoke(tenant, first, RevocationReason.SUPERSEDED, "admin");
        assertEquals(TenantPublicKey.Status.REVOKED, retired.status());
        assertEquals(RevocationReason.SUPERSEDED, retired.revocationReason().orElseThrow());
        assertTrue(Revocations.isRevoked(retired.armoredPublicKey()));
        TenantPublicKey active = s.revoke(tenant, second, RevocationReason.COMPROMISED, "admin");
        assertTrue(Revocations.isRevoked(active.armoredPublicKey()));
        assertTrue(new TenantKeyRepository(db).active(tenant).isEmpty());
        assertFalse(Files.exists(dir.resolve(tenant.toString()).resolve(second + ".asc")));
        String third = s.ensure(tenant).fingerprint();
        assertFalse(Set.of(first, second).contains(third));
        assertEquals(TenantPublicKey.Status.REVOKED, s.revoke(tenant, second, RevocationReason.SUPERSEDED, "admin").status(),
                "revoking again changes nothing");
        assertEquals(RevocationReason.COMPROMISED, find(db, tenant, second).revocationReason().orElseThrow());
        TenantKeyService.KeyChangeException unknown = assertThrows(TenantKeyService.KeyChangeException.class,
                () -> s.revoke(tenant, "0".repeat(40), RevocationReason.COMPROMISED, "admin"));
        assertEquals(TenantKeyService.KeyChangeException.Kind.NO_SUCH_KEY, unknown.kind());
        assertEquals(List.of("create", "rotate", "revoke", "revoke", "create"), actions(db, tenant));
    }

    @Test
    void rotate_keyMadeBeforeRevocationSupport_staysRevocableAfterItsSecretIsDestroyed() throws Exception {
        Database db = TestDatabase.migrated();
        UUID tenant = UUID.randomUUID();
        TenantSigningKey old = TenantSigningKey.generate(KeyAlgorithm.ED25519, "t", java.time.Instant.now());
        new LocalKeyStore(dir).put(tenant, old.fingerprint(), old.armoredSecretKey());
        new TenantKeyRepository(db).underTenantLock(tenant, tx -> {
            tx.insertActive(old.fingerprint(), "ed25519", old.armoredPublicKey(), Map.of()); // as V3 found it: nothing prepared
            return null;
        });
        TenantKeyService s = service(db, dir);
        s.rotate(tenant, "admin");
        assertFalse(Files.exists(dir.resolve(tenant.toString()).resolve(old.fingerprint() + ".asc")));
        TenantPublicKey revoked = s.revoke(tenant, old.fingerprint(), RevocationReason.COMPROMISED, "admin");
        assertTrue(Revocations.isRevoked(revoked.armoredPublicKey()));
    }

    @Test
    void destroy_storeFailsAtRotation_secretDestroyedByALaterEnsure() throws Exception {
        Database db = TestDatabase.migrated();
        UUID tenant = UUID.randomUUID();
        LocalKeyStore real = new LocalKeyStore(dir);
        boolean[] failing = {true};
        TenantKeyStore flaky = new TenantKeyStore() {
            @Override
            public java.util.Optional<String> get(UUID t, String f) throws java.io.IOException {
                return real.get(t, f);
            }

            @Override
            public void put(UUID t, String f, String k) throws java.io.IOException {
                real.put(t, f, k);
            }

            @Override
            public void destroy(UUID t, String f) throws java.io.IOException {
                if (failing[0]) throw new java.io.IOException("key store unavailable");
                real.destroy(t, f);
            }
        };
        TenantKeyService s = new TenantKeyService(new TenantKeyRepository(db), flaky, KeyAlgorithm.ED25519, Duration.ofDays(365),
                Clock.systemUTC());
        String first = s.ensure(tenant).fingerprint();
        s.rotate(tenant, "admin");
        Path firstFile = dir.resolve(tenant.toString()).resolve(first + ".asc");
        assertTrue(Files.exists(firstFile), "the destroy failed");
        assertEquals(List.of(first), new TenantKeyRepository(db).secretsToDestroy(tenant));
        failing[0] = false;
        service(db, dir).ensure(tenant); // any export's key lookup
        assertFalse(Files.exists(firstFile), "retried and destroyed");
        assertTrue(new TenantKeyRepository(db).secretsToDestroy(tenant).isEmpty());
    }

    static TenantPublicKey find(Database db, UUID tenant, String fingerprint) throws Exception {
        return new TenantKeyRepository(db).all(tenant).stream().filter(k -> k.fingerprint().equals(fingerprint)).findFirst().orElseThrow();
    }

    static List<String> actions(Database db, UUID tenant) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = db.connection();
                PreparedStatement ps = c.prepareStatement("select action, actor from key_audit where tenant_id = ? order by id")) {
            ps.setObject(1, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    assertFalse(rs.getString(2).isBlank());
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }
}
