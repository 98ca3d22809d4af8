package io.frostbyte.export.export;

import io.frostbyte.export.keys.TenantKeys;
import io.frostbyte.export.keys.TenantPublicKey;
import io.frostbyte.export.queue.JobPublisher;
import io.frostbyte.export.queue.JobQueue;
import io.frostbyte.export.storage.BundleStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/** The API's application service: create exports, read them, publish public keys. */
public final class ExportService {
    private static final Logger LOG = Logger.getLogger(ExportService.class.getName());

    private final Documents documents;
    private final ExportJobs jobs;
    private final TenantKeys keys;
    private final JobPublisher queue;
    private final BundleStore store;
    private final Duration downloadTtl;
    private final int maxDocuments;
    private final long maxFiles;
    private final Optional<Duration> retention;
    private final java.time.Clock clock;

    public ExportService(Documents documents, ExportJobs jobs, TenantKeys keys, JobPublisher queue,
            BundleStore store, Duration downloadTtl, int maxDocuments) {
        this(documents, jobs, keys, queue, store, downloadTtl, maxDocuments, io.frostbyte.export.bundle.BundleFormat.MAX_FILES);
    }

    /** {@code maxFiles}: the most files a selection may hold (at most the format's cap). */
    public ExportService(Documents documents, ExportJobs jobs, TenantKeys keys, JobPublisher queue,
            BundleStore store, Duration downloadTtl, int maxDocuments, long maxFiles) {
        this(documents, jobs, keys, queue, store, downloadTtl, maxDocuments, maxFiles, Optional.empty(), java.time.Clock.systemUTC());
    }

    /**
     * {@code retention}: how long after completion the store keeps a bundle (the bucket's lifecycle);
     * past it no download URL is handed out (it would answer 404), and no URL outlives it.
     */
    public ExportService(Documents documents, ExportJobs jobs, TenantKeys keys, JobPublisher queue,
            BundleStore store, Duration downloadTtl, int maxDocuments, long maxFiles, Optional<Duration> retention, java.time.Clock clock) {
        this.retention = retention;
        this.clock = clock;
        this.maxDocuments = maxDocuments;
        this.maxFiles = Math.min(maxFiles, io.frostbyte.export.bundle.BundleFormat.MAX_FILES);
        this.documents = documents;
        this.jobs = jobs;
        this.keys = keys;
        this.queue = queue;
        this.store = store;
        this.downloadTtl = downloadTtl;
    }

    /** The outcome of a create: the job, and whether this request made it (false: idempotent replay). */
    public record Created(ExportJob job, boolean isNew) {}

    /** The most document ids one export may name. */
    public int maxDocuments() {
        return maxDocuments;
    }

    /**
     * Records a pending export and queues it. Refused with UNKNOWN_DOCUMENTS when any id is not the
     * tenant's document, and IDEMPOTENCY_CONFLICT when the key was used for another body.
     */
    public Created create(UUID tenant, CreateExportRequest request, Optional<String> idempotencyKey)
            throws ExportRequestException, StoreException {
        String hash = requestHash(request);
        if (idempotencyKey.isPresent()) {
            // A retry gets its export back before anything is checked again: the data may have changed since.
            Optional<ExportJobs.Created> earlier = jobs.byIdempotencyKey(tenant, idempotencyKey.get());
            if (earlier.isPresent()) return replay(earlier.get(), hash);
        }
        if (request.selection().isPresent()) {
            checkSelection(tenant, request.selection().get(), request.includeChunks());
        } else {
            Set<UUID> existing = documents.existing(tenant, request.documentIds());
            List<String> unknown = request.documentIds().stream().filter(id -> !existing.contains(id)).map(UUID::toString).toList();
            if (!unknown.isEmpty()) {
                // Absent and foreign documents look the same, so no tenant learns another's ids.
                throw new ExportRequestException(ExportRequestException.Kind.UNKNOWN_DOCUMENTS,
                        unknown.size() + " of the requested documents do not exist for this tenant", Map.of("unknown_document_ids", unknown));
            }
        }
        ExportJobs.Created created = jobs.create(UUID.randomUUID(), tenant, request.documentIds(),
                request.selection().map(sel -> sel.toJson().toString()), request.includeChunks(), idempotencyKey, hash);
        if (!created.isNew()) return replay(created, hash);
        try {
            queue.push(new JobQueue.Message(created.job().exportId(), tenant));
        } catch (RuntimeException e) {
            // PostgreSQL has the job; the worker's scheduled sweep re-enqueues what Redis never got.
            LOG.log(Level.WARNING, "export {0}: queue push failed ({1}); it will be re-enqueued",
                    new Object[] {created.job().exportId(), e.toString()});
        }
        return new Created(created.job(), true);
    }

