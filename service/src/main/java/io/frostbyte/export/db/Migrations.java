package io.frostbyte.export.db;

import io.frostbyte.export.observability.LogFields;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/** The schema: Flyway migrations from {@code classpath:db/migration}, run by the deploy-time function and the local runner. */
public final class Migrations {
    private static final Logger LOG = Logger.getLogger(Migrations.class.getName());

    private Migrations() {}

    public static void apply(Database db) {
        MigrateResult r = Flyway.configure().dataSource(db.dataSource()).locations("classpath:db/migration").load().migrate();
        // One line instead of Flyway's own (which print the whole JDBC URL).
        LogFields.log(LOG, Level.INFO, "component ready", "component", "schema", "detail",
                "version " + (r.targetSchemaVersion == null ? r.initialSchemaVersion : r.targetSchemaVersion) + ", "
                        + r.migrationsExecuted + " migrations applied now");
    }
}
