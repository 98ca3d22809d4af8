package io.frostbyte.export.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.frostbyte.export.config.Config;
import io.frostbyte.export.config.ConfigException;
import io.frostbyte.export.testing.Gpg;
import io.frostbyte.export.testing.Moto;
import io.frostbyte.export.testing.TestDatabase;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The database login from a Secrets Manager secret (moto), against the real PostgreSQL, through a password rotation. */
class DatabaseSecretIT {
    /** Runs SQL as the cluster's superuser, as scripts/services does (the tests run as root or with sudo). */
    static void superuser(String sql) throws Exception {
        URI db = URI.create(TestDatabase.env("DATABASE_URL"));
        String psql = "psql -p " + db.getPort() + " -qc \"" + sql + "\"";
        List<String> cmd = "root".equals(System.getProperty("user.name"))
                ? List.of("su", "postgres", "-s", "/bin/sh", "-c", psql) : List.of("sudo", "-u", "postgres", "sh", "-c", psql);
        Gpg.Result r = Gpg.exec(cmd, Path.of("."));
        assertEquals(0, r.exit(), "as postgres: " + sql + ": " + r.stdout() + r.stderr());
    }

    static Config config(String secretName) {
        URI db = URI.create(TestDatabase.env("DATABASE_URL"));
        return Config.fromEnv(Map.of("DATABASE_URL", "postgresql://" + db.getHost() + ":" + db.getPort() + db.getPath(),
                "DATABASE_SECRET_ARN", secretName, "AWS_REGION", "us-east-1", "AWS_ENDPOINT_URL", Moto.endpoint().toString()));
    }

    static String whoAmI(Database db) throws Exception {
        try (Connection c = db.connection(); ResultSet rs = c.createStatement().executeQuery("select current_user")) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void connection_loginFromTheSecret_andAfterRdsRotatesThePassword() throws Exception {
        String role = "fb_secret_" + UUID.randomUUID().toString().substring(0, 8);
        String name = "frostbyte-it/db/" + UUID.randomUUID();
        superuser("create role " + role + " login password 'first-" + role + "'");
        try {
            Moto.secrets().createSecret(b -> b.name(name).secretString("{\"username\":\"" + role + "\",\"password\":\"first-" + role
                    + "\",\"engine\":\"postgres\"}"));
            Database db = Database.fromConfig(config(name));
            assertEquals(role, whoAmI(db));

            // RDS rotates: the role's password and the secret change together; the old login is refused once, then re-read.
            Thread.sleep(2_100); // the login is re-read at most every 2 s
            superuser("alter role " + role + " password 'second-" + role + "'");
            Moto.secrets().putSecretValue(b -> b.secretId(name).secretString("{\"username\":\"" + role + "\",\"password\":\"second-" + role + "\"}"));
            assertEquals(role, whoAmI(db));
            assertTrue(!db.toString().contains("second-"), "no password in the object's text");
        } finally {
            superuser("drop role if exists " + role);
        }
    }

    @Test
    void fromConfig_secretMissingOrWithoutALogin_stopsTheStartWithItsReason() {
        ConfigException missing = assertThrows(ConfigException.class, () -> Database.fromConfig(config("frostbyte-it/no-such-secret")));
        assertTrue(missing.getMessage().contains("ResourceNotFoundException"), missing.getMessage());
        String name = "frostbyte-it/db/" + UUID.randomUUID();
        Moto.secrets().createSecret(b -> b.name(name).secretString("{\"host\":\"x\"}"));
        ConfigException empty = assertThrows(ConfigException.class, () -> Database.fromConfig(config(name)));
        assertTrue(empty.getMessage().contains("no username and password"), empty.getMessage());
    }
}
