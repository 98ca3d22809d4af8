package io.frostbyte.export.app;

import io.frostbyte.export.config.Config;
import io.frostbyte.export.db.Database;
import io.frostbyte.export.db.ImportRepository;
import io.frostbyte.export.db.TenantKeyRepository;
import io.frostbyte.export.imports.ImportService;
import io.frostbyte.export.imports.ImportWorker;
import io.frostbyte.export.storage.ImportStore;
import io.frostbyte.export.storage.local.LocalImportStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;

/**
 * What the import functions need: PostgreSQL and the upload store. The API side signs upload URLs;
 * the worker reads uploads and public keys. Neither builds a key store: importing needs no private key.
 */
public final class ImportWiring {
    private static ImportService apiContainer;
    private static ImportWorker workerContainer;

    private ImportWiring() {}

    /** The API's import service for this container, built on first use from the process environment. */
    public static synchronized ImportService apiContainer() {
        if (apiContainer == null) apiContainer = service(ApiWiring.config());
        return apiContainer;
    }

    /** The import worker for this container, built on first use from the process environment. */
    public static synchronized ImportWorker workerContainer() {
        if (workerContainer == null) {
            io.frostbyte.export.observability.Logging.install(System.getenv());
            workerContainer = worker(Config.fromEnv(System.getenv()));
        }
        return workerContainer;
    }

    public static ImportService service(Config config) {
        StartupLog.database(config);
        StartupLog.storage(config);
        return service(config, Database.fromConfig(config), store(config));
    }

    static ImportService service(Config config, Database db, ImportStore store) {
        return new ImportService(new ImportRepository(db), store, config.uploadUrlTtl(), config.maxImportBytes(), Clock.systemUTC());
    }

    public static ImportWorker worker(Config config) {
        StartupLog.database(config);
        StartupLog.storage(config);
        return worker(config, Database.fromConfig(config), store(config));
    }

    static ImportWorker worker(Config config, Database db, ImportStore store) {
        return new ImportWorker(new ImportRepository(db), store, new TenantKeyRepository(db),
                new ImportWorker.Settings(config.lease(), config.maxAttempts(), Duration.ofMinutes(5), config.maxImportExpansion(),
                        config.maxImportPayloadBytes()));
    }

    static ImportStore store(Config config) {
        config.requireStorage();
        return switch (config.storage()) {
            case LOCAL -> new LocalImportStore(config.storagePath().orElseThrow(), config.localBaseUrl().orElse("http://127.0.0.1:3000"),
                    config.localUrlSecret().orElseThrow().getBytes(StandardCharsets.UTF_8), Clock.systemUTC());
            case S3 -> AwsClients.s3ImportStore(config);
        };
    }
}
