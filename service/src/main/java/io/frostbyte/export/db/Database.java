package io.frostbyte.export.db;

import io.frostbyte.export.config.Config;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/** PostgreSQL access: a data source built once per container. */
public final class Database {
    private final DataSource dataSource;

    public Database(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public static Database fromConfig(Config config) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(config.jdbcUrl());
        if (config.dbUser() != null) ds.setUser(config.dbUser());
        if (config.dbPassword() != null) ds.setPassword(config.dbPassword());
        ds.setConnectTimeout(10);
        ds.setApplicationName("frostbyte-export");
        return new Database(ds);
    }

    public Connection connection() throws SQLException {
        return dataSource.getConnection();
    }

    public DataSource dataSource() {
        return dataSource;
    }
}
