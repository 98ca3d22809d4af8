package io.frostbyte.export.db;

import org.flywaydb.core.Flyway;

/** The schema: Flyway migrations from {@code classpath:db/migration}, run by the deploy-time function and the local runner. */
public final class Migrations {
    private Migrations() {}

    public static void apply(Database db) {
        Flyway.configure().dataSource(db.dataSource()).locations("classpath:db/migration").load().migrate();
    }
}
