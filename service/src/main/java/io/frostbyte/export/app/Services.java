package io.frostbyte.export.app;

import io.frostbyte.export.config.Config;
import io.frostbyte.export.config.ConfigException;
import io.frostbyte.export.db.Database;
import io.frostbyte.export.db.DocumentRepository;
import io.frostbyte.export.db.ExportJobRepository;
import io.frostbyte.export.db.TenantKeyRepository;
import io.frostbyte.export.export.ExportService;
import io.frostbyte.export.export.ExportWorker;
import io.frostbyte.export.keys.TenantKeyService;
import io.frostbyte.export.keys.TenantKeyStore;
import io.frostbyte.export.keys.local.LocalKeyStore;
import io.frostbyte.export.queue.JobQueue;
import io.frostbyte.export.queue.redis.RedisJobQueue;
import io.frostbyte.export.storage.BundleStore;
import io.frostbyte.export.storage.local.LocalBundleStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The one place where clients are built: once per container (Lambda) or process (local runner),
 * from configuration, and handed to the services through their constructors.
 */
public final class Services implements AutoCloseable {
    private static volatile Services container;

    private final Config config;
    private final Database database;
    private final Lazy<RedisJobQueue> redis;
    private final Lazy<BundleStore> bundleStore;
    private final JobQueue queue;
    private final BundleStore store;
    private final TenantKeyStore keyStore;
    private final ExportService exportService;
    private final ExportWorker worker;

    private Services(Config config, Supplier<BundleStore> storeOverride) {
        this.config = config;
        this.database = Database.fromConfig(config);
        // Clients are built on first use: the public-key function never connects to Redis or S3.
        this.redis = new Lazy<>(() -> new RedisJobQueue(config.redisUrl(), config.queueKey()));
        this.bundleStore = new Lazy<>(() -> storeOverride != null ? storeOverride.get() : bundleStore(config));
        this.queue = new LazyAdapters.Queue(redis);
        this.store = new LazyAdapters.Store(bundleStore);
        this.keyStore = new LazyAdapters.Keys(new Lazy<>(() -> keyStore(config)));
        Clock clock = Clock.systemUTC();
        DocumentRepository documents = new DocumentRepository(database);
        ExportJobRepository jobs = new ExportJobRepository(database);
        TenantKeyRepository keys = new TenantKeyRepository(database);
        Lazy<io.frostbyte.export.queue.redis.RespJobPublisher> publisher =
                new Lazy<>(() -> new io.frostbyte.export.queue.redis.RespJobPublisher(config.redisUrl(), config.queueKey()));
        this.exportService = new ExportService(documents, jobs, keys, m -> publisher.get().push(m), store, config.downloadUrlTtl(),
                config.maxDocumentsPerExport());
        TenantKeyService keyService = new TenantKeyService(keys, keyStore, config.keyAlgorithm(), clock);
        int threads = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
        this.worker = new ExportWorker(documents, jobs, queue, store, keyService,
                new ExportWorker.Settings(config.lease(), config.maxAttempts(), requeueAfter(config), config.compressionLevel(), threads),
                clock);
    }

    private static java.time.Duration requeueAfter(Config config) {
        // A pending job older than this with no queue entry was lost by Redis.
        return java.time.Duration.ofSeconds(Math.min(60, config.lease().toSeconds()));
    }

    public static Services create(Map<String, String> env) {
        return new Services(Config.fromEnv(env), null);
    }

    /** The container's services, built on first use from the process environment. */
    public static Services container() {
        Services s = container;
        if (s == null) {
            synchronized (Services.class) {
                s = container;
                if (s == null) container = s = create(System.getenv());
            }
        }
        return s;
    }

    private static BundleStore bundleStore(Config config) {
        return switch (config.storage()) {
            case LOCAL -> new LocalBundleStore(config.storagePath().orElseThrow(),
                    config.localBaseUrl().orElse("http://127.0.0.1:3000"),
                    config.localUrlSecret().orElseThrow(() -> new ConfigException(
                            "FROSTBYTE_LOCAL_URL_SECRET is required when FROSTBYTE_STORAGE=local"))
                            .getBytes(StandardCharsets.UTF_8),
                    Clock.systemUTC());
            case S3 -> S3Wiring.bundleStore(config);
        };
    }

    private static TenantKeyStore keyStore(Config config) {
        return switch (config.keyStore()) {
            case LOCAL -> new LocalKeyStore(config.keyStoreDir().orElseThrow());
            case SECRETSMANAGER -> S3Wiring.keyStore(config);
        };
    }

    public Config config() {
        return config;
    }

    public Database database() {
        return database;
    }

    public JobQueue queue() {
        return queue;
    }

    /** The real bundle store (built now if it was not yet). */
    public BundleStore store() {
        return bundleStore.get();
    }

    public ExportService exportService() {
        return exportService;
    }

    public ExportWorker worker() {
        return worker;
    }

    @Override
    public void close() {
        if (redis.isBuilt()) redis.get().close();
    }
}
