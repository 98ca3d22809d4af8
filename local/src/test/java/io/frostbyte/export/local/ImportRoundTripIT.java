package io.frostbyte.export.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.frostbyte.export.bundle.BundleWriter;
import io.frostbyte.export.db.Database;
import io.frostbyte.export.imports.ImportedRows;
import io.frostbyte.export.signing.TenantSigningKey;
import io.frostbyte.export.testing.BundleForge;
import io.frostbyte.export.testing.Corpus;
import io.frostbyte.export.testing.TestKeys;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Imports through the local runner, as a user does: the API, the runner's signed upload URL and
 * its upload event, the import worker in the runner's process.
 */
class ImportRoundTripIT {
    /**
     * Export from tenant A, import into tenant B of a freshly migrated database: the same counts, and
     * every document and chunk equal to its source apart from id and tenant.
     */
    @Test
    void exportFromA_importIntoBInAFreshDatabase_rowsEqualApartFromIdsAndTenant(@TempDir Path homeA, @TempDir Path homeB)
            throws Exception {
        Database source = LocalStack.database();
        UUID tenantA = UUID.randomUUID();
        UUID tenantB = UUID.randomUUID();
        List<UUID> docs = DemoData.seed(source, tenantA, 7, 3);
        byte[] bundle;
        String publicKey;
        UUID exportId;
        try (LocalStack a = LocalStack.start(homeA, Map.of("token-a", tenantA), Map.of())) {
            exportId = Flows.create(a, "token-a", tenantA, docs, true);
            JsonNode done = Flows.await(a, "token-a", tenantA, exportId, 60);
            assertEquals("completed", done.get("status").asText(), done.toString());
            bundle = Flows.download(done);
            publicKey = Flows.publicKey(a, "token-a", tenantA);
        }

        String freshUrl = FreshDatabase.create();
        try {
            importInto(freshUrl, homeB, tenantA, tenantB, docs.size(), exportId, bundle, publicKey, source);
        } finally {
            FreshDatabase.drop(freshUrl);
        }
    }

    private static void importInto(String freshUrl, Path homeB, UUID tenantA, UUID tenantB, int documentCount, UUID exportId,
            byte[] bundle, String publicKey, Database source) throws Exception {
        try (LocalStack b = LocalStack.start(homeB, Map.of("token-b", tenantB), Map.of("DATABASE_URL", freshUrl))) {
            ObjectNode body = Flows.JSON.createObjectNode();
            body.putArray("public_keys").add(publicKey);
            body.put("expect_source_tenant", tenantA.toString());
            JsonNode done = importThroughRunner(b, "token-b", tenantB, bundle, body, 60);
            assertEquals("completed", done.get("status").asText(), done.toString());
            assertEquals(tenantA.toString(), done.get("source_tenant_id").asText());
            assertEquals(exportId.toString(), done.get("source_export_id").asText());
            assertEquals(BundleForge.sha256(bundle), done.get("bundle_sha256").asText());

            Database target = FreshDatabase.open(freshUrl);
            Map<UUID, List<Object>> sourceDocs = documents(source, tenantA);
            Map<UUID, List<Object>> importedDocs = documents(target, tenantB);
            assertEquals(sourceDocs.size(), importedDocs.size());
            assertEquals(documentCount, done.at("/counts/documents").asInt());
            for (Map.Entry<UUID, List<Object>> d : sourceDocs.entrySet()) {
                UUID id = ImportedRows.targetId(tenantB, tenantA, ImportedRows.Kind.DOCUMENT, d.getKey());
                assertEquals(d.getValue(), importedDocs.get(id), "document " + d.getKey());
            }
            Map<UUID, List<Object>> sourceChunks = chunks(source, tenantA);
            Map<UUID, List<Object>> importedChunks = chunks(target, tenantB);
            assertEquals(sourceChunks.size(), importedChunks.size());
            assertEquals(sourceChunks.size(), done.at("/counts/chunks").asInt());
            for (Map.Entry<UUID, List<Object>> c : sourceChunks.entrySet()) {
                UUID id = ImportedRows.targetId(tenantB, tenantA, ImportedRows.Kind.CHUNK, c.getKey());
                List<Object> expected = new java.util.ArrayList<>(c.getValue());
                expected.set(0, ImportedRows.targetId(tenantB, tenantA, ImportedRows.Kind.DOCUMENT, (UUID) expected.get(0)));
                assertEquals(expected, importedChunks.get(id), "chunk " + c.getKey());
            }
        }
    }

