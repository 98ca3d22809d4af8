package io.frostbyte.export.app;

import io.frostbyte.export.config.Config;
import io.frostbyte.export.db.Database;
import io.frostbyte.export.db.DocumentRepository;
import io.frostbyte.export.db.ExportJobRepository;
import io.frostbyte.export.db.TenantKeyRepository;
import io.frostbyte.export.export.ExportService;
import io.frostbyte.export.export.ExportWorker;
import io.frostbyte.export.imports.ImportService;
import io.frostbyte.export.keys.KeyAdministration;
import io.frostbyte.export.imports.ImportWorker;
import io.frostbyte.export.storage.BundleStore;
import io.frostbyte.export.storage.ImportStore;
import java.util.Map;

/**
 * Everything on one machine, for the local runner: the worker's wiring plus an export service
 * that serves all three API routes, sharing one configuration.
 */
public final class Services implements AutoCloseable {
    private final Config config;
    private final WorkerWiring worker;
    private final ExportService exportService;
    private final ImportStore importStore;
    private final ImportService importService;
    private final ImportWorker importWorker;
    private final KeyAdministration keyAdministration;

    private Services(Config config) {
        this.config = config;
        this.worker = WorkerWiring.build(config);
        Database db = worker.database();
        this.exportService = new ExportService(new DocumentRepository(db), new ExportJobRepository(db), new TenantKeyRepository(db),
                ApiWiring.publisher(config), worker.store(), config.downloadUrlTtl(), config.maxDocumentsPerExport(), config.maxExportFiles(),
                config.bundleRetention(), java.time.Clock.systemUTC());
        this.importStore = ImportWiring.store(config);
        this.importService = ImportWiring.service(config, db, importStore);
        this.importWorker = ImportWiring.worker(config, db, importStore);
        this.keyAdministration = new KeyAdministration(worker.keys(), config.adminGroup());
    }

    public static Services create(Map<String, String> env) {
        return new Services(Config.fromEnv(env));
    }

    public Config config() {
        return config;
    }

    public Database database() {
        return worker.database();
    }

    public BundleStore store() {
        return worker.store();
    }

    public ExportService exportService() {
        return exportService;
    }

    public KeyAdministration keyAdministration() {
        return keyAdministration;
    }

    public ImportStore importStore() {
        return importStore;
    }

    public ImportService importService() {
        return importService;
    }

    public ImportWorker importWorker() {
        return importWorker;
    }

    public ExportWorker worker() {
        return worker.worker();
    }

    @Override
    public void close() {
        worker.close();
    }
}
