package io.frostbyte.export.app;

import io.frostbyte.export.config.Config;
import io.frostbyte.export.config.ConfigException;
import io.frostbyte.export.db.Database;
import io.frostbyte.export.db.DocumentRepository;
import io.frostbyte.export.db.ExportJobRepository;
import io.frostbyte.export.db.TenantKeyRepository;
import io.frostbyte.export.export.ExportService;
import io.frostbyte.export.queue.JobPublisher;
import io.frostbyte.export.queue.redis.RespJobPublisher;
import io.frostbyte.export.storage.BundleStore;
import io.frostbyte.export.storage.local.LocalBundleStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;

/**
 * What the API functions need, and only that: PostgreSQL for all three; the Redis publisher (one
 * RESP command over a socket, no Redis client library) for create-export; the bundle store for
 * get-export's download URLs. Each function's configuration requires only its own variables, and
 * nothing here reaches the worker's clients (Lettuce, Secrets Manager, Flyway, the signer).
 */
public final class ApiWiring {
    /** The API routes, one function each (get-export also serves public-key in the template). */
    public enum Route { CREATE_EXPORT, GET_EXPORT, PUBLIC_KEY }

    private static final Map<Route, ExportService> CONTAINER = new EnumMap<>(Route.class);
    private static Config containerConfig;

    private ApiWiring() {}

    /** The route's service for this container, built on first use from the process environment. */
    public static synchronized ExportService container(Route route) {
        return CONTAINER.computeIfAbsent(route, r -> build(r, config()));
    }

    /** The container's configuration, read once. */
    public static synchronized Config config() {
        if (containerConfig == null) {
            io.frostbyte.export.observability.Logging.install(System.getenv());
            containerConfig = Config.fromEnv(System.getenv());
        }
        return containerConfig;
    }

    public static ExportService build(Route route, Config config) {
        Database db = Database.fromConfig(config);
        StartupLog.database(config);
        if (route == Route.CREATE_EXPORT) StartupLog.queue(config);
        if (route == Route.GET_EXPORT) StartupLog.storage(config);
        JobPublisher publisher = route == Route.CREATE_EXPORT ? publisher(config) : notHere("enqueue jobs", route);
        BundleStore store = route == Route.GET_EXPORT ? onFirstUse(config) : notHere(route);
        return new ExportService(new DocumentRepository(db), new ExportJobRepository(db), new TenantKeyRepository(db), publisher, store,
                config.downloadUrlTtl(), config.maxDocumentsPerExport(), config.maxExportFiles(), config.bundleRetention(), Clock.systemUTC());
    }

    static JobPublisher publisher(Config config) {
        return new RespJobPublisher(config.requireRedisUrl(), config.queueKey());
    }

    static BundleStore bundleStore(Config config) {
        config.requireStorage();
        return switch (config.storage()) {
            case LOCAL -> new LocalBundleStore(config.storagePath().orElseThrow(),
                    config.localBaseUrl().orElse("http://127.0.0.1:3000"),
                    config.localUrlSecret().orElseThrow().getBytes(StandardCharsets.UTF_8), Clock.systemUTC());
            case S3 -> AwsClients.s3BundleStore(config);
        };
    }

    /**
     * The store, checked now and built on the first download URL: a poll of a pending export, the
     * common cold request, need not pay for the S3 client (~0.4 s of init on a small machine).
     */
    private static BundleStore onFirstUse(Config config) {
        config.requireStorage();
        return new BundleStore() {
            private BundleStore store;

            private synchronized BundleStore store() {
                if (store == null) store = bundleStore(config);
                return store;
            }

            @Override
            public Upload begin(java.util.UUID tenant, java.util.UUID export) throws java.io.IOException {
                return store().begin(tenant, export);
            }

            @Override
            public DownloadUrl downloadUrl(java.util.UUID tenant, java.util.UUID export, java.time.Duration ttl) throws java.io.IOException {
                return store().downloadUrl(tenant, export, ttl);
            }
        };
    }

    private static JobPublisher notHere(String what, Route route) {
        return m -> {
            throw new ConfigException("the " + route + " function does not " + what);
        };
    }

    private static BundleStore notHere(Route route) {
        return new BundleStore() {
            @Override
            public Upload begin(java.util.UUID tenant, java.util.UUID export) {
                throw new ConfigException("the " + route + " function does not write bundles");
            }

            @Override
            public DownloadUrl downloadUrl(java.util.UUID tenant, java.util.UUID export, java.time.Duration ttl) {
                throw new ConfigException("the " + route + " function does not sign download URLs");
            }
        };
    }
}