    /** The runner's upload URL takes exactly the declared body; anything else is refused and nothing runs. */
    @Test
    void localUpload_otherBody_refused_importStillAwaitsItsUpload(@TempDir Path home) throws Exception {
        UUID tenant = UUID.randomUUID();
        LocalStack.database();
        try (LocalStack s = LocalStack.start(home, Map.of("t", tenant), Map.of())) {
            byte[] bundle = BundleForge.valid(TestKeys.a(), 2, 2).build();
            JsonNode created = createImport(s, "t", tenant, bundle, trust(TestKeys.a()));
            byte[] other = bundle.clone();
            other[other.length / 2] ^= 1;
            HttpResponse<String> refused = put(created, other);
            assertEquals(400, refused.statusCode(), refused.body());
            assertTrue(refused.body().contains("SHA-256"), refused.body());
            HttpResponse<String> longer = put(created, java.util.Arrays.copyOf(bundle, bundle.length + 1));
            assertEquals(400, longer.statusCode(), longer.body());
            HttpResponse<String> forged = LocalStack.HTTP.send(HttpRequest.newBuilder(URI.create(created.get("upload_url").asText()
                    .replaceFirst("size=\\d+", "size=" + other.length + "0"))).PUT(HttpRequest.BodyPublishers.ofByteArray(other)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(403, forged.statusCode(), forged.body());
            Thread.sleep(500);
            JsonNode now = Flows.json(s.send("GET", created.get("location").asText(), "t", null));
            assertEquals("awaiting_upload", now.get("status").asText(), now.toString());
            assertEquals(0, now.get("attempts").asInt(), "the worker never saw it");
            assertEquals(200, put(created, bundle).statusCode());
            JsonNode done = await(s, "t", created, 30);
            assertEquals("completed", done.get("status").asText(), done.toString());
        }
    }

    /**
     * 100,000 chunks: the runner is killed mid-import (no row visible before or after), and a
     * second runner, with -Xmx256m, completes the import once the first one's lease has expired.
     */
    @Test
    void killedMidImport_noRows_laterRunCompletes_100kChunksUnder256m(@TempDir Path home) throws Exception {
        Database db = LocalStack.database();
        UUID tenant = UUID.randomUUID();
        TenantSigningKey key = TestKeys.a();
        byte[] bundle = bigBundle(key, 1000, 100_000);
        try (LocalStack first = LocalStack.start(home, Map.of("t", tenant), Map.of("FROSTBYTE_LEASE", "4"))) {
            JsonNode created = createImport(first, "t", tenant, bundle, trust(key));
            assertEquals(200, put(created, bundle).statusCode());
            awaitStatus(first, "t", created, "verifying", 30);
            Thread.sleep(1500);
            assertEquals(List.of(0, 0), ImportIT.countsIn(db, tenant), "nothing visible mid-import");
            first.process().destroyForcibly().waitFor();
            assertEquals(List.of(0, 0), ImportIT.countsIn(db, tenant), "nothing left by the killed import");
            Thread.sleep(4500); // the killed runner's lease runs out
            try (LocalStack second = first.sibling(Map.of("TEST_RUNNER_HEAP", "256m"))) {
                long start = System.nanoTime();
                JsonNode done = await(second, "t", created, 300);
                assertEquals("completed", done.get("status").asText(), done.toString());
                assertEquals(2, done.get("attempts").asInt(), done.toString());
                assertEquals(List.of(1000, 100_000), ImportIT.countsIn(db, tenant));
                System.out.printf("import of %d chunks (%.1f MB bundle) under -Xmx256m completed %.1f s after the second runner started%n",
                        100_000, bundle.length / 1e6, (System.nanoTime() - start) / 1e9);
            }
        }
    }

    static byte[] bigBundle(TenantSigningKey key, int documents, int chunks) throws Exception {
        Corpus corpus = new Corpus(7);
        UUID tenant = corpus.uuid();
        java.util.TreeMap<UUID, byte[]> docs = new java.util.TreeMap<>(java.util.Comparator.comparing(UUID::toString));
        for (int i = 0; i < documents; i++) {
            UUID id = corpus.uuid();
            docs.put(id, corpus.documentJson(id, tenant, 400));
        }
        List<UUID> docIds = List.copyOf(docs.keySet());
        java.util.TreeMap<UUID, byte[]> chunkFiles = new java.util.TreeMap<>(java.util.Comparator.comparing(UUID::toString));
        for (int i = 0; i < chunks; i++) {
            UUID id = corpus.uuid();
            chunkFiles.put(id, corpus.chunkJson(id, docIds.get(i % documents), tenant, i / documents, 200));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (BundleWriter w = BundleWriter.builder().exportId(corpus.uuid()).tenantId(tenant).createdAt(TestKeys.CREATED)
                .includeChunks(true).signingKey(key).open(out)) {
            for (Map.Entry<UUID, byte[]> c : chunkFiles.entrySet()) w.addChunk(c.getKey(), c.getValue());
            for (Map.Entry<UUID, byte[]> d : docs.entrySet()) w.addDocument(d.getKey(), d.getValue());
            w.finish();
        }
        return out.toByteArray();
    }

    static ObjectNode trust(TenantSigningKey key) throws Exception {
        return ImportIT.trust(key);
    }

    static JsonNode createImport(LocalStack s, String token, UUID tenant, byte[] bundle, ObjectNode trust) throws Exception {
        HttpResponse<String> r = s.send("POST", "/tenants/" + tenant + "/imports", token, ImportIT.body(bundle, trust));
        assertEquals(202, r.statusCode(), r.body());
        return Flows.json(r);
    }

    static HttpResponse<String> put(JsonNode created, byte[] body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(created.get("upload_url").asText())).PUT(HttpRequest.BodyPublishers.ofByteArray(body));
        created.get("upload_headers").fields().forEachRemaining(h -> b.header(h.getKey(), h.getValue().asText()));
        return LocalStack.HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode importThroughRunner(LocalStack s, String token, UUID tenant, byte[] bundle, ObjectNode trust, int seconds) throws Exception {
        JsonNode created = createImport(s, token, tenant, bundle, trust);
        HttpResponse<String> up = put(created, bundle);
        assertEquals(200, up.statusCode(), up.body());
        return await(s, token, created, seconds);
    }

    static JsonNode await(LocalStack s, String token, JsonNode created, int seconds) throws Exception {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = Flows.json(s.send("GET", created.get("location").asText(), token, null));
            String status = last.get("status").asText();
            if (status.equals("completed") || status.equals("rejected") || status.equals("failed")) return last;
            Thread.sleep(250);
        }
        throw new AssertionError("import not finished after " + seconds + " s: " + last);
    }

    static void awaitStatus(LocalStack s, String token, JsonNode created, String status, int seconds) throws Exception {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = Flows.json(s.send("GET", created.get("location").asText(), token, null));
            if (last.get("status").asText().equals(status)) return;
            Thread.sleep(100);
        }
        throw new AssertionError("import never reached " + status + " in " + seconds + " s: " + last);
    }

    /** Every document of the tenant: its fields other than id and tenant. */
    static Map<UUID, List<Object>> documents(Database db, UUID tenant) throws Exception {
        Map<UUID, List<Object>> rows = new TreeMap<>();
        try (Connection c = db.connection();
                PreparedStatement ps = c.prepareStatement("select id, title, source_uri, content_type, content, metadata::text,"
                        + " created_at, updated_at from documents where tenant_id = ?")) {
            ps.setObject(1, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.put(rs.getObject(1, UUID.class), java.util.Arrays.asList(rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getTimestamp(7).toInstant(), rs.getTimestamp(8).toInstant()));
                }
            }
        }
        return rows;
    }

    /** Every chunk of the tenant: its document, then its fields other than id and tenant. */
    static Map<UUID, List<Object>> chunks(Database db, UUID tenant) throws Exception {
        Map<UUID, List<Object>> rows = new TreeMap<>();
        try (Connection c = db.connection();
                PreparedStatement ps = c.prepareStatement("select chunk_id, document_id, chunk_index, text, token_count, metadata::text,"
                        + " created_at from chunks where tenant_id = ?")) {
            ps.setObject(1, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.put(rs.getObject(1, UUID.class), java.util.Arrays.asList(rs.getObject(2, UUID.class), rs.getInt(3), rs.getString(4),
                            rs.getInt(5), rs.getString(6), rs.getTimestamp(7).toInstant()));
                }
            }
        }
        return rows;
    }
}
