package io.frostbyte.export.testing;

import io.frostbyte.export.imports.ImportJob;
import io.frostbyte.export.imports.ImportJobs;
import io.frostbyte.export.imports.ImportRequest;
import io.frostbyte.export.storage.ImportStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** Imports and uploads in memory, for handler tests: records and reads imports; staging is the database's (ImportIT). */
public final class InMemoryImports {
    private InMemoryImports() {}

    public static final class Jobs implements ImportJobs {
        private final Map<UUID, ImportJob> rows = new ConcurrentHashMap<>();
        private final Clock clock;

        public Jobs(Clock clock) {
            this.clock = clock;
        }

        @Override
        public ImportJob create(UUID importId, UUID tenant, ImportRequest request, Instant uploadExpiresAt) {
            Instant now = clock.instant();
            ImportJob job = new ImportJob(importId, tenant, ImportJob.Status.AWAITING_UPLOAD, request, uploadExpiresAt, 0, Optional.empty(),
                    Optional.empty(), Optional.empty(), Optional.empty(), now, now, Optional.empty());
            rows.put(importId, job);
            return job;
        }

        @Override
        public Optional<ImportJob> find(UUID tenant, UUID importId) {
            return Optional.ofNullable(rows.get(importId)).filter(j -> j.tenantId().equals(tenant));
        }

        @Override
        public Optional<Claim> claim(UUID tenant, UUID importId, Duration lease, int maxAttempts) {
            throw new UnsupportedOperationException("claims are tested against PostgreSQL (ImportIT)");
        }

        @Override
        public boolean finish(Claim claim, ImportJob.Status status, Optional<ImportJob.Provenance> provenance, Optional<String> report,
                Optional<String> error) {
            throw new UnsupportedOperationException("tested against PostgreSQL (ImportIT)");
        }

        @Override
        public void touch(UUID tenant, UUID importId) {
            // Nothing to order in memory.
        }

        @Override
        public boolean renew(Claim claim, Duration lease) {
            throw new UnsupportedOperationException("tested against PostgreSQL (ImportIT)");
        }

        @Override
        public void release(Claim claim, String error) {
            throw new UnsupportedOperationException("tested against PostgreSQL (ImportIT)");
        }

        @Override
        public List<Due> due(int limit) {
            return List.of();
        }

        @Override
        public Staging stage(Claim claim) {
            throw new UnsupportedOperationException("staging is tested against PostgreSQL (ImportIT)");
        }
    }

    /** Upload URLs that name what they were signed for; uploads put in by the test. */
    public static final class Store implements ImportStore {
        public final Map<Ref, byte[]> uploads = new ConcurrentHashMap<>();

        @Override
        public UploadUrl uploadUrl(Ref ref, long size, String sha256Hex, Duration ttl) {
            return new UploadUrl(URI.create("https://uploads.invalid/" + ImportStore.key(ref.tenant(), ref.importId()) + "?size=" + size
                    + "&sha256=" + sha256Hex), Map.of("x-test", "1"), Instant.parse("2026-11-25T09:30:30Z"));
        }

        @Override
        public Optional<Stored> head(Ref ref) {
            return Optional.ofNullable(uploads.get(ref)).map(b -> new Stored(b.length, Optional.empty()));
        }

        @Override
        public InputStream open(Ref ref) throws IOException {
            byte[] b = uploads.get(ref);
            if (b == null) throw new IOException("no upload " + ref);
            return new ByteArrayInputStream(b);
        }

        @Override
        public void delete(Ref ref) {
            uploads.remove(ref);
        }
    }
}
