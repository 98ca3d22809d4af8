package io.frostbyte.export.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.frostbyte.export.imports.ImportJob;
import io.frostbyte.export.imports.ImportService;
import io.frostbyte.export.imports.ImportedRows;
import java.io.IOException;
import java.util.UUID;

/** The import routes' JSON bodies. */
public final class ImportJson {
    private ImportJson() {}

    public static String location(UUID tenant, UUID importId) {
        return "/tenants/" + tenant + "/imports/" + importId;
    }

    public static ObjectNode created(ImportService.Created created) {
        ImportJob job = created.job();
        ObjectNode n = ApiGateway.JSON.createObjectNode();
        n.put("import_id", job.importId().toString());
        n.put("tenant_id", job.tenantId().toString());
        n.put("status", job.status().label());
        n.put("location", location(job.tenantId(), job.importId()));
        n.put("upload_url", created.upload().url().toString());
        n.put("upload_method", "PUT");
        ObjectNode headers = n.putObject("upload_headers");
        created.upload().headers().forEach(headers::put);
        n.put("upload_expires_at", created.upload().expiresAt().toString());
        n.put("size", job.request().size());
        n.put("sha256", job.request().sha256());
        return n;
    }

    public static ObjectNode view(ImportJob job) throws IOException {
        ObjectNode n = ApiGateway.JSON.createObjectNode();
        n.put("import_id", job.importId().toString());
        n.put("tenant_id", job.tenantId().toString());
        n.put("status", job.status().label());
        n.put("size", job.request().size());
        n.put("sha256", job.request().sha256());
        n.put("on_conflict", job.request().onConflict().label());
        n.put("legacy_accept", job.request().legacyAccept());
        n.put("attempts", job.attempts());
        n.put("upload_expires_at", job.uploadExpiresAt().toString());
        n.put("source_tenant_id", job.provenance().flatMap(ImportJob.Provenance::sourceTenant).map(UUID::toString).orElse(null));
        n.put("source_export_id", job.provenance().flatMap(ImportJob.Provenance::sourceExport).map(UUID::toString).orElse(null));
        n.put("signer_fingerprint", job.provenance().flatMap(ImportJob.Provenance::signer).orElse(null));
        n.put("bundle_format", job.provenance().flatMap(ImportJob.Provenance::format).orElse(null));
        n.put("bundle_sha256", job.provenance().map(ImportJob.Provenance::bundleSha256).orElse(null));
        ObjectNode counts = n.putObject("counts");
        job.counts().ifPresentOrElse(c -> {
            counts.put("documents", c.documents());
            counts.put("chunks", c.chunks());
            counts.put("documents_written", c.documentsWritten());
            counts.put("chunks_written", c.chunksWritten());
            counts.put("documents_skipped", c.documentsSkipped());
            counts.put("chunks_skipped", c.chunksSkipped());
        }, () -> n.putNull("counts"));
        if (job.report().isPresent()) {
            JsonNode report = ApiGateway.JSON.readTree(job.report().get());
            if (job.status() == ImportJob.Status.REJECTED) n.set("errors", report.path("errors"));
            n.set("report", report);
        } else {
            n.putNull("report");
        }
        if (job.status() == ImportJob.Status.FAILED || job.status() == ImportJob.Status.VERIFYING) {
            n.put("error", job.error().orElse(null));
        }
        ObjectNode ids = n.putObject("id_mapping");
        ids.put("scheme", "uuid-v5");
        ids.put("namespace", ImportedRows.NAMESPACE.toString());
        ids.put("name", "frostbyte-import:" + job.tenantId() + ":{source_tenant_id}:{document|chunk}:{source_id}");
        n.put("created_at", job.createdAt().toString());
        n.put("updated_at", job.updatedAt().toString());
        n.put("completed_at", job.completedAt().map(Object::toString).orElse(null));
        return n;
    }
}
