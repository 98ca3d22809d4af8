package io.frostbyte.export.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.frostbyte.export.db.Database;
import io.frostbyte.export.db.DocumentRepository;
import io.frostbyte.export.testing.Gpg;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTP -> worker -> bundle store -> frostbyte-verify, through the local runner; and tenant isolation. */
class EndToEndIT {
    static Database db;
    static LocalStack stack;
    static UUID tenantA = UUID.randomUUID();
    static UUID tenantB = UUID.randomUUID();
    static List<UUID> docsA;
    static List<UUID> docsB;
    @TempDir static Path home;

    @BeforeAll
    static void start() throws Exception {
        db = LocalStack.database();
        docsA = DemoData.seed(db, tenantA, 6, 1);
        docsB = DemoData.seed(db, tenantB, 4, 2);
        stack = LocalStack.start(home, Map.of("token-a", tenantA, "token-b", tenantB), Map.of());
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
    }

    @Test
    void export_createPollDownloadVerify_bundleHoldsExactlyTheRequestedRows(@TempDir Path dir) throws Exception {
        List<UUID> wanted = List.of(docsA.get(4), docsA.get(1), docsA.get(2));
        UUID export = Flows.create(stack, "token-a", tenantA, wanted, true);
        JsonNode done = Flows.await(stack, "token-a", tenantA, export, 60);
        assertEquals("completed", done.get("status").asText(), done.toString());
        byte[] bundle = Flows.download(done);
        assertEquals(done.get("bundle_size").asLong(), bundle.length);
        assertEquals(done.get("bundle_sha256").asText(), HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bundle)));

        Path file = Flows.write(dir, export + ".tar.gz", bundle);
        Path key = Flows.write(dir, "tenant.asc", Flows.publicKey(stack, "token-a", tenantA).getBytes(StandardCharsets.US_ASCII));
        Gpg.Result verified = Flows.verifyCli(file, key, "--expect-tenant", tenantA.toString(), "--expect-export", export.toString());
        assertEquals(0, verified.exit(), verified.stdout() + verified.stderr());
        assertTrue(verified.stdout().contains(done.get("signer_fingerprint").asText()));

        // Exactly the requested documents and their chunks, byte-equal to the rows' serialisation.
        Map<String, byte[]> expected = new TreeMap<>();
        DocumentRepository documents = new DocumentRepository(db);
        documents.inSnapshot(tenantA, io.frostbyte.export.export.Documents.Scope.of(wanted), true, snapshot -> {
            snapshot.chunks(row -> expected.put("chunks/" + row.id() + ".json", row.json()));
            snapshot.documents(row -> expected.put("documents/" + row.id() + ".json", row.json()));
            return null;
        });
        Map<String, byte[]> actual = Flows.entries(bundle);
        actual.remove("manifest.json");
        assertEquals(expected.keySet(), actual.keySet());
        for (String path : expected.keySet()) assertArrayEquals(expected.get(path), actual.get(path), path);
        assertEquals(3, done.get("document_count").asInt());
        assertEquals(expected.size() - 3, done.get("chunk_count").asInt());

        // And independently of our serialiser: each document file carries its row's content.
        try (Connection c = db.connection();
                PreparedStatement ps = c.prepareStatement("select id, content from documents where tenant_id = ? and id = any(?)")) {
            ps.setObject(1, tenantA);
            ps.setArray(2, c.createArrayOf("uuid", wanted.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    JsonNode doc = Flows.JSON.readTree(actual.get("documents/" + rs.getObject(1) + ".json"));
                    assertEquals(rs.getString(2), doc.get("content").asText());
                    assertEquals(tenantA.toString(), doc.get("tenant_id").asText());
                }
            }
        }
    }

    @Test
    void isolation_otherTenantCannotReadTheExport_404() throws Exception {
        UUID export = Flows.create(stack, "token-a", tenantA, List.of(docsA.get(0)), false);
        HttpResponse<String> r = stack.send("GET", "/tenants/" + tenantB + "/exports/" + export, "token-b", null);
        assertEquals(404, r.statusCode(), r.body());
        assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""));
        HttpResponse<String> crossPath = stack.send("GET", "/tenants/" + tenantA + "/exports/" + export, "token-b", null);
        assertEquals(403, crossPath.statusCode(), crossPath.body());
    }

    @Test
    void isolation_otherTenantsDocuments_422WithoutSayingWhose() throws Exception {
        UUID absent = UUID.randomUUID();
        HttpResponse<String> r = stack.send("POST", "/tenants/" + tenantB + "/exports", "token-b",
                Flows.createBody(List.of(docsB.get(0), docsA.get(0), absent), false));
        assertEquals(422, r.statusCode(), r.body());
        JsonNode problem = Flows.json(r);
        List<String> unknown = Flows.JSON.convertValue(problem.get("unknown_document_ids"), List.class);
        assertEquals(List.of(docsA.get(0).toString(), absent.toString()), unknown);
        assertTrue(!r.body().contains(tenantA.toString()), "the problem must not name the other tenant");
    }

    @Test
    void isolation_jobNamingAnotherTenantsIds_bundleHoldsNoneOfTheirRows() throws Exception {
        // A job that slipped past the API with B's ids (a guessed id, a bug): the worker still reads A's rows only.
        UUID export = UUID.randomUUID();
        try (Connection c = db.connection();
                PreparedStatement ps = c.prepareStatement("insert into export_jobs (export_id, tenant_id, status, document_ids, include_chunks)"
                        + " values (?, ?, 'pending', ?, true)")) {
            ps.setObject(1, export);
            ps.setObject(2, tenantA);
            ps.setArray(3, c.createArrayOf("uuid", new Object[] {docsA.get(3), docsB.get(0), docsB.get(1)}));
            ps.executeUpdate();
        }
        try (var queue = stack.queue()) {
            queue.push(new io.frostbyte.export.queue.JobQueue.Message(export, tenantA));
        }
        // A create triggers a worker run right away.
        Flows.create(stack, "token-a", tenantA, List.of(docsA.get(5)), false);
        JsonNode done = Flows.await(stack, "token-a", tenantA, export, 60);
        assertEquals("completed", done.get("status").asText());
        assertEquals(1, done.get("document_count").asInt());
        Map<String, byte[]> entries = Flows.entries(Flows.download(done));
        for (Map.Entry<String, byte[]> e : entries.entrySet()) {
            String text = new String(e.getValue(), StandardCharsets.UTF_8);
            assertTrue(!text.contains(tenantB.toString()) || e.getKey().equals("manifest.json") && false, e.getKey() + " holds tenant B data");
        }
        assertTrue(entries.containsKey("documents/" + docsA.get(3) + ".json"));
    }
}
