package io.frostbyte.export.testing;

import io.frostbyte.export.db.Database;

/** The real PostgreSQL named by DATABASE_URL; fails (never skips) with how to start it. */
public final class TestDatabase {
    private TestDatabase() {}

    public static String env(String name) {
        String v = System.getenv(name);
        if (v == null || v.isBlank()) {
            throw new AssertionError(name + " is not set: run scripts/services up, then eval \"$(scripts/services env)\""
                    + " (scripts/test does both)");
        }
        return v;
    }

    public static Database migrated() {
        String url = env("DATABASE_URL");
        java.util.Map<String, String> e = new java.util.HashMap<>();
        e.put("DATABASE_URL", url);
        e.put("REDIS_URL", "redis://127.0.0.1:6379");
        e.put("FROSTBYTE_STORAGE", "local");
        e.put("EXPORT_STORAGE_PATH", "/tmp");
        e.put("FROSTBYTE_KEYSTORE", "local");
        e.put("FROSTBYTE_KEYSTORE_DIR", "/tmp");
        Database db = Database.fromConfig(io.frostbyte.export.config.Config.fromEnv(e));
        try (var c = db.connection()) {
            c.isValid(2);
        } catch (Exception ex) {
            throw new AssertionError("PostgreSQL at DATABASE_URL is not reachable (" + ex.getMessage() + "); run scripts/services up");
        }
        io.frostbyte.export.db.Migrations.apply(db);
        return db;
    }
}
