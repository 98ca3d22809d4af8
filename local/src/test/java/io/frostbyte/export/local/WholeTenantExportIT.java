package io.frostbyte.export.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.frostbyte.export.db.Database;
import io.frostbyte.export.testing.Gpg;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** "Export everything" through the local runner: one consistent snapshot, limits, and a large tenant in a small heap. */
class WholeTenantExportIT {
    @TempDir Path home;
    @TempDir Path dir;

    /** Documents with {@code chunks} chunks each, written in bulk by PostgreSQL itself; content and chunk texts carry "v0". */
    static List<UUID> seed(Database db, UUID tenant, int documents, int chunks) throws Exception {
        try (Connection c = db.connection()) {
            try (PreparedStatement ps = c.prepareStatement("insert into documents (id, tenant_id, title, source_uri, content, metadata)"
                    + " select gen_random_uuid(), ?, 'Document ' || g, 's3://bulk/' || g, 'v0 ' || repeat('lorem ipsum dolor ', 20),"
                    + " '{\"bulk\": true}'::jsonb from generate_series(1, ?) g")) {
                ps.setObject(1, tenant);
                ps.setInt(2, documents);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("insert into chunks (chunk_id, document_id, tenant_id, chunk_index, text, token_count)"
                    + " select gen_random_uuid(), d.id, d.tenant_id, k, 'v0 chunk ' || k || ' of ' || d.title, 8"
                    + " from documents d, generate_series(0, ? - 1) k where d.tenant_id = ?")) {
                ps.setInt(1, chunks);
                ps.setObject(2, tenant);
                ps.executeUpdate();
            }
            List<UUID> ids = new java.util.ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("select id from documents where tenant_id = ?")) {
                ps.setObject(1, tenant);
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) ids.add(rs.getObject(1, UUID.class));
                }
            }
            return ids;
        }
    }

    static void drop(Database db, UUID tenant) throws Exception {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement("delete from documents where tenant_id = ?")) {
            ps.setObject(1, tenant);
            ps.executeUpdate();
        }
    }

    static UUID createAll(LocalStack s, String token, UUID tenant, boolean chunks) throws Exception {
        HttpResponse<String> r = s.send("POST", "/tenants/" + tenant + "/exports", token,
                "{\"selection\": {\"all\": true}, \"include_chunks\": " + chunks + "}");
        assertEquals(202, r.statusCode(), r.body());
        return UUID.fromString(Flows.json(r).get("export_id").asText());
    }

    @Test
    void wholeTenant_updatedWhileExporting_everyDocumentMatchesItsChunksVersion() throws Exception {
        Database db = LocalStack.database();
        UUID tenant = UUID.randomUUID();
        List<UUID> docs = seed(db, tenant, 600, 5);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger updates = new AtomicInteger();
        Thread updater = new Thread(() -> {
            Random random = new Random(7);
            try (Connection c = db.connection()) {
                c.setAutoCommit(false);
                while (!stop.get()) {
                    UUID doc = docs.get(random.nextInt(docs.size()));
                    String v = "v" + (updates.get() + 1) + " ";
                    try (PreparedStatement d = c.prepareStatement("update documents set content = ? || content, updated_at = now()"
                            + " where tenant_id = ? and id = ?");
                            PreparedStatement k = c.prepareStatement("update chunks set text = ? || text where tenant_id = ? and document_id = ?")) {
                        for (PreparedStatement ps : List.of(d, k)) {
                            ps.setString(1, v);
                            ps.setObject(2, tenant);
                            ps.setObject(3, doc);
                            ps.executeUpdate();
                        }
                    }
                    c.commit();
                    updates.incrementAndGet();
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "updater");
        try (LocalStack s = LocalStack.start(home, Map.of("t", tenant), Map.of())) {
            updater.start();
            while (updates.get() < 50) Thread.sleep(10);
            int before = updates.get();
            UUID export = createAll(s, "t", tenant, true);
            JsonNode done = Flows.await(s, "t", tenant, export, 120);
            int during = updates.get() - before;
            stop.set(true);
            updater.join();
            assertEquals("completed", done.get("status").asText(), done.toString());
            assertTrue(during > 20, "the updater must have run during the export: " + during + " updates");
            assertEquals(600, done.get("document_count").asInt());
            assertEquals(3000, done.get("chunk_count").asInt());
            assertTrue(done.hasNonNull("snapshot_at"), done.toString());
            assertEquals("{\"all\":true}", done.get("selection").toString());

            Map<String, byte[]> files = Flows.entries(Flows.download(done));
            JsonNode manifest = Flows.JSON.readTree(files.get("manifest.json"));
            assertEquals("{\"all\":true}", manifest.get("selection").toString(), "the selection is a signed manifest member");
            Map<String, String> docVersion = new HashMap<>();
            for (var f : files.entrySet()) {
                if (!f.getKey().startsWith("documents/")) continue;
                JsonNode d = Flows.JSON.readTree(f.getValue());
                docVersion.put(d.get("id").asText(), version(d.get("content").asText()));
            }
            int changed = 0;
            for (var f : files.entrySet()) {
                if (!f.getKey().startsWith("chunks/")) continue;
                JsonNode c = Flows.JSON.readTree(f.getValue());
                String v = version(c.get("text").asText());
                assertEquals(docVersion.get(c.get("document_id").asText()), v, "chunk " + f.getKey() + " is of another version than its document");
                if (!v.equals("v0 ")) changed++;
            }
            assertTrue(changed > 0, "some exported rows carry updates");
            Path bundle = Flows.write(dir, export + ".tar.gz", Flows.download(done));
            Path key = Flows.write(dir, "t.asc", Flows.publicKey(s, "t", tenant).getBytes(StandardCharsets.US_ASCII));
            Gpg.Result verified = Flows.verifyCli(bundle, key, "--expect-export", export.toString());
            assertEquals(0, verified.exit(), verified.stdout() + verified.stderr());
        } finally {
            stop.set(true);
            updater.join();
            drop(db, tenant);
        }
    }

    /** The stacked prefixes "vN " of a text, newest first: equal for a document and its chunks only if written together. */
    static String version(String text) {
        StringBuilder out = new StringBuilder();
        for (String part : text.split(" ")) {
            if (!part.matches("v\\d+")) break;
            out.append(part).append(' ');
        }
        return out.toString();
    }

    @Test
    void selection_emptyOrOverTheFileCap_422NamingCountAndCap() throws Exception {
        Database db = LocalStack.database();
        UUID tenant = UUID.randomUUID();
        seed(db, tenant, 2, 2);
        try (LocalStack s = LocalStack.start(home, Map.of("t", tenant), Map.of("FROSTBYTE_MAX_EXPORT_FILES", "5"))) {
            HttpResponse<String> tooMany = s.send("POST", "/tenants/" + tenant + "/exports", "t",
                    "{\"selection\": {\"all\": true}, \"include_chunks\": true}");
            assertEquals(422, tooMany.statusCode(), tooMany.body());
            assertEquals(6, Flows.json(tooMany).get("file_count").asInt());
            assertEquals(5, Flows.json(tooMany).get("max_files").asInt());
            HttpResponse<String> empty = s.send("POST", "/tenants/" + tenant + "/exports", "t",
                    "{\"selection\": {\"content_type\": \"application/pdf\"}}");
            assertEquals(422, empty.statusCode(), empty.body());
            assertEquals("application/problem+json", empty.headers().firstValue("Content-Type").orElse(""));
            JsonNode done = Flows.await(s, "t", tenant, createAll(s, "t", tenant, false), 60);
            assertEquals("completed", done.get("status").asText(), done.toString());
            assertEquals(2, done.get("document_count").asInt());
        } finally {
            drop(db, tenant);
        }
    }

    /** 20,000 documents and 200,000 chunks in one bundle, the runner (API and worker) under -Xmx256m. */
    @Test
    void wholeTenant_20kDocuments200kChunks_under256m() throws Exception {
        Database db = LocalStack.database();
        UUID tenant = UUID.randomUUID();
        seed(db, tenant, 20_000, 10);
        try (LocalStack s = LocalStack.start(home, Map.of("t", tenant), Map.of("TEST_RUNNER_HEAP", "256m"))) {
            long start = System.nanoTime();
            UUID export = createAll(s, "t", tenant, true);
            JsonNode done = Flows.await(s, "t", tenant, export, 600);
            double seconds = (System.nanoTime() - start) / 1e9;
            assertEquals("completed", done.get("status").asText(), done.toString());
            assertEquals(20_000, done.get("document_count").asInt());
            assertEquals(200_000, done.get("chunk_count").asInt());
            Path bundle = Flows.write(dir, export + ".tar.gz", Flows.download(done));
            Path key = Flows.write(dir, "t.asc", Flows.publicKey(s, "t", tenant).getBytes(StandardCharsets.US_ASCII));
            Gpg.Result verified = Flows.verifyCli(bundle, key, "--json");
            assertEquals(0, verified.exit(), verified.stdout());
            assertTrue(verified.stdout().contains("\"files_checked\" : 220000") || verified.stdout().contains("\"files_checked\":220000"),
                    verified.stdout());
            System.out.printf("whole-tenant export: 220,000 files, %.1f MB bundle, %.1f s from request to completed under -Xmx256m%n",
                    done.get("bundle_size").asLong() / 1e6, seconds);
        } finally {
            drop(db, tenant);
        }
    }
}
