package io.frostbyte.export.imports;

import io.frostbyte.export.export.StoreException;
import io.frostbyte.export.storage.ImportStore;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** The API's side of imports: record one and hand out its upload URL; read one back. */
public final class ImportService {
    private final ImportJobs jobs;
    private final ImportStore store;
    private final Duration uploadTtl;
    private final long maxImportBytes;
    private final Clock clock;

    public ImportService(ImportJobs jobs, ImportStore store, Duration uploadTtl, long maxImportBytes, Clock clock) {
        this.jobs = jobs;
        this.store = store;
        this.uploadTtl = uploadTtl;
        this.maxImportBytes = maxImportBytes;
        this.clock = clock;
    }

    public long maxImportBytes() {
        return maxImportBytes;
    }

    /** A new import and the URL that takes its one upload. */
    public record Created(ImportJob job, ImportStore.UploadUrl upload) {}

    public Created create(UUID tenant, ImportRequest request) throws StoreException, IOException {
        UUID importId = UUID.randomUUID();
        Instant expires = clock.instant().plus(uploadTtl);
        ImportStore.UploadUrl url = store.uploadUrl(new ImportStore.Ref(tenant, importId), request.size(), request.sha256(), uploadTtl);
        ImportJob job = jobs.create(importId, tenant, request, url.expiresAt().isBefore(expires) ? url.expiresAt() : expires);
        return new Created(job, url);
    }

    /** The tenant's import; another tenant's is absent, exactly as one that never existed. */
    public Optional<ImportJob> get(UUID tenant, UUID importId) throws StoreException {
        return jobs.find(tenant, importId);
    }
}
