package io.frostbyte.export.local;

import io.frostbyte.export.db.Database;
import io.frostbyte.export.db.Migrations;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import org.postgresql.ds.PGSimpleDataSource;

/** A new, empty database on the PostgreSQL server of DATABASE_URL, migrated: a second deployment. */
final class FreshDatabase {
    private FreshDatabase() {}

    /** Creates and migrates it; returns its DATABASE_URL. */
    static String create() throws Exception {
        String url = LocalStack.requireEnv("DATABASE_URL");
        String name = "frostbyte_fresh_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
        try (Connection c = LocalStack.database().connection(); Statement s = c.createStatement()) {
            s.execute("create database " + name);
        }
        String fresh = url.substring(0, url.lastIndexOf('/') + 1) + name;
        Migrations.apply(open(fresh));
        return fresh;
    }

    /** Drops it, connections and all. */
    static void drop(String databaseUrl) throws Exception {
        String name = URIParts.of(databaseUrl).db();
        if (!name.startsWith("frostbyte_fresh_")) throw new IllegalArgumentException("not a fresh test database: " + name);
        try (Connection c = LocalStack.database().connection(); Statement s = c.createStatement()) {
            s.execute("drop database if exists " + name + " with (force)");
        }
    }

    static Database open(String databaseUrl) {
        URIParts p = URIParts.of(databaseUrl);
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl("jdbc:postgresql://" + p.hostPort() + "/" + p.db());
        ds.setUser(p.user());
        ds.setPassword(p.password());
        return new Database(ds);
    }

    private record URIParts(String user, String password, String hostPort, String db) {
        static URIParts of(String url) {
            java.net.URI u = java.net.URI.create(url);
            String[] info = u.getUserInfo().split(":", 2);
            return new URIParts(info[0], info.length > 1 ? info[1] : "", u.getHost() + ":" + (u.getPort() > 0 ? u.getPort() : 5432),
                    u.getPath().substring(1));
        }
    }
}
