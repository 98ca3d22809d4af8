package io.frostbyte.export.imports;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.frostbyte.export.export.StoreException;
import io.frostbyte.export.keys.TenantKeys;
import io.frostbyte.export.keys.TenantPublicKey;
import io.frostbyte.export.signing.KeyMaterialException;
import io.frostbyte.export.signing.TrustedKeys;
import io.frostbyte.export.storage.ImportStore;
import io.frostbyte.export.verify.BundleVerifier;
import io.frostbyte.export.verify.EntryConsumer;
import io.frostbyte.export.verify.EntryConsumerException;
import io.frostbyte.export.verify.VerificationPolicy;
import io.frostbyte.export.verify.VerificationReport;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import io.frostbyte.export.observability.LogContext;
import io.frostbyte.export.observability.LogFields;
import io.frostbyte.export.observability.Metrics;

/**
 * Verify-before-import. Claims an uploaded import (compare-and-set, so a re-delivered event runs
 * nothing twice), streams the upload through the verifier and, in the same pass, stages its rows in
 * one PostgreSQL transaction: the rows come from the {@link EntryConsumer}, i.e. from exactly the
 * bytes the verifier hashed. The transaction commits only when the verdict is VALID, every pin and
 * policy holds and the upload is the declared one; otherwise it rolls back and the import records
 * why. It needs no private key and no key store: only public keys, as given or as published.
 */
