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

    /** Every line the runner wrote, parsed as JSON: a line that is not one JSON object fails the test. */
    static List<JsonNode> logLines() throws Exception {
        List<JsonNode> out = new java.util.ArrayList<>();
        for (String line : java.nio.file.Files.readAllLines(stack.log, StandardCharsets.UTF_8)) {
            JsonNode j;
            try {
                j = Flows.JSON.readTree(line);
            } catch (java.io.IOException e) {
                throw new AssertionError("runner log line is not JSON: " + line);
            }
            assertTrue(j != null && j.isObject(), "runner log line is not a JSON object: " + line);
            out.add(j);
        }
        return out;
    }

    static java.util.Optional<JsonNode> find(List<JsonNode> lines, java.util.function.Predicate<JsonNode> p) {
        return lines.stream().filter(p).findFirst();
    }

    @Test
    void observability_everyRunnerLineIsJsonWithTheIds_andTheMetricDocumentsAreEmitted() throws Exception {
        UUID export = Flows.create(stack, "token-a", tenantA, List.of(docsA.get(0)), true);
        JsonNode done = Flows.await(stack, "token-a", tenantA, export, 60);
        assertEquals("completed", done.get("status").asText(), done.toString());
        String e = export.toString();
        String t = tenantA.toString();
        java.util.function.Predicate<JsonNode> completedMetric = j -> j.has("_aws") && e.equals(j.path("export_id").asText())
                && j.has("ExportsCompleted");
        List<JsonNode> lines = logLines();
        for (long deadline = System.nanoTime() + 10_000_000_000L; find(lines, completedMetric).isEmpty() && System.nanoTime() < deadline; ) {
            Thread.sleep(100); // the worker writes its metrics just after it records the completion
            lines = logLines();
        }

        // Log lines: Lambda's keys, and the ids of the request and of the job.
        for (JsonNode j : lines) {
            if (j.has("_aws")) continue;
            for (String key : List.of("timestamp", "level", "message")) assertTrue(j.hasNonNull(key), "no " + key + ": " + j);
            assertTrue(List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR").contains(j.get("level").asText()), j.toString());
        }
        JsonNode created = find(lines, j -> "request".equals(j.path("message").asText()) && e.equals(j.path("export_id").asText())
                && "POST".equals(j.path("method").asText())).orElseThrow(() -> new AssertionError("no request line for the create of " + e));
        assertEquals(t, created.get("tenant_id").asText());
        assertEquals(202, created.get("status").asInt());
        assertTrue(created.get("duration_ms").isNumber() && created.hasNonNull("request_id"), created.toString());
        JsonNode polled = find(lines, j -> "request".equals(j.path("message").asText()) && e.equals(j.path("export_id").asText())
                && "GET".equals(j.path("method").asText())).orElseThrow(() -> new AssertionError("no request line for a poll of " + e));
        assertTrue(!polled.get("request_id").asText().equals(created.get("request_id").asText()), "each request has its own id");
        JsonNode completed = find(lines, j -> "export completed".equals(j.path("message").asText()) && e.equals(j.path("export_id").asText()))
                .orElseThrow(() -> new AssertionError("no completion line for " + e));
        assertEquals(t, completed.get("tenant_id").asText());
        assertEquals(done.get("bundle_size").asLong(), completed.get("bytes").asLong());
        assertTrue(completed.get("duration_ms").isNumber() && completed.hasNonNull("request_id"), completed.toString());
        assertTrue(lines.stream().filter(j -> "component ready".equals(j.path("message").asText())).count() >= 4, "one line per component");

        // No connection string or credential anywhere in the log.
        String all = java.nio.file.Files.readString(stack.log);
        for (String secret : List.of(LocalStack.requireEnv("DATABASE_URL"), LocalStack.requireEnv("REDIS_URL"), "jdbc:postgresql:", "password=")) {
            assertTrue(!all.contains(secret), "the runner log holds " + secret);
        }

        // Metric documents (embedded metric format) for this export.
        JsonNode createdMetric = find(lines, j -> j.has("_aws") && e.equals(j.path("export_id").asText()) && j.has("ExportsCreated"))
                .orElseThrow(() -> new AssertionError("no ExportsCreated document for " + e));
        assertEquals(t, createdMetric.get("tenant_id").asText());
        JsonNode done2 = find(lines, completedMetric).orElseThrow(() -> new AssertionError("no ExportsCompleted document for " + e));
        assertEquals(done.get("bundle_size").asLong(), done2.get("ExportBytes").asLong());
        assertTrue(done2.get("ExportDuration").isNumber(), done2.toString());
        JsonNode directive = done2.at("/_aws/CloudWatchMetrics/0");
        for (JsonNode m : directive.get("Metrics")) assertTrue(done2.get(m.get("Name").asText()).isNumber(), m.toString());
        assertTrue(find(lines, j -> j.has("_aws") && j.has("QueueDepth") && j.has("OldestPendingAge")).isPresent(), "the sweep's backlog metrics");
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
