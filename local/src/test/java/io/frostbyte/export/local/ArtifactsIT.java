package io.frostbyte.export.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.frostbyte.export.db.Database;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each API function's own artifact answers a real request in a fresh JVM: it holds what its
 * dependencies pull in (no exclusion lists), and none of the worker's clients — Lettuce, Flyway,
 * Secrets Manager — because the API modules do not depend on them.
 */
class ArtifactsIT {
    @TempDir Path home;

    String probe(String artifact, String handler, String method, String path, UUID tenant, String body) throws Exception {
        Path root = LocalStack.root();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                root.resolve(artifact) + ":" + Path.of("target/test-classes").toAbsolutePath(),
                "io.frostbyte.export.coldstart.ColdStartProbe", "io.frostbyte.export.functions." + handler, method, path, tenant.toString()));
        if (body != null) cmd.add(body);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("FROSTBYTE_STORAGE", "local");
        env.put("EXPORT_STORAGE_PATH", home.resolve("bundles").toString());
        env.put("FROSTBYTE_LOCAL_URL_SECRET", "artifact-test-".repeat(4));
        env.put("FROSTBYTE_KEYSTORE", "local");
        env.put("FROSTBYTE_KEYSTORE_DIR", home.resolve("keys").toString());
        env.put("FROSTBYTE_QUEUE_KEY", "test:" + UUID.randomUUID());
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        return out;
    }

    @Test
    void apiArtifacts_carryNoneOfTheWorkersClients() throws Exception {
        for (String jar : List.of("functions/create-export/target/create-export-lambda.jar",
                "functions/get-export/target/get-export-lambda.jar", "functions/import-api/target/import-api-lambda.jar",
                "functions/import-worker/target/import-worker-lambda.jar", "functions/manage-keys/target/manage-keys-lambda.jar")) {
            try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(LocalStack.root().resolve(jar).toFile())) {
                List<String> worker = zip.stream().map(java.util.zip.ZipEntry::getName)
                        .filter(n -> n.startsWith("io/lettuce/") || n.startsWith("org/flywaydb/") || n.startsWith("io/netty/")
                                || (n.startsWith("software/amazon/awssdk/services/secretsmanager/") && !jar.contains("manage-keys")))
                        .limit(5).toList();
                assertTrue(worker.isEmpty(), jar + " holds worker classes: " + worker);
            }
        }
    }

    @Test
    void apiArtifacts_answerRealRequests() throws Exception {
        assertTrue(Files.isDirectory(Path.of("target/test-classes/io/frostbyte/export/coldstart")));
        Database db = LocalStack.database();
        UUID tenant = UUID.randomUUID();
        List<UUID> docs = DemoData.seed(db, tenant, 2, 31);
        String created = probe("functions/create-export/target/create-export-lambda.jar", "CreateExportHandler", "POST",
                "/tenants/" + tenant + "/exports", tenant, Flows.createBody(docs, true));
        assertTrue(created.contains("CreateExportHandler 202"), created);
        UUID export = onlyId(db, "select export_id from export_jobs where tenant_id = ?", tenant);
        String got = probe("functions/get-export/target/get-export-lambda.jar", "GetExportHandler", "GET",
                "/tenants/" + tenant + "/exports/" + export, tenant, null);
        assertTrue(got.contains("GetExportHandler 200"), got);
        String key = probe("functions/get-export/target/get-export-lambda.jar", "PublicKeyHandler", "GET",
                "/tenants/" + tenant + "/public-key", tenant, null);
        assertTrue(key.contains("PublicKeyHandler 404"), key); // no export has run yet: no key

        String importBody = "{\"size\":100,\"sha256\":\"" + "ab".repeat(32) + "\",\"source_tenant_id\":\"" + UUID.randomUUID() + "\"}";
        String createdImport = probe("functions/import-api/target/import-api-lambda.jar", "CreateImportHandler", "POST",
                "/tenants/" + tenant + "/imports", tenant, importBody);
        assertTrue(createdImport.contains("CreateImportHandler 202"), createdImport);
        UUID importId = onlyId(db, "select import_id from imports where tenant_id = ?", tenant);
        String gotImport = probe("functions/import-api/target/import-api-lambda.jar", "GetImportHandler", "GET",
                "/tenants/" + tenant + "/imports/" + importId, tenant, null);
        assertTrue(gotImport.contains("GetImportHandler 200"), gotImport);
    }

    /** The one id {@code sql} finds for the tenant (what the probed function just created). */
    static UUID onlyId(Database db, String sql, UUID tenant) throws Exception {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next(), "nothing created by the probe: " + sql);
                return rs.getObject(1, UUID.class);
            }
        }
    }
}