public final class ImportWorker {
    private static final Logger LOG = Logger.getLogger(ImportWorker.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A payload file larger than this cannot become a row here (it would not fit the worker's heap twice). */
    static final int MAX_FILE_BYTES = 32 * 1024 * 1024;
    private static final int MAX_CONTENT_ERRORS = 100;

    /**
     * Tunables: lease per attempt, attempts, how long after its URL expired an upload is given up,
     * and how much payload (uncompressed JSON) an import may hold: at most {@code maxExpansion}
     * times the upload's size and at most {@code maxPayloadBytes}, so a small upload cannot flood
     * the database.
     */
    public record Settings(Duration lease, int maxAttempts, Duration uploadGrace, int maxExpansion, long maxPayloadBytes) {
        public Settings {
            if (maxExpansion < 1 || maxPayloadBytes < 1) throw new IllegalArgumentException("import payload limits must be positive");
        }

        /** The defaults of the configuration. */
        public Settings(Duration lease, int maxAttempts, Duration uploadGrace) {
            this(lease, maxAttempts, uploadGrace, 100, 20L * 1024 * 1024 * 1024);
        }
    }

    /** What a run did with one import. */
    public enum Outcome { COMPLETED, REJECTED, FAILED, RETRY, SKIPPED }

    private final ImportJobs jobs;
    private final ImportStore store;
    private final TenantKeys keys;
    private final Settings settings;
    private final Metrics metrics;

    public ImportWorker(ImportJobs jobs, ImportStore store, TenantKeys keys, Settings settings) {
        this(jobs, store, keys, settings, Metrics.standard());
    }

    public ImportWorker(ImportJobs jobs, ImportStore store, TenantKeys keys, Settings settings, Metrics metrics) {
        this.metrics = metrics;
        this.jobs = jobs;
        this.store = store;
        this.keys = keys;
        this.settings = settings;
    }

    /** An upload arrived (S3 ObjectCreated, or the local runner): import it unless it is not ours or already handled. */
    public Outcome uploaded(String objectKey) {
        Optional<ImportStore.Ref> ref = ImportStore.Ref.ofKey(objectKey);
        if (ref.isEmpty()) {
            LOG.warning("ignoring an upload event for a key that is no import: " + printable(objectKey));
            return Outcome.SKIPPED;
        }
        return run(ref.get());
    }

    /** What a scheduled sweep did. */
    public record SweepResult(int completed, int rejected, int failed, int retried, int skipped) {}

    /** Retries imports whose worker died (lease expired) and settles uploads that never came or whose event was lost. */
    public SweepResult sweep() {
        int[] n = new int[5];
        List<ImportJobs.Due> due;
        try {
            due = jobs.due(100);
        } catch (StoreException e) {
            LOG.log(Level.WARNING, "import sweep could not list due imports", e);
            return new SweepResult(0, 0, 0, 0, 0);
        }
        for (ImportJobs.Due d : due) {
            n[run(new ImportStore.Ref(d.tenant(), d.importId())).ordinal()]++;
        }
        return new SweepResult(n[0], n[1], n[2], n[3], n[4]);
    }

    private Outcome run(ImportStore.Ref ref) {
        long started = System.nanoTime();
        try (LogContext.Scope t = LogContext.with("tenant_id", ref.tenant()); LogContext.Scope i = LogContext.with("import_id", ref.importId())) {
            Outcome outcome = attempt(ref);
            String metric = switch (outcome) {
                case COMPLETED -> "ImportsCompleted";
                case REJECTED -> "ImportsRejected";
                case FAILED -> "ImportsFailed";
                case RETRY, SKIPPED -> "";
            };
            if (!metric.isEmpty()) {
                LogFields.log(LOG, Level.INFO, "import finished", "outcome", outcome.name().toLowerCase(java.util.Locale.ROOT),
                        "duration_ms", (System.nanoTime() - started) / 1_000_000);
                metrics.emit(Metrics.Metric.count(metric, 1), Optional.of(ref.tenant()));
            }
            return outcome;
        }
    }

    private Outcome attempt(ImportStore.Ref ref) {
        Optional<ImportJobs.Claim> claim;
        try {
            Optional<ImportJob> job = jobs.find(ref.tenant(), ref.importId());
            if (job.isEmpty()) {
                LOG.warning("upload " + ImportStore.key(ref.tenant(), ref.importId()) + " has no import; ignored");
                return Outcome.SKIPPED;
            }
            if (job.get().status().isFinal()) return Outcome.SKIPPED;
            if (job.get().status() == ImportJob.Status.AWAITING_UPLOAD && store.head(ref).isEmpty()) {
                if (job.get().uploadExpiresAt().plus(settings.uploadGrace()).isAfter(java.time.Instant.now())) {
                    jobs.touch(ref.tenant(), ref.importId()); // to the back of the sweep's line
                    return Outcome.SKIPPED;
                }
                claim = jobs.claim(ref.tenant(), ref.importId(), settings.lease(), Integer.MAX_VALUE);
                if (claim.isPresent()) {
                    jobs.finish(claim.get(), ImportJob.Status.FAILED, Optional.empty(), Optional.empty(),
                            Optional.of("no upload arrived before the upload URL expired; create a new import"));
                    return Outcome.FAILED;
                }
                return Outcome.SKIPPED;
            }
            claim = jobs.claim(ref.tenant(), ref.importId(), settings.lease(), settings.maxAttempts());
            if (claim.isEmpty()) {
                Optional<ImportJob> now = jobs.find(ref.tenant(), ref.importId());
                if (now.isPresent() && now.get().status() == ImportJob.Status.VERIFYING && now.get().attempts() >= settings.maxAttempts()) {
                    Optional<ImportJobs.Claim> last = jobs.claim(ref.tenant(), ref.importId(), settings.lease(), Integer.MAX_VALUE);
                    if (last.isPresent()) {
                        jobs.finish(last.get(), ImportJob.Status.FAILED, Optional.empty(), Optional.empty(),
                                Optional.of("gave up after " + settings.maxAttempts() + " attempts: " + now.get().error().orElse("worker stopped")));
                        return Outcome.FAILED;
                    }
                }
                return Outcome.SKIPPED;
            }
        } catch (StoreException | IOException e) {
            LOG.log(Level.WARNING, "import " + ref.importId() + ": cannot claim", e);
            return Outcome.RETRY;
        }
        try {
            return importClaimed(claim.get(), ref);
        } catch (StoreException | IOException | EntryConsumerException | RuntimeException e) {
            LOG.log(Level.WARNING, "import " + ref.importId() + " attempt " + claim.get().job().attempts() + " broke off; it will be retried", e);
            try {
                // The caller sees that it will be retried, not the store's own message (logged above for operators).
                jobs.release(claim.get(), "attempt " + claim.get().job().attempts() + " broke off (a database or storage failure);"
                        + " it will be retried");
            } catch (StoreException again) {
                LOG.log(Level.WARNING, "import " + ref.importId() + ": cannot release; the lease will expire", again);
            }
            return Outcome.RETRY;
        }
    }

    private Outcome importClaimed(ImportJobs.Claim claim, ImportStore.Ref ref)
            throws StoreException, IOException, EntryConsumerException {
        ImportJob job = claim.job();
        ImportRequest request = job.request();
        Optional<ImportStore.Stored> stored = store.head(ref);
        if (stored.isEmpty()) {
            jobs.release(claim, "the upload is not in storage");
            return Outcome.RETRY;
        }
        if (stored.get().size() != request.size()
                || stored.get().sha256Hex().map(h -> !h.equals(request.sha256())).orElse(false)) {
            // S3 refuses such a body at upload; this is the worker's own check, before reading a byte.
            store.delete(ref);
            return rejectWith(claim, Optional.empty(), error("upload_mismatch", null, "the stored upload is " + stored.get().size()
                    + " bytes" + stored.get().sha256Hex().map(h -> " with SHA-256 " + h).orElse("") + "; the import declared "
                    + request.size() + " bytes with SHA-256 " + request.sha256()));
        }
        List<byte[]> sourceMaterial = sourceMaterial(request);
        Optional<VerificationPolicy> policy = policy(request, sourceMaterial);
        if (policy.isEmpty()) {
            return rejectWith(claim, Optional.empty(), error("key_unusable", null, "no usable public key: the given public_keys"
                    + " and the source tenant's published keys hold none"));
        }
        Loader loader;
        VerificationReport report;
        DigestingStream raw;
        try (ImportJobs.Staging staging = jobs.stage(claim); InputStream in = store.open(ref)) {
            raw = new DigestingStream(in);
            long payloadCap = Math.min(settings.maxPayloadBytes(), Math.multiplyExact(Math.max(request.size(), 1L), (long) settings.maxExpansion()));
            loader = new Loader(staging, ref.tenant(), payloadCap);
            long[] lastRenewal = {System.nanoTime()};
            report = BundleVerifier.verify(raw, policy.get(), bytes -> renew(claim, lastRenewal), loader);
            raw.drain();
            ImportJobs.Written written = staging.flush();
            String sha = raw.hex();
            ImportJob.Provenance provenance = new ImportJob.Provenance(report.tenantId().flatMap(ImportWorker::uuid),
                    report.exportId().flatMap(ImportWorker::uuid), report.signerFingerprint(), report.format().map(f -> f.json()), sha);
            if (raw.count != request.size() || !sha.equals(request.sha256())) {
                // Not the declared body (a store that did not enforce the signed checksum): what it says does not count.
                staging.close();
                store.delete(ref);
                return rejectWith(claim, Optional.empty(), error("upload_mismatch", null, "the upload is " + raw.count
                        + " bytes with SHA-256 " + sha + "; the import declared " + request.size() + " bytes with SHA-256 "
                        + request.sha256()));
            }
            List<ObjectNode> problems = new ArrayList<>();
            if (report.isValid()) problems.addAll(loader.problems(report, request, written, claimedTenant(report, request, sourceMaterial)));
            if (!report.isValid() || !problems.isEmpty()) {
                staging.close();
                return rejectWithReport(claim, Optional.of(provenance), reportJson(report, problems));
            }
            ImportJob.Counts counts = new ImportJob.Counts(loader.documents, loader.chunks, written.documentsWritten(),
                    written.chunksWritten(), written.documentConflicts(), written.chunkConflicts());
            if (!staging.commit(provenance, counts, reportJson(report, List.of()).toString())) {
                LOG.warning("import " + ref.importId() + ": claim lost to another worker; rolled back");
                return Outcome.SKIPPED;
            }
            LOG.info("import " + ref.importId() + " completed: " + counts);
            return Outcome.COMPLETED;
        }
    }

    /** Called every few MiB read: keeps the lease while the import runs, at most once a second. */
    private void renew(ImportJobs.Claim claim, long[] lastRenewal) {
        long now = System.nanoTime();
        if (now - lastRenewal[0] < 1_000_000_000L) return;
        lastRenewal[0] = now;
        try {
            if (!jobs.renew(claim, settings.lease())) LOG.warning("import " + claim.job().importId() + ": claim lost; this attempt will not commit");
        } catch (StoreException e) {
            LOG.log(Level.WARNING, "import " + claim.job().importId() + ": lease renewal failed", e);
        }
    }

    private Outcome rejectWithReport(ImportJobs.Claim claim, Optional<ImportJob.Provenance> provenance, ObjectNode report) throws StoreException {
        String first = report.path("errors").path(0).path("message").asText("rejected");
        jobs.finish(claim, ImportJob.Status.REJECTED, provenance, Optional.of(report.toString()), Optional.of(first));
        LOG.info("import " + claim.job().importId() + " rejected: " + report.path("errors").size() + " errors, first: " + printable(first));
        return Outcome.REJECTED;
    }

    private Outcome rejectWith(ImportJobs.Claim claim, Optional<ImportJob.Provenance> provenance, ObjectNode... errors) throws StoreException {
        ObjectNode report = JSON.createObjectNode();
        report.put("status", "invalid");
        ArrayNode list = report.putArray("errors");
        for (ObjectNode e : errors) list.add(e);
        return rejectWithReport(claim, provenance, report);
    }

    private static ObjectNode reportJson(VerificationReport report, List<ObjectNode> problems) {
        ObjectNode json = report.toJson();
        ArrayNode errors = (ArrayNode) json.get("errors");
        problems.forEach(errors::add);
        if (!problems.isEmpty()) json.put("status", "invalid");
        return json;
    }

    static ObjectNode error(String code, String path, String message) {
        ObjectNode e = JSON.createObjectNode();
        e.put("code", code);
        if (path == null) e.putNull("path"); else e.put("path", printable(path));
        e.put("message", printable(message));
        e.put("rule", "import");
        return e;
    }

    /** The source tenant's published keys (revoked ones included: their revocations count), read once per import. */
    private List<byte[]> sourceMaterial(ImportRequest request) throws StoreException {
        return request.sourceTenant().isPresent() ? publishedMaterial(request.sourceTenant().get()) : List.of();
    }

    private List<byte[]> publishedMaterial(UUID tenant) throws StoreException {
        List<byte[]> material = new ArrayList<>();
        for (TenantPublicKey k : keys.all(tenant)) material.add(k.armoredPublicKey().getBytes(StandardCharsets.UTF_8));
        return material;
    }

    /**
     * What this deployment publishes for the tenant the manifest claims. Whatever trust the request
     * gave, only those keys, unrevoked, may speak for a tenant of this deployment; otherwise a key
     * given in public_keys (or a copy of a revoked key without its revocation) could plant rows with
     * that tenant's provenance, and ids in its namespace, by leaving source_tenant_id out.
     *
     * @param known this deployment publishes keys for the tenant (even ones that no longer parse)
     * @param usable fingerprints of its keys and subkeys that are not revoked
     * @param revoked fingerprints of its revoked keys and subkeys
     */
    record ClaimedTenant(boolean known, Set<String> usable, Set<String> revoked) {
        static final ClaimedTenant UNKNOWN = new ClaimedTenant(false, Set.of(), Set.of());

        ClaimedTenant {
            usable = Set.copyOf(usable);
            revoked = Set.copyOf(revoked);
        }
    }

    private ClaimedTenant claimedTenant(VerificationReport report, ImportRequest request, List<byte[]> sourceMaterial)
            throws StoreException {
        Optional<UUID> claimed = report.tenantId().flatMap(ImportWorker::uuid);
        if (claimed.isEmpty()) return ClaimedTenant.UNKNOWN;
        // The source tenant's keys were read once already, for the verification policy.
        List<byte[]> material = claimed.equals(request.sourceTenant()) ? sourceMaterial : publishedMaterial(claimed.get());
        if (material.isEmpty()) return ClaimedTenant.UNKNOWN;
        Set<String> usable = new HashSet<>();
        Set<String> revoked = new HashSet<>();
        try {
            for (TrustedKeys.TrustedKey k : TrustedKeys.fromMaterials(material).all()) (k.revoked() ? revoked : usable).add(k.fingerprint());
        } catch (KeyMaterialException e) {
            // Published keys that no longer parse vouch for nothing: the tenant stays known, with no usable key.
            LOG.warning("tenant " + claimed.get() + ": published keys do not parse: " + e.getMessage());
        }
        return new ClaimedTenant(true, usable, revoked);
    }


    /** The trust the request names: its own keys plus the source tenant's published ones, merged. */
    private static Optional<VerificationPolicy> policy(ImportRequest request, List<byte[]> sourceMaterial) {
        List<byte[]> material = new ArrayList<>();
        request.publicKeys().forEach(k -> material.add(k.getBytes(StandardCharsets.UTF_8)));
        material.addAll(sourceMaterial);
        TrustedKeys trusted;
        try {
            trusted = TrustedKeys.fromMaterials(material);
        } catch (KeyMaterialException e) {
            return Optional.empty();
        }
        VerificationPolicy p = VerificationPolicy.of(trusted).withLegacyAccept(request.legacyAccept());
        if (request.signerFingerprint().isPresent()) p = p.withFingerprintPin(request.signerFingerprint().get());
        if (request.tenantPin().isPresent()) p = p.withExpectTenant(request.tenantPin().get());
        return Optional.of(p);
    }

    /** Turns payload files into staged rows as the verifier reads them; remembers what must be checked at the end. */
    private static final class Loader implements EntryConsumer {
        private final ImportJobs.Staging staging;
        private final UUID tenant;
        private final Set<UUID> documentIds = new HashSet<>();
        private final Set<UUID> chunkDocuments = new HashSet<>();
        private final Set<UUID> rowTenants = new HashSet<>();
        private final List<ObjectNode> contentErrors = new ArrayList<>();
        /** (source document, chunk index) pairs seen: two chunks at one index are one too many. */
        private final Set<String> chunkSlots = new HashSet<>();
        /** (path, member) of the first file that left a column out. */
        private Optional<String[]> defaulted = Optional.empty();
        private final long payloadCap;
        private long payload;
        private int documents;
        private int chunks;

        Loader(ImportJobs.Staging staging, UUID tenant, long payloadCap) {
            this.staging = staging;
            this.tenant = tenant;
            this.payloadCap = payloadCap;
        }

        @Override
        public void file(String path, long size, InputStream content) throws IOException {
            if (!contentErrors.isEmpty()) return; // rejected already: verify the rest, stage nothing more
            boolean document = path.startsWith("documents/");
            if (!document && !path.startsWith("chunks/")) {
                // A v1 bundle cannot hold one (rule 7); a legacy bundle may list one, but only documents and chunks
                // become rows, and dropping a signed file silently would import less than was signed.
                contentError("content_path", path, path + ": only documents/ and chunks/ can be imported");
                return;
            }
            payload += size;
            if (payload > payloadCap) {
                contentError("import_too_large", path, "the bundle's files add up to more than " + payloadCap + " bytes, the most one"
                        + " import of a " + "bundle this size may hold (FROSTBYTE_MAX_IMPORT_EXPANSION, FROSTBYTE_MAX_IMPORT_PAYLOAD_BYTES)");
                return;
            }
            if (size > MAX_FILE_BYTES) {
                contentError("content_too_large", path, path + " is " + size + " bytes; an imported file may have at most " + MAX_FILE_BYTES);
                return;
            }
            byte[] bytes = content.readNBytes((int) size + 1);
            try {
                if (document) {
                    ImportedRows.Document d = ImportedRows.document(path, bytes, tenant);
                    noteDefaulted(path, d.defaulted());
                    documentIds.add(d.sourceId());
                    rowTenants.add(d.sourceTenant());
                    documents++;
                    staging.document(d);
                } else {
                    ImportedRows.Chunk c = ImportedRows.chunk(path, bytes, tenant);
                    if (!chunkSlots.add(c.sourceDocumentId() + "#" + c.chunkIndex())) {
                        contentError("content_invalid", path, "a second chunk at index " + c.chunkIndex() + " of document "
                                + c.sourceDocumentId());
                        return;
                    }
                    noteDefaulted(path, c.defaulted());
                    chunkDocuments.add(c.sourceDocumentId());
                    rowTenants.add(c.sourceTenant());
                    chunks++;
                    staging.chunk(c);
                }
            } catch (ImportedRows.ContentException e) {
                contentError(e.code(), path, e.getMessage());
            } catch (StoreException e) {
                throw new IOException(e.getMessage(), e);
            }
        }

        private void contentError(String code, String path, String message) {
            if (contentErrors.size() < MAX_CONTENT_ERRORS) contentErrors.add(error(code, path, message));
        }

        /** The first file that left a column to the table's default; whether that is allowed depends on the format, known at the end. */
        private void noteDefaulted(String path, Optional<String> member) {
            if (member.isPresent() && defaulted.isEmpty()) defaulted = Optional.of(new String[] {path, member.get()});
        }

        /** What a VALID bundle must also satisfy to be imported. */
        List<ObjectNode> problems(VerificationReport report, ImportRequest request, ImportJobs.Written written, ClaimedTenant claimed) {
            List<ObjectNode> problems = new ArrayList<>(contentErrors);
            if (defaulted.isPresent() && report.format().equals(Optional.of(VerificationReport.Format.V1))) {
                // The service writes every column; a v1 file without one would become a row that differs from what was signed.
                String[] first = defaulted.get();
                problems.add(error("content_invalid", first[0], first[0] + ": " + first[1] + " is missing or null; a v1 bundle's"
                        + " files carry every column (only legacy bundles get the table's defaults)"));
            }
            Optional<UUID> manifestTenant = report.tenantId().flatMap(ImportWorker::uuid);
            boolean claimsKnownTenant = (request.sourceTenant().isPresent() && manifestTenant.equals(request.sourceTenant()))
                    || claimed.known();
            Optional<String> signer = report.signerFingerprint();
            if (claimsKnownTenant && signer.map(claimed.revoked()::contains).orElse(false)) {
                problems.add(error("key_revoked", null, "the bundle claims tenant " + manifestTenant.get() + " but was signed by "
                        + signer.get() + ", a key this deployment has revoked for it"));
            } else if (claimsKnownTenant && !signer.map(claimed.usable()::contains).orElse(false)) {
                // A key given in public_keys vouches for itself, not for a tenant this deployment knows.
                problems.add(error("signer_not_source_tenant", null, "the bundle claims tenant " + manifestTenant.get()
                        + " but was not signed by one of the keys this deployment publishes for it"));
            }
            if (manifestTenant.isEmpty()) {
                problems.add(error("content_invalid", null, "the manifest names no tenant_id"));
            } else if (!rowTenants.isEmpty() && !Set.of(manifestTenant.get()).equals(rowTenants)) {
                problems.add(error("tenant_mismatch", null, "rows name tenants " + rowTenants + " but the manifest's tenant is "
                        + manifestTenant.get()));
            }
            Set<UUID> orphans = new HashSet<>(chunkDocuments);
            orphans.removeAll(documentIds);
            if (!orphans.isEmpty()) {
                problems.add(error("chunk_document_missing", null, orphans.size() + " chunks' documents are not in the bundle, e.g. "
                        + orphans.iterator().next()));
            }
            written.violation().ifPresent(v -> problems.add(error("content_invalid", null, "the bundle's rows cannot be stored: " + v)));
            if (written.foreign() > 0) {
                problems.add(error("conflict", null, written.foreign() + " rows map to ids held outside this tenant; nothing was written"));
            }
            if (request.onConflict() == ImportRequest.OnConflict.FAIL && written.documentConflicts() + written.chunkConflicts() > 0) {
                problems.add(error("conflict", null, written.documentConflicts() + " documents and " + written.chunkConflicts()
                        + " chunks exist already (imported before); on_conflict is fail, so nothing was written"));
            }
            return problems;
        }
    }

    private static Optional<UUID> uuid(String s) {
        try {
            return Optional.of(UUID.fromString(s));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static String printable(String s) {
        return io.frostbyte.export.bundle.BundleFormat.escapeControls(s, 1000);
    }

    /** Hashes and counts the raw upload as the verifier reads it, to prove it is the declared one. */
    private static final class DigestingStream extends FilterInputStream {
        private final MessageDigest sha;
        private long count;

        DigestingStream(InputStream in) {
            super(in);
            try {
                sha = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                sha.update((byte) b);
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                sha.update(b, off, n);
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            byte[] buf = new byte[(int) Math.min(n, 8192)];
            int r = read(buf, 0, buf.length);
            return Math.max(r, 0);
        }

        /** The verifier may stop early on a broken bundle; the digest covers every byte all the same. */
        void drain() throws IOException {
            byte[] buf = new byte[64 * 1024];
            while (read(buf, 0, buf.length) >= 0) {
                // hashed by read
            }
        }

        String hex() {
            return HexFormat.of().formatHex(sha.digest());
        }
    }
}
