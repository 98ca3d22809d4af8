package io.frostbyte.export.app;

import io.frostbyte.export.config.Config;
import io.frostbyte.export.observability.LogFields;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One start-up line per component a container builds, saying what it talks to and never how to
 * reach it: no connection string, host, user or password.
 */
final class StartupLog {
    private static final Logger LOG = Logger.getLogger("io.frostbyte.export.startup");

    private StartupLog() {}

    static void database(Config config) {
        String url = config.jdbcUrl();
        String name = url.substring(url.lastIndexOf('/') + 1).split("\\?", 2)[0];
        component("database", "postgresql, database " + name);
    }

    static void queue(Config config) {
        boolean tls = config.redisUrl().map(u -> u.startsWith("rediss:")).orElse(false);
        component("queue", "redis list " + config.queueKey() + (tls ? " over TLS" : ""));
    }

    static void storage(Config config) {
        component("storage", switch (config.storage()) {
            case S3 -> "s3 bucket " + config.bucket().orElse("?") + (config.sseKmsKeyId().isPresent() ? " (SSE-KMS)" : "");
            case LOCAL -> "local directory";
        });
    }

    static void keys(Config config) {
        component("keys", switch (config.keyStore()) {
            case SECRETSMANAGER -> "secrets manager, prefix " + config.secretPrefix() + ", new keys " + config.keyAlgorithm();
            case LOCAL -> "local directory, new keys " + config.keyAlgorithm();
        });
    }

    private static void component(String component, String detail) {
        LogFields.log(LOG, Level.INFO, "component ready", "component", component, "detail", detail);
    }
}
