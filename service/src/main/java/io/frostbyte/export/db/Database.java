package io.frostbyte.export.db;

import io.frostbyte.export.config.Config;
import java.io.IOException;
import java.sql.Connection;
import java.util.Optional;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * PostgreSQL access: a data source built once per container. The login comes from DATABASE_URL,
 * or from a Secrets Manager secret (DATABASE_SECRET_ARN, the one RDS manages): read at start and
 * read again once when PostgreSQL refuses the password, as after RDS rotates it.
 */
public final class Database {
    private static final String INVALID_PASSWORD = "28P01";

    private final DataSource dataSource;
    private final Optional<DatabaseSecret> secret;
    private volatile Optional<DatabaseSecret.Login> login = Optional.empty();
    private volatile long loginReadAt;

    public Database(DataSource dataSource) {
        this(dataSource, Optional.empty());
    }

    private Database(DataSource dataSource, Optional<DatabaseSecret> secret) {
        this.dataSource = dataSource;
        this.secret = secret;
    }

    public static Database fromConfig(Config config) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(config.jdbcUrl());
        if (config.dbUser() != null) ds.setUser(config.dbUser());
        if (config.dbPassword() != null) ds.setPassword(config.dbPassword());
        ds.setConnectTimeout(10);
        ds.setApplicationName("frostbyte-export");
        Optional<DatabaseSecret> secret = config.databaseSecretArn()
                .map(arn -> new DatabaseSecret(arn, config.requireAwsRegion(), config.awsEndpoint()));
        Database db = new Database(ds, secret);
        if (secret.isPresent()) {
            // At init (inside a SnapStart snapshot, not on the first request); a failure stops the start with its reason.
            try {
                db.refreshLogin();
            } catch (IOException e) {
                throw new io.frostbyte.export.config.ConfigException(e.getMessage());
            }
        }
        return db;
    }

    private synchronized void refreshLogin() throws IOException {
        login = Optional.of(secret.orElseThrow().read());
        loginReadAt = System.nanoTime();
    }

    public Connection connection() throws SQLException {
        if (secret.isEmpty()) return dataSource.getConnection();
        DatabaseSecret.Login l = login.orElseThrow();
        try {
            return dataSource.getConnection(l.user(), l.password());
        } catch (SQLException e) {
            // Re-read at most every 2 s: a wrong password must not become a flood of GetSecretValue calls.
            if (!INVALID_PASSWORD.equals(e.getSQLState()) || System.nanoTime() - loginReadAt < 2_000_000_000L) throw e;
            try {
                refreshLogin();
            } catch (IOException again) {
                e.addSuppressed(again);
                throw e;
            }
            DatabaseSecret.Login fresh = login.orElseThrow();
            return dataSource.getConnection(fresh.user(), fresh.password());
        }
    }

    /** A data source with the current login (for Flyway). */
    public DataSource dataSource() {
        if (secret.isEmpty() || !(dataSource instanceof PGSimpleDataSource pg)) return dataSource;
        PGSimpleDataSource withLogin = new PGSimpleDataSource();
        withLogin.setUrl(pg.getUrl());
        withLogin.setUser(login.orElseThrow().user());
        withLogin.setPassword(login.orElseThrow().password());
        return withLogin;
    }
}
