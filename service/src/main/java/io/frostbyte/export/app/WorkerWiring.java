package io.frostbyte.export.app;

import io.frostbyte.export.config.Config;
import io.frostbyte.export.db.Database;
import io.frostbyte.export.db.DocumentRepository;
import io.frostbyte.export.db.ExportJobRepository;
import io.frostbyte.export.export.ExportWorker;
import io.frostbyte.export.export.RetryPolicy;
import io.frostbyte.export.keys.TenantKeyService;
import io.frostbyte.export.queue.redis.RedisJobQueue;
import io.frostbyte.export.storage.BundleStore;
import java.time.Clock;
import java.time.Duration;

/**
 * What the worker needs: PostgreSQL, the Redis queue (Lettuce), the bundle store, the tenant key
 * store and the signer. Built once per container; checks at start that its variables are set.
 */
public final class WorkerWiring implements AutoCloseable {
    private static WorkerWiring container;

    private final Database database;
    private final RedisJobQueue queue;
    private final BundleStore store;
    private final ExportWorker worker;
    private final TenantKeyService keys;

    private WorkerWiring(Config config, BundleStore store) {
        config.requireKeyStore();
        this.database = Database.fromConfig(config);
        this.store = store;
        this.queue = new RedisJobQueue(config.requireRedisUrl(), config.queueKey(), config.maxRunningPerTenant());
        Clock clock = Clock.systemUTC();
        this.keys = KeyServices.keyService(config, database, clock);
        int threads = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
        // A pending job older than this with no queue entry was lost by Redis.
        Duration requeueAfter = Duration.ofSeconds(Math.min(60, config.lease().toSeconds()));
        StartupLog.database(config);
        StartupLog.queue(config);
        StartupLog.storage(config);
        StartupLog.keys(config);
        this.worker = new ExportWorker(new DocumentRepository(database), new ExportJobRepository(database), queue, store, keys,
                new ExportWorker.Settings(config.lease(), config.maxAttempts(), requeueAfter, config.compressionLevel(), threads,
                        retryPolicy(config), Duration.ofSeconds(30), Duration.ofMillis(250)), clock);
    }

    static RetryPolicy retryPolicy(Config config) {
        try {
            return new RetryPolicy(config.retryBase(), config.retryMax());
        } catch (IllegalArgumentException e) {
            throw new io.frostbyte.export.config.ConfigException("FROSTBYTE_RETRY_BASE and FROSTBYTE_RETRY_MAX: " + e.getMessage());
        }
    }

    public static WorkerWiring build(Config config) {
        config.requireStorage();
        return new WorkerWiring(config, ApiWiring.bundleStore(config));
    }

    /** The container's worker, built on first use from the process environment. */
    public static synchronized WorkerWiring container() {
        if (container == null) {
            io.frostbyte.export.observability.Logging.install(System.getenv());
            container = build(Config.fromEnv(System.getenv()));
        }
        return container;
    }

    public TenantKeyService keys() {
        return keys;
    }

    public ExportWorker worker() {
        return worker;
    }

    public Database database() {
        return database;
    }

    public RedisJobQueue queue() {
        return queue;
    }

    public BundleStore store() {
        return store;
    }

    @Override
    public void close() {
        queue.close();
    }
}