    private static Created replay(ExportJobs.Created earlier, String hash) throws ExportRequestException {
        if (!earlier.requestHash().map(hash::equals).orElse(false)) {
            throw new ExportRequestException(ExportRequestException.Kind.IDEMPOTENCY_CONFLICT,
                    "this Idempotency-Key was already used with a different request body");
        }
        return new Created(earlier.job(), false);
    }

    /**
     * What a selection holds now, counted before the export is accepted: nothing (422), or more files
     * than one bundle may hold (422 naming both numbers; bundles in several parts are a later step).
     * The worker's snapshot may differ a little from this count; the writer's own cap still holds.
     */
    private void checkSelection(UUID tenant, Selection selection, boolean includeChunks) throws ExportRequestException, StoreException {
        Documents.Counts counts = documents.count(tenant, selection);
        if (counts.documents() == 0) {
            throw new ExportRequestException(ExportRequestException.Kind.SELECTION_EMPTY, "the selection matches no document of this tenant",
                    Map.of("document_count", 0));
        }
        long chunks = includeChunks ? counts.chunks() : 0;
        long files = counts.documents() + chunks;
        if (files > maxFiles || !io.frostbyte.export.bundle.BundleFormat.fitsOneManifest(counts.documents(), chunks)) {
            throw new ExportRequestException(ExportRequestException.Kind.SELECTION_TOO_LARGE, "the selection matches " + counts.documents()
                    + " documents" + (includeChunks ? " and " + counts.chunks() + " chunks" : "") + ", " + files
                    + " files; one bundle holds at most " + maxFiles + " files in a manifest of at most "
                    + io.frostbyte.export.bundle.BundleFormat.MAX_MANIFEST_BYTES + " bytes: narrow the selection (for example by"
                    + " updated_since/updated_before)",
                    Map.of("file_count", files, "max_files", maxFiles));
        }
    }

    /** An export and, once completed, a freshly signed download URL. */
    public record ExportView(ExportJob job, Optional<BundleStore.DownloadUrl> download, Optional<java.time.Instant> bundleExpiresAt) {
        public boolean bundleExpired() {
            return job.status() == ExportJob.Status.COMPLETED && download.isEmpty();
        }
    }

    public Optional<ExportView> get(UUID tenant, UUID exportId) throws StoreException, IOException {
        Optional<ExportJob> job = jobs.find(tenant, exportId);
        if (job.isEmpty()) return Optional.empty();
        if (job.get().status() != ExportJob.Status.COMPLETED) return Optional.of(new ExportView(job.get(), Optional.empty(), Optional.empty()));
        Optional<java.time.Instant> expires = retention.flatMap(r -> job.get().completedAt().map(c -> c.plus(r)));
        Duration ttl = downloadTtl;
        if (expires.isPresent()) {
            Duration left = Duration.between(clock.instant(), expires.get());
            if (left.compareTo(Duration.ofSeconds(1)) < 0) return Optional.of(new ExportView(job.get(), Optional.empty(), expires));
            if (left.compareTo(ttl) < 0) ttl = left;
        }
        return Optional.of(new ExportView(job.get(), Optional.of(store.downloadUrl(tenant, exportId, ttl)), expires));
    }

    /** The tenant's published keys, the active one first. */
    public List<TenantPublicKey> publicKeys(UUID tenant) throws StoreException {
        return keys.all(tenant);
    }

    static String requestHash(CreateExportRequest r) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            // The selection canonical (RFC 8785): member order inside metadata_contains does not make another request.
            sha.update((r.includeChunks() + ":" + r.documentIds() + ":" + r.selection()
                    .map(sel -> new String(io.frostbyte.export.json.Jcs.canonicalize(sel.toJson()), StandardCharsets.UTF_8)).orElse(""))
                    .getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
