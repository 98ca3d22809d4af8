package io.frostbyte.export.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.frostbyte.export.keys.TenantPublicKey;
import io.frostbyte.export.export.ExportJob;
import io.frostbyte.export.export.ExportService;
import java.util.List;
import java.util.UUID;

/** The API's JSON bodies. */
public final class ExportJson {
    private static final java.util.regex.Pattern ERROR = java.util.regex.Pattern.compile("([a-z_]{3,40}): (.+)", java.util.regex.Pattern.DOTALL);
    private ExportJson() {}

    public static String location(UUID tenant, UUID export) {
        return "/tenants/" + tenant + "/exports/" + export;
    }

    public static ObjectNode created(ExportJob job) {
        ObjectNode n = ApiGateway.JSON.createObjectNode();
        n.put("export_id", job.exportId().toString());
        n.put("tenant_id", job.tenantId().toString());
        n.put("status", job.status().db());
        n.put("include_chunks", job.includeChunks());
        n.put("document_ids_count", job.documentIds().size());
        putSelection(n, job);
        n.put("created_at", job.createdAt().toString());
        n.put("location", location(job.tenantId(), job.exportId()));
        return n;
    }

    public static ObjectNode view(ExportService.ExportView view) {
        ExportJob job = view.job();
        ObjectNode n = ApiGateway.JSON.createObjectNode();
        n.put("export_id", job.exportId().toString());
        n.put("tenant_id", job.tenantId().toString());
        n.put("status", job.status().db());
        n.put("include_chunks", job.includeChunks());
        n.put("requested_document_count", job.documentIds().size());
        putSelection(n, job);
        n.put("snapshot_at", job.snapshotAt().map(Object::toString).orElse(null));
        putNullable(n, "document_count", job.documentCount().orElse(null));
        putNullable(n, "chunk_count", job.chunkCount().orElse(null));
        if (job.bundleSize().isPresent()) n.put("bundle_size", job.bundleSize().get()); else n.putNull("bundle_size");
        n.put("bundle_sha256", job.bundleSha256().orElse(null));
        n.put("signer_fingerprint", job.signerFingerprint().orElse(null));
        ObjectNode progress = n.putObject("progress");
        progress.put("files_done", job.filesDone());
        putNullable(progress, "files_total", job.filesTotal().orElse(null));
        int percent = job.status() == ExportJob.Status.COMPLETED ? 100
                : job.filesTotal().filter(t -> t > 0).map(t -> Math.min(99, job.filesDone() * 100 / t)).orElse(0);
        progress.put("percent", percent);
        n.put("attempts", job.attempts());
        if (job.status() == ExportJob.Status.FAILED) {
            // Stored as "code: sentence" (ExportWorker.publicError); older rows hold the sentence alone.
            String error = job.error().orElse("failed");
            java.util.regex.Matcher m = ERROR.matcher(error);
            n.put("error_code", m.matches() ? m.group(1) : "export_failed");
            n.put("error", m.matches() ? m.group(2) : error);
        }
        n.put("created_at", job.createdAt().toString());
        n.put("updated_at", job.updatedAt().toString());
        n.put("completed_at", job.completedAt().map(Object::toString).orElse(null));
        view.download().ifPresent(d -> {
            n.put("download_url", d.url().toString());
            n.put("download_url_expires_at", d.expiresAt().toString());
        });
        view.bundleExpiresAt().ifPresent(t -> n.put("bundle_expires_at", t.toString()));
        if (view.bundleExpired()) n.put("bundle_expired", true);
        return n;
    }

    public static ObjectNode publicKeys(UUID tenant, List<TenantPublicKey> rows) {
        ObjectNode n = ApiGateway.JSON.createObjectNode();
        n.put("tenant_id", tenant.toString());
        var keys = n.putArray("keys");
        for (TenantPublicKey r : rows) keys.add(key(r));
        return n;
    }

    /** One published key: status, times, the revocation's reason, and the armored key (with its revocation when revoked). */
    public static ObjectNode key(TenantPublicKey r) {
        ObjectNode k = ApiGateway.JSON.createObjectNode();
        k.put("tenant_id", r.tenantId().toString());
        k.put("fingerprint", r.fingerprint());
        k.put("algorithm", r.algorithm());
        k.put("status", r.status().label());
        k.put("created_at", r.createdAt().toString());
        k.put("retired_at", r.retiredAt().map(Object::toString).orElse(null));
        k.put("revoked_at", r.revokedAt().map(Object::toString).orElse(null));
        k.put("reason", r.revocationReason().map(io.frostbyte.export.signing.RevocationReason::label).orElse(null));
        k.put("public_key", r.armoredPublicKey());
        return k;
    }

    /** The selection as asked (and as the bundle's manifest states it), or null for an export of listed ids. */
    private static void putSelection(ObjectNode n, ExportJob job) {
        if (job.selection().isEmpty()) {
            n.putNull("selection");
            return;
        }
        try {
            n.set("selection", ApiGateway.JSON.readTree(job.selection().get()));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("stored selection is not JSON", e);
        }
    }

    private static void putNullable(ObjectNode n, String name, Integer v) {
        if (v == null) n.putNull(name); else n.put(name, v);
    }
}
