package io.frostbyte.export.app;

import io.frostbyte.export.config.Config;
import io.frostbyte.export.db.Database;
import io.frostbyte.export.db.TenantKeyRepository;
import io.frostbyte.export.keys.TenantKeyService;
import io.frostbyte.export.keys.TenantKeyStore;
import io.frostbyte.export.keys.local.LocalKeyStore;
import java.time.Clock;

/** The tenants' key lifecycle over a database and the configured key store, for the worker and the key administration. */
final class KeyServices {
    private KeyServices() {}

    static TenantKeyService keyService(Config config, Database database, Clock clock) {
        config.requireKeyStore();
        return new TenantKeyService(new TenantKeyRepository(database), keyStore(config), config.keyAlgorithm(), config.keyMaxAge(), clock);
    }

    private static TenantKeyStore keyStore(Config config) {
        return switch (config.keyStore()) {
            case LOCAL -> new LocalKeyStore(config.keyStoreDir().orElseThrow());
            case SECRETSMANAGER -> AwsClients.secretsManagerKeyStore(config);
        };
    }
}
