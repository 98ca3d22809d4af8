package io.frostbyte.export.app;

import io.frostbyte.export.config.Config;
import io.frostbyte.export.config.ConfigException;
import io.frostbyte.export.keys.TenantKeyStore;
import io.frostbyte.export.storage.BundleStore;

/** The AWS adapters (S3 bundle store, Secrets Manager key store). */
final class S3Wiring {
    private S3Wiring() {}

    static BundleStore bundleStore(Config config) {
        throw new ConfigException("FROSTBYTE_STORAGE=s3 is not available in this build yet; use FROSTBYTE_STORAGE=local");
    }

    static TenantKeyStore keyStore(Config config) {
        throw new ConfigException("FROSTBYTE_KEYSTORE=secretsmanager is not available in this build yet; use FROSTBYTE_KEYSTORE=local");
    }
}
