package io.frostbyte.export.app;

import io.frostbyte.export.config.Config;
import io.frostbyte.export.db.Database;
import io.frostbyte.export.keys.KeyAdministration;
import java.time.Clock;

/** What the key administration function needs: PostgreSQL and the key store (to make, and to destroy, secret keys). */
public final class KeyWiring {
    private static KeyAdministration container;

    private KeyWiring() {}

    public static synchronized KeyAdministration container() {
        if (container == null) container = build(ApiWiring.config());
        return container;
    }

    public static KeyAdministration build(Config config) {
        StartupLog.database(config);
        StartupLog.keys(config);
        return build(config, Database.fromConfig(config));
    }

    static KeyAdministration build(Config config, Database database) {
        return new KeyAdministration(KeyServices.keyService(config, database, Clock.systemUTC()), config.adminGroup());
    }
}
