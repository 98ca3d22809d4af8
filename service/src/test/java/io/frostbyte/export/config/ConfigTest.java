package io.frostbyte.export.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.frostbyte.export.signing.KeyAlgorithm;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigTest {
    static Map<String, String> base() {
        Map<String, String> env = new HashMap<>();
        env.put("DATABASE_URL", "postgresql://u:p%40ss@db.internal:5433/frostbyte");
        env.put("REDIS_URL", "redis://127.0.0.1:6379/0");
        env.put("FROSTBYTE_BUCKET", "bundles");
        return env;
    }

    @Test
    void fromEnv_libpqUrlAndDefaults_parsed() {
        Config c = Config.fromEnv(base());
        assertEquals("jdbc:postgresql://db.internal:5433/frostbyte", c.jdbcUrl());
        assertEquals("u", c.dbUser());
        assertEquals("p@ss", c.dbPassword());
        assertEquals(Config.Storage.S3, c.storage());
        assertEquals(Config.KeyStoreKind.SECRETSMANAGER, c.keyStore());
        assertEquals(KeyAlgorithm.ED25519, c.keyAlgorithm());
        assertEquals(Duration.ofMinutes(15), c.downloadUrlTtl());
        assertEquals("export:jobs", c.queueKey());
        assertEquals("frostbyte/tenant-keys/", c.secretPrefix());
    }

    @Test
    void fromEnv_missingOrMalformed_oneLineNamingTheVariable() {
        Map<String, String> env = base();
        env.remove("DATABASE_URL");
        assertEquals("DATABASE_URL is not set", assertThrows(ConfigException.class, () -> Config.fromEnv(env)).getMessage());
        Map<String, String> ttl = base();
        ttl.put("FROSTBYTE_DOWNLOAD_URL_TTL", "soon");
        assertTrue(assertThrows(ConfigException.class, () -> Config.fromEnv(ttl)).getMessage().startsWith("FROSTBYTE_DOWNLOAD_URL_TTL"));
        Map<String, String> storage = base();
        storage.put("FROSTBYTE_STORAGE", "local");
        assertTrue(assertThrows(ConfigException.class, () -> Config.fromEnv(storage).requireStorage()).getMessage().contains("EXPORT_STORAGE_PATH"));
        Map<String, String> alg = base();
        alg.put("FROSTBYTE_KEY_ALGORITHM", "dsa");
        assertTrue(assertThrows(ConfigException.class, () -> Config.fromEnv(alg)).getMessage().startsWith("FROSTBYTE_KEY_ALGORITHM"));
        Map<String, String> bucket = base();
        bucket.remove("FROSTBYTE_BUCKET");
        assertTrue(assertThrows(ConfigException.class, () -> Config.fromEnv(bucket).requireStorage()).getMessage().startsWith("FROSTBYTE_BUCKET"));
        for (String[] typo : new String[][] {{"FROSTBYTE_LOG_LEVEL", "verbose"}, {"FROSTBYTE_METRICS", "no"},
                {"FROSTBYTE_METRICS_TENANT_DIMENSION", "yes"}}) {
            Map<String, String> env2 = base();
            env2.put(typo[0], typo[1]);
            assertTrue(assertThrows(ConfigException.class, () -> Config.fromEnv(env2)).getMessage().startsWith(typo[0]), typo[0]);
        }
        Map<String, String> fine = base();
        fine.put("FROSTBYTE_LOG_LEVEL", "debug");
        fine.put("FROSTBYTE_METRICS", "OFF");
        fine.put("FROSTBYTE_METRICS_TENANT_DIMENSION", "true");
        Config.fromEnv(fine);
    }

    @Test
    void fromEnv_eachFunctionNeedsOnlyItsOwnVariables() {
        Map<String, String> publicKeyOnly = Map.of("DATABASE_URL", "postgresql://u:p@db.internal/frostbyte");
        Config c = Config.fromEnv(publicKeyOnly); // the public-key function: the database alone
        assertEquals("REDIS_URL is not set", assertThrows(ConfigException.class, c::requireRedisUrl).getMessage());
        assertTrue(assertThrows(ConfigException.class, c::requireStorage).getMessage().startsWith("FROSTBYTE_BUCKET"));
        Map<String, String> getExport = new HashMap<>(publicKeyOnly);
        getExport.put("FROSTBYTE_BUCKET", "bundles");
        assertEquals("AWS_REGION is not set", assertThrows(ConfigException.class, Config.fromEnv(getExport)::requireStorage).getMessage());
        getExport.put("AWS_REGION", "eu-west-1");
        Config.fromEnv(getExport).requireStorage();
        Map<String, String> badRedis = new HashMap<>(publicKeyOnly);
        badRedis.put("REDIS_URL", "http://x");
        assertTrue(assertThrows(ConfigException.class, () -> Config.fromEnv(badRedis)).getMessage().startsWith("REDIS_URL"));
    }

    @Test
    void fromEnv_badDatabaseUrl_neverEchoesThePassword() {
        Map<String, String> env = base();
        env.put("DATABASE_URL", "postgresql://u:s3cret@ bad host/db");
        ConfigException e = assertThrows(ConfigException.class, () -> Config.fromEnv(env));
        assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
        assertTrue(e.getMessage().startsWith("DATABASE_URL"));
    }

    @Test
    void fromEnv_durationsInSecondsOrIso_andRsa() {
        Map<String, String> env = base();
        env.put("FROSTBYTE_DOWNLOAD_URL_TTL", "60");
        env.put("FROSTBYTE_LEASE", "PT2M");
        env.put("FROSTBYTE_KEY_ALGORITHM", "RSA-3072");
        Config c = Config.fromEnv(env);
        assertEquals(Duration.ofSeconds(60), c.downloadUrlTtl());
        assertEquals(Duration.ofMinutes(2), c.lease());
        assertEquals(KeyAlgorithm.RSA3072, c.keyAlgorithm());
    }

    @Test
    void fromEnv_badRedisUrlWithPassword_neverEchoed_shortUrlSecret_refused() {
        Map<String, String> redis = base();
        redis.put("REDIS_URL", "http://:hunter2@cache:6379");
        String message = assertThrows(ConfigException.class, () -> Config.fromEnv(redis)).getMessage();
        assertTrue(message.startsWith("REDIS_URL") && !message.contains("hunter2"), message);
        Map<String, String> local = base();
        local.put("FROSTBYTE_STORAGE", "local");
        local.put("EXPORT_STORAGE_PATH", "/tmp/x");
        local.put("FROSTBYTE_LOCAL_URL_SECRET", "short");
        assertTrue(assertThrows(ConfigException.class, () -> Config.fromEnv(local).requireStorage()).getMessage()
                .startsWith("FROSTBYTE_LOCAL_URL_SECRET must be at least 32"));
        local.put("FROSTBYTE_LOCAL_URL_SECRET", "s".repeat(32));
        Config.fromEnv(local).requireStorage();
    }
}
