package io.frostbyte.export.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.frostbyte.export.db.Database;
import io.frostbyte.export.db.ImportRepository;
import io.frostbyte.export.db.TenantKeyRepository;
import io.frostbyte.export.functions.CreateImportHandler;
import io.frostbyte.export.functions.GetImportHandler;
import io.frostbyte.export.functions.ImportWorkerHandler;
import io.frostbyte.export.imports.ImportService;
import io.frostbyte.export.imports.ImportWorker;
import io.frostbyte.export.imports.ImportedRows;
import io.frostbyte.export.signing.TenantSigningKey;
import io.frostbyte.export.storage.ImportStore;
import io.frostbyte.export.storage.s3.S3ImportStore;
import io.frostbyte.export.testing.BundleForge;
import io.frostbyte.export.testing.Events;
import io.frostbyte.export.testing.Gpg;
import io.frostbyte.export.testing.Moto;
import io.frostbyte.export.testing.TestDatabase;
import io.frostbyte.export.testing.TestKeys;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Verify-before-import through the API handlers and the real import worker, on PostgreSQL and
 * moto's S3: the upload goes to the pre-signed URL the API hands out, and the worker gets the S3
 * event fixture for it, as Lambda would.
 */
class ImportIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static Database db;
    static S3Client s3;
    static String bucket;
    static ImportService service;
    static ImportWorker worker;
    static Gpg gpg;
    static String gpgFingerprint;

    @TempDir Path dir;

    @BeforeAll
    static void start() throws Exception {
        db = TestDatabase.migrated();
        s3 = Moto.s3();
        bucket = Moto.newBucket(s3);
        ImportStore store = new S3ImportStore(s3, Moto.presigner(), bucket);
        ImportRepository jobs = new ImportRepository(db);
        service = new ImportService(jobs, store, Duration.ofMinutes(15), 64L * 1024 * 1024, Clock.systemUTC());
        worker = new ImportWorker(jobs, store, new TenantKeyRepository(db),
                new ImportWorker.Settings(Duration.ofMinutes(15), 3, Duration.ofMinutes(5)));
    }

    @AfterAll
    static void stop() throws Exception {
        if (gpg != null) gpg.close();
    }

    // ---- the six acceptance tests of the lineage ----

    @Test
    void import_tamperedPayload_rejectedWithNoRows() throws Exception {
        UUID tenant = UUID.randomUUID();
        BundleForge f = BundleForge.valid(TestKeys.a(), 3, 6);
        BundleForge.Entry doc = f.entries.stream().filter(e -> e.name().contains("/documents/")).findFirst().orElseThrow();
        byte[] data = doc.data().clone();
        data[data.length / 2] ^= 0x20;
        f.replace(doc, BundleForge.Entry.file(doc.name(), data));
        JsonNode done = importBundle(tenant, f.build(), trust(TestKeys.a()));
        assertEquals("rejected", done.get("status").asText(), done.toString());
        assertTrue(codes(done).contains("hash_mismatch"), done.toString());
        assertEquals(List.of(0, 0), counts(tenant));
    }

    @Test
    void import_wrongSigner_pinnedFingerprintOfAnotherKey_rejected() throws Exception {
        UUID tenant = UUID.randomUUID();
        ObjectNode body = trust(TestKeys.a());
        body.put("signer_fingerprint", TestKeys.b().fingerprint());
        JsonNode done = importBundle(tenant, BundleForge.valid(TestKeys.a(), 2, 2).build(), body);
        assertEquals("rejected", done.get("status").asText(), done.toString());
        assertTrue(codes(done).contains("fingerprint_pin"), done.toString());
        assertEquals(List.of(0, 0), counts(tenant));
    }

    @Test
    void import_missingSignature_rejected() throws Exception {
        UUID tenant = UUID.randomUUID();
        JsonNode done = importBundle(tenant, BundleForge.valid(TestKeys.a(), 2, 2).unsigned().build(), trust(TestKeys.a()));
        assertEquals("rejected", done.get("status").asText(), done.toString());
        assertFalse(done.get("errors").isEmpty(), done.toString());
        assertEquals(List.of(0, 0), counts(tenant));
    }

    @Test
    void import_legacyBundleWithoutFlag_rejectedAsLegacy() throws Exception {
        UUID tenant = UUID.randomUUID();
        JsonNode done = importBundle(tenant, legacyBundle(), gpgTrust());
        assertEquals("rejected", done.get("status").asText(), done.toString());
        assertEquals("legacy_rejected", done.at("/errors/0/code").asText(), done.toString());
        assertEquals(List.of(0, 0), counts(tenant));
    }

    @Test
    void import_legacyBundleWithFlag_completed() throws Exception {
        UUID tenant = UUID.randomUUID();
        ObjectNode body = gpgTrust();
        body.put("legacy_accept", true);
        JsonNode done = importBundle(tenant, legacyBundle(), body);
        assertEquals("completed", done.get("status").asText(), done.toString());
        assertEquals("legacy", done.get("bundle_format").asText());
        assertEquals(List.of(4, 0), counts(tenant));
    }

    @Test
    void import_legacyBundleListingAFileOutsideThePayload_rejectedNotDropped() throws Exception {
        // §6 lets a legacy manifest list notes/a.json (VALID with --legacy-accept), but only documents and chunks become rows.
        UUID tenant = UUID.randomUUID();
        ObjectNode body = gpgTrust();
        body.put("legacy_accept", true);
        JsonNode done = importBundle(tenant, legacyBundle("--extra-listed", "notes/a.json"), body);
        assertEquals("rejected", done.get("status").asText(), done.toString());
        assertTrue(codes(done).contains("content_path"), done.toString());
        for (JsonNode e : done.path("errors")) assertEquals("import", e.path("rule").asText(), "the verifier accepts it: " + done);
        assertEquals(List.of(0, 0), counts(tenant));
    }

    // The sixth, export from tenant A into tenant B of a freshly migrated database: ImportRoundTripIT.

    // ---- atomicity ----

    @Test
    void import_lastListedFileTampered_tenantRowCountsUnchanged() throws Exception {
        UUID tenant = UUID.randomUUID();
        JsonNode first = importBundle(tenant, BundleForge.valid(TestKeys.a(), 2, 3).build(), trust(TestKeys.a()));
        assertEquals("completed", first.get("status").asText(), first.toString());
        List<Integer> before = counts(tenant);

        BundleForge f = BundleForge.valid(TestKeys.b(), 5, 10);
        BundleForge.Entry last = f.entries.get(f.entries.size() - 1);
        assertTrue(last.name().contains("/documents/"), "the last listed file is a document: " + last.name());
        byte[] data = last.data().clone();
        data[data.length - 3] ^= 0x01;
        f.replace(last, BundleForge.Entry.file(last.name(), data));
        JsonNode done = importBundle(tenant, f.build(), trust(TestKeys.b()));
        assertEquals("rejected", done.get("status").asText(), done.toString());
        assertEquals(before, counts(tenant));
    }

    @Test
    void import_sameS3EventTwice_importsOnce() throws Exception {
        UUID tenant = UUID.randomUUID();
        byte[] bundle = BundleForge.valid(TestKeys.a(), 3, 5).build();
        JsonNode created = create(tenant, body(bundle, trust(TestKeys.a())));
        assertEquals(200, upload(created, bundle));
        String key = "imports/" + tenant + "/" + created.get("import_id").asText() + ".tar.gz";
        ImportWorkerHandler handler = new ImportWorkerHandler(worker);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Callable<Map<String, Object>> deliver = () -> handler.handleRequest(s3Event(key), null);
            List<Future<Map<String, Object>>> runs = pool.invokeAll(List.of(deliver, deliver));
            int completed = 0;
            for (Future<Map<String, Object>> r : runs) completed += ((Number) r.get().getOrDefault("completed", 0)).intValue();
            assertEquals(1, completed, runs.toString());
        } finally {
            pool.shutdown();
        }
        assertEquals("skipped", handler.handleRequest(s3Event(key), null).keySet().iterator().next());
        assertEquals(List.of(3, 5), counts(tenant));
        assertEquals(1, get(tenant, UUID.fromString(created.get("import_id").asText())).get("attempts").asInt());
    }

    // ---- isolation ----

    @Test
    void import_otherTenant_cannotReadOrLearnOfIt_andRowsStayInTheImportingTenant() throws Exception {
        UUID tenantA = UUID.randomUUID();
        UUID tenantB = UUID.randomUUID();
        BundleForge f = BundleForge.valid(TestKeys.a(), 2, 2);
        JsonNode done = importBundle(tenantA, f.build(), trust(TestKeys.a()));
        assertEquals("completed", done.get("status").asText(), done.toString());
        UUID importId = UUID.fromString(done.get("import_id").asText());

        APIGatewayProxyResponseEvent asB = new GetImportHandler(service).handleRequest(getEvent(tenantB, tenantB, importId), null);
        assertEquals(404, asB.getStatusCode(), asB.getBody());
        UUID never = UUID.randomUUID();
        APIGatewayProxyResponseEvent unknown = new GetImportHandler(service).handleRequest(getEvent(tenantB, tenantB, never), null);
        assertEquals(404, unknown.getStatusCode());
        assertEquals(unknown.getBody().replace(never.toString(), "X"), asB.getBody().replace(importId.toString(), "X"),
                "another tenant's import looks exactly like one that does not exist");
        APIGatewayProxyResponseEvent crossPath = new GetImportHandler(service).handleRequest(getEvent(tenantB, tenantA, importId), null);
        assertEquals(403, crossPath.getStatusCode(), crossPath.getBody());

        // Every row the import wrote carries the importing tenant, under derived ids, none under the source's.
        assertEquals(List.of(2, 2), counts(tenantA));
        try (Connection c = db.connection();
                PreparedStatement ps = c.prepareStatement("select count(*) from documents where id = any(?)")) {
            List<UUID> sourceIds = f.entries.stream().filter(e -> e.name().contains("/documents/"))
                    .map(e -> UUID.fromString(e.name().substring(e.name().lastIndexOf('/') + 1, e.name().length() - 5))).toList();
            ps.setArray(1, c.createArrayOf("uuid", sourceIds.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertEquals(0, rs.getInt(1), "no row under a source id");
            }
            for (UUID source : sourceIds) {
                UUID target = ImportedRows.targetId(tenantA, f.tenantId, ImportedRows.Kind.DOCUMENT, source);
                try (PreparedStatement q = c.prepareStatement("select tenant_id from documents where id = ?")) {
                    q.setObject(1, target);
                    try (ResultSet rs = q.executeQuery()) {
                        assertTrue(rs.next(), "derived id " + target + " present");
                        assertEquals(tenantA, rs.getObject(1, UUID.class));
                    }
                }
            }
        }
    }

    // ---- the upload is the declared one ----

    @Test
    void upload_signsLengthAndSha256_forS3ToEnforce() throws Exception {
        UUID tenant = UUID.randomUUID();
        byte[] bundle = BundleForge.valid(TestKeys.a(), 1, 1).build();
        JsonNode created = create(tenant, body(bundle, trust(TestKeys.a())));
        String url = created.get("upload_url").asText();
        assertTrue(url.contains("X-Amz-SignedHeaders="), url);
        String signed = java.net.URLDecoder.decode(url.substring(url.indexOf("X-Amz-SignedHeaders=")), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(signed.contains("content-length") && signed.contains("x-amz-checksum-sha256"), signed);
        assertEquals(java.util.Base64.getEncoder().encodeToString(java.util.HexFormat.of().parseHex(BundleForge.sha256(bundle))),
                created.at("/upload_headers/x-amz-checksum-sha256").asText(), created.toString());
    }

    /**
     * S3 answers BadDigest to a body whose SHA-256 differs from the signed header; moto 5 stores it
     * anyway (its put_object leaves the check as a TODO). Either way nothing of it may be imported:
     * the worker compares S3's length and checksum before reading, and its own digest of every byte
     * before committing. The local runner's refusal at upload is tested in ImportRoundTripIT.
     */
    @Test
    void upload_bodyOtherThanDeclared_neverImported() throws Exception {
        UUID tenant = UUID.randomUUID();
        byte[] bundle = BundleForge.valid(TestKeys.a(), 2, 2).build();
        for (byte[] other : List.of(tampered(bundle), java.util.Arrays.copyOf(bundle, bundle.length + 512))) {
            JsonNode created = create(tenant, body(bundle, trust(TestKeys.a())));
            int status = upload(created, other);
            UUID importId = UUID.fromString(created.get("import_id").asText());
            if (status == 200) {
                new ImportWorkerHandler(worker).handleRequest(s3Event("imports/" + tenant + "/" + importId + ".tar.gz"), null);
                JsonNode done = get(tenant, importId);
                assertEquals("rejected", done.get("status").asText(), done.toString());
                assertEquals(List.of("upload_mismatch"), codes(done), done.toString());
            } else {
                assertTrue(status >= 400 && status < 500, "refused with " + status);
                assertEquals("awaiting_upload", get(tenant, importId).get("status").asText());
            }
            assertEquals(List.of(0, 0), counts(tenant));
        }
    }

    static byte[] tampered(byte[] bundle) {
        byte[] copy = bundle.clone();
        copy[copy.length / 2] ^= 1;
        return copy;
    }

    @Test
    void create_declaredSizeOverTheCap_413() throws Exception {
        UUID tenant = UUID.randomUUID();
        ObjectNode body = trust(TestKeys.a());
        body.put("size", 64L * 1024 * 1024 + 1);
        body.put("sha256", "0".repeat(64));
        APIGatewayProxyResponseEvent r = new CreateImportHandler(service).handleRequest(createEvent(tenant, body.toString()), null);
        assertEquals(413, r.getStatusCode(), r.getBody());
        assertEquals("application/problem+json", r.getHeaders().get("Content-Type"));
        assertTrue(r.getBody().contains("FROSTBYTE_MAX_IMPORT_BYTES"), r.getBody());
    }

    // ---- on_conflict ----

    @Test
    void reimport_onConflict_failRejects_skipKeeps_replaceOverwrites() throws Exception {
        UUID tenant = UUID.randomUUID();
        byte[] bundle = BundleForge.valid(TestKeys.a(), 2, 4).build();
        assertEquals("completed", importBundle(tenant, bundle, trust(TestKeys.a())).get("status").asText());
        try (Connection c = db.connection(); var s = c.createStatement()) {
            s.executeUpdate("update documents set title = 'edited here' where tenant_id = '" + tenant + "'");
        }
        JsonNode fail = importBundle(tenant, bundle, trust(TestKeys.a()));
        assertEquals("rejected", fail.get("status").asText(), fail.toString());
        assertTrue(codes(fail).contains("conflict"), fail.toString());

        ObjectNode skipBody = trust(TestKeys.a());
        skipBody.put("on_conflict", "skip");
        JsonNode skip = importBundle(tenant, bundle, skipBody);
        assertEquals("completed", skip.get("status").asText(), skip.toString());
        assertEquals(2, skip.at("/counts/documents_skipped").asInt(), skip.toString());
        assertEquals(4, skip.at("/counts/chunks_skipped").asInt(), skip.toString());
        assertEquals(2, titles(tenant, "edited here"));

        ObjectNode replaceBody = trust(TestKeys.a());
        replaceBody.put("on_conflict", "replace");
        JsonNode replace = importBundle(tenant, bundle, replaceBody);
        assertEquals("completed", replace.get("status").asText(), replace.toString());
        assertEquals(2, replace.at("/counts/documents_written").asInt(), replace.toString());
        assertEquals(0, titles(tenant, "edited here"));
        assertEquals(List.of(2, 4), counts(tenant));
    }

    // ---- content a signature cannot make right ----

    @Test
    void import_validlySignedChunkWithoutItsDocument_rejectedNoRows() throws Exception {
        UUID tenant = UUID.randomUUID();
        // valid(…, 0 documents, 2 chunks): the chunks name documents the bundle does not hold.
        JsonNode done = importBundle(tenant, BundleForge.valid(TestKeys.a(), 0, 2).build(), trust(TestKeys.a()));
        assertEquals("rejected", done.get("status").asText(), done.toString());
        assertTrue(codes(done).contains("chunk_document_missing"), done.toString());
        assertEquals(List.of(0, 0), counts(tenant));
    }

    @Test
    void import_sourceTenantTrust_usesThatTenantsPublishedKeys() throws Exception {
        UUID source = UUID.randomUUID();
        UUID tenant = UUID.randomUUID();
        TenantSigningKey key = TestKeys.generate(io.frostbyte.export.signing.KeyAlgorithm.ED25519, "Source <s@frostbyte.invalid>");
        publishKey(source, key, false);
        BundleForge f = BundleForge.valid(key, 1, 1);
        ObjectNode body = JSON.createObjectNode();
        body.put("source_tenant_id", source.toString());
        JsonNode done = importBundle(tenant, f.build(), body);
        // The bundle's manifest names its own tenant, not `source`: trusting a tenant's keys pins that tenant.
        assertEquals("rejected", done.get("status").asText(), done.toString());
        assertTrue(codes(done).contains("tenant_mismatch"), done.toString());
        body.put("expect_source_tenant", f.tenantId.toString());
        JsonNode pinned = importBundle(tenant, f.build(), body);
        assertEquals("completed", pinned.get("status").asText(), pinned.toString());
        assertEquals(key.fingerprint(), pinned.get("signer_fingerprint").asText());
        assertEquals(f.tenantId.toString(), pinned.get("source_tenant_id").asText());
        assertEquals(f.exportId.toString(), pinned.get("source_export_id").asText());
    }

    // ---- a red-team pass: each finding is a case ----

    /** A validly signed bundle of the given document and chunk files (JSON text with %TENANT% for the source tenant). */
    static byte[] signed(TenantSigningKey key, UUID source, Map<UUID, String> documents, Map<UUID, String> chunks) throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (io.frostbyte.export.bundle.BundleWriter w = io.frostbyte.export.bundle.BundleWriter.builder().exportId(UUID.randomUUID())
                .tenantId(source).createdAt(TestKeys.CREATED).includeChunks(!chunks.isEmpty()).signingKey(key).open(out)) {
            java.util.Comparator<UUID> byText = java.util.Comparator.comparing(UUID::toString);
            java.util.TreeMap<UUID, String> sortedChunks = new java.util.TreeMap<>(byText);
            sortedChunks.putAll(chunks);
            java.util.TreeMap<UUID, String> sortedDocuments = new java.util.TreeMap<>(byText);
            sortedDocuments.putAll(documents);
            for (var c : sortedChunks.entrySet()) {
                w.addChunk(c.getKey(), c.getValue().replace("%TENANT%", source.toString()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            for (var d : sortedDocuments.entrySet()) {
                w.addDocument(d.getKey(), d.getValue().replace("%TENANT%", source.toString()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            w.finish();
        }
        return out.toByteArray();
    }

    /** A document file with every column, as the service writes it; members in {@code extra} replace the defaults here. */
    static String doc(UUID id, String extra) {
        return "{\"content\":\"body\",\"id\":\"" + id + "\",\"tenant_id\":\"%TENANT%\",\"title\":\"t\""
                + unless(extra, "source_uri", "null") + unless(extra, "content_type", "\"text/plain\"") + unless(extra, "metadata", "{}")
                + unless(extra, "created_at", "\"2026-11-01T10:00:00Z\"") + unless(extra, "updated_at", "\"2026-11-01T10:00:00Z\"")
                + extra + "}";
    }

    static String chunk(UUID id, UUID document, int index) {
        return "{\"chunk_id\":\"" + id + "\",\"chunk_index\":" + index + ",\"document_id\":\"" + document
                + "\",\"tenant_id\":\"%TENANT%\",\"text\":\"x\",\"token_count\":1,\"metadata\":{},\"created_at\":\"2026-11-01T10:00:00Z\"}";
    }

    /** {@code ,"member":value} unless {@code extra} sets the member itself. */
    private static String unless(String extra, String member, String value) {
        return extra.contains("\"" + member + "\"") ? "" : ",\"" + member + "\":" + value;
    }

    @Test
    void import_valuesPostgresCannotHold_rejectedNotRetried() throws Exception {
        for (String extra : List.of(",\"created_at\":\"+999999999-12-31T23:59:59Z\"", ",\"created_at\":\"-5000-01-01T00:00:00Z\"",
                ",\"created_at\":\"2026-01-01T00:00:00+05:00\"", ",\"created_at\":\"2026-01-01T00:00:00.123456789Z\"",
                ",\"metadata\":{\"x\":1e-20000}")) {
            UUID tenant = UUID.randomUUID();
            JsonNode done = importBundle(tenant, signed(TestKeys.a(), UUID.randomUUID(), Map.of(UUID.randomUUID(), doc(UUID.randomUUID(), extra)), Map.of()),
                    trust(TestKeys.a()));
            assertEquals("rejected", done.get("status").asText(), extra + ": " + done);
            assertEquals(1, done.get("attempts").asInt(), extra);
            assertFalse(done.toString().contains("insert into"), "no SQL reaches the caller: " + done);
            assertEquals(List.of(0, 0), counts(tenant));
        }
    }

    @Test
    void import_v1FileWithoutAColumnOrWithALeapSecond_rejectedNothingWritten() throws Exception {
        UUID id = UUID.randomUUID();
        String full = doc(id, "");
        UUID chunkId = UUID.randomUUID();
        String fullChunk = chunk(chunkId, id, 0);
        List<String[]> variants = List.of(
                new String[] {full.replace(",\"content_type\":\"text/plain\"", ""), fullChunk},
                new String[] {full.replace("\"metadata\":{}", "\"metadata\":null"), fullChunk},
                new String[] {full.replace(",\"source_uri\":null", ""), fullChunk},
                new String[] {full.replace(",\"updated_at\":\"2026-11-01T10:00:00Z\"", ""), fullChunk},
                new String[] {full.replace("\"created_at\":\"2026-11-01T10:00:00Z\"", "\"created_at\":\"2026-12-31T23:59:60Z\""), fullChunk},
                new String[] {full, fullChunk.replace(",\"token_count\":1", "")},
                new String[] {full, fullChunk.replace("\"created_at\":\"2026-11-01T10:00:00Z\"", "\"created_at\":null")});
        for (String[] v : variants) {
            UUID tenant = UUID.randomUUID();
            JsonNode done = importBundle(tenant, signed(TestKeys.a(), UUID.randomUUID(), Map.of(id, v[0]), Map.of(chunkId, v[1])),
                    trust(TestKeys.a()));
            assertEquals("rejected", done.get("status").asText(), v[0] + v[1] + ": " + done);
            assertTrue(codes(done).contains("content_invalid"), done.toString());
            assertEquals(List.of(0, 0), counts(tenant));
        }
        // The same files whole: completed.
        UUID tenant = UUID.randomUUID();
        JsonNode done = importBundle(tenant, signed(TestKeys.a(), UUID.randomUUID(), Map.of(id, full), Map.of(chunkId, fullChunk)),
                trust(TestKeys.a()));
        assertEquals("completed", done.get("status").asText(), done.toString());
        assertEquals(List.of(1, 1), counts(tenant));
    }

    @Test
    void import_earlyDatesAndLiteralBackslashU0000_storedExactly() throws Exception {
        UUID tenant = UUID.randomUUID();
        UUID source = UUID.randomUUID();
        UUID id = UUID.randomUUID();
        JsonNode done = importBundle(tenant, signed(TestKeys.a(), source, Map.of(id, doc(id,
                ",\"created_at\":\"1000-01-01T00:00:00Z\",\"updated_at\":\"1582-10-10T12:00:00.000001Z\",\"metadata\":{\"k\":\"a\\\\u0000b\"}")),
                Map.of()), trust(TestKeys.a()));
        assertEquals("completed", done.get("status").asText(), done.toString());
        try (Connection c = db.connection();
                PreparedStatement ps = c.prepareStatement("select to_char(created_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS'),"
                        + " to_char(updated_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS.US'), metadata->>'k' from documents where id = ?")) {
            ps.setObject(1, ImportedRows.targetId(tenant, source, ImportedRows.Kind.DOCUMENT, id));
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                assertEquals("1000-01-01 00:00:00", rs.getString(1));
                assertEquals("1582-10-10 12:00:00.000001", rs.getString(2));
                assertEquals("a\\u0000b", rs.getString(3));
            }
        }
    }

    @Test
    void import_twoChunksAtOneIndex_rejectedInEveryMode() throws Exception {
        UUID doc = UUID.randomUUID();
        Map<UUID, String> chunks = new HashMap<>();
        for (int i = 0; i < 2; i++) {
            UUID id = UUID.randomUUID();
            chunks.put(id, chunk(id, doc, 0));
        }
        byte[] bundle = signed(TestKeys.a(), UUID.randomUUID(), Map.of(doc, doc(doc, "")), chunks);
        for (String mode : List.of("fail", "skip", "replace")) {
            UUID tenant = UUID.randomUUID();
            ObjectNode body = trust(TestKeys.a());
            body.put("on_conflict", mode);
            JsonNode done = importBundle(tenant, bundle, body);
            assertEquals("rejected", done.get("status").asText(), mode + ": " + done);
            assertTrue(done.toString().contains("second chunk at index 0"), done.toString());
            assertEquals(List.of(0, 0), counts(tenant));
        }
    }

    @Test
    void import_keysAndSourceTenant_bundleClaimingTheSourceMustBeSignedByItsPublishedKey() throws Exception {
        UUID source = UUID.randomUUID();
        TenantSigningKey sourceKey = TestKeys.generate(io.frostbyte.export.signing.KeyAlgorithm.ED25519, "S <s@frostbyte.invalid>");
        publishKey(source, sourceKey, false);
        UUID id = UUID.randomUUID();
        ObjectNode body = trust(TestKeys.b());
        body.put("source_tenant_id", source.toString());
        // Signed by B (trusted through public_keys), claiming to be the source tenant's data.
        JsonNode forged = importBundle(UUID.randomUUID(), signed(TestKeys.b(), source, Map.of(id, doc(id, "")), Map.of()), body);
        assertEquals("rejected", forged.get("status").asText(), forged.toString());
        assertTrue(codes(forged).contains("signer_not_source_tenant"), forged.toString());
        // Signed by B for another tenant: the source tenant is pinned although public_keys came along.
        JsonNode other = importBundle(UUID.randomUUID(), signed(TestKeys.b(), UUID.randomUUID(), Map.of(id, doc(id, "")), Map.of()), body);
        assertTrue(codes(other).contains("tenant_mismatch"), other.toString());
        JsonNode genuine = importBundle(UUID.randomUUID(), signed(sourceKey, source, Map.of(id, doc(id, "")), Map.of()), body);
        assertEquals("completed", genuine.get("status").asText(), genuine.toString());
        // The same forgery without source_tenant_id: the claimed tenant is still this deployment's, so B cannot speak for it.
        UUID target = UUID.randomUUID();
        JsonNode unnamed = importBundle(target, signed(TestKeys.b(), source, Map.of(id, doc(id, "")), Map.of()), trust(TestKeys.b()));
        assertEquals("rejected", unnamed.get("status").asText(), unnamed.toString());
        assertTrue(codes(unnamed).contains("signer_not_source_tenant"), unnamed.toString());
        assertEquals(List.of(0, 0), counts(target));
        // A key of that tenant which this deployment has revoked, given without its revocation: still not the tenant's.
        TenantSigningKey leaked = TestKeys.generate(io.frostbyte.export.signing.KeyAlgorithm.ED25519, "L <l@frostbyte.invalid>");
        publishKey(source, leaked, true);
        UUID victim = UUID.randomUUID();
        JsonNode revoked = importBundle(victim, signed(leaked, source, Map.of(id, doc(id, "")), Map.of()), trust(leaked));
        assertEquals("rejected", revoked.get("status").asText(), revoked.toString());
        assertTrue(codes(revoked).contains("key_revoked"), revoked.toString());
        assertEquals(List.of(0, 0), counts(victim));
        // A tenant this deployment publishes no keys for (another deployment's): public_keys vouch for it.
        JsonNode foreign = importBundle(UUID.randomUUID(), signed(TestKeys.b(), UUID.randomUUID(), Map.of(id, doc(id, "")), Map.of()),
                trust(TestKeys.b()));
        assertEquals("completed", foreign.get("status").asText(), foreign.toString());
    }

    @Test
    void import_skipOverAnIdHeldByAnotherTenant_rejectedNothingLinked() throws Exception {
        UUID tenant = UUID.randomUUID();
        UUID squatter = UUID.randomUUID();
        UUID source = UUID.randomUUID();
        UUID doc = UUID.randomUUID();
        UUID derived = ImportedRows.targetId(tenant, source, ImportedRows.Kind.DOCUMENT, doc);
        try (Connection c = db.connection();
                PreparedStatement ps = c.prepareStatement("insert into documents (id, tenant_id, title, content) values (?, ?, 'x', 'x')")) {
            ps.setObject(1, derived);
            ps.setObject(2, squatter);
            ps.executeUpdate();
        }
        UUID chunkId = UUID.randomUUID();
        byte[] bundle = signed(TestKeys.a(), source, Map.of(doc, doc(doc, "")), Map.of(chunkId, chunk(chunkId, doc, 0)));
        for (String mode : List.of("skip", "fail", "replace")) {
            ObjectNode body = trust(TestKeys.a());
            body.put("on_conflict", mode);
            JsonNode done = importBundle(tenant, bundle, body);
            assertEquals("rejected", done.get("status").asText(), mode + ": " + done);
            assertTrue(codes(done).contains("conflict"), done.toString());
            assertEquals(List.of(0, 0), counts(tenant));
            assertEquals(List.of(1, 0), counts(squatter));
        }
    }

    @Test
    void import_smallUploadExpandingPastTheCap_rejectedBeforeStaging() throws Exception {
        ImportWorker strict = new ImportWorker(new ImportRepository(db), new S3ImportStore(s3, Moto.presigner(), bucket),
                new TenantKeyRepository(db), new ImportWorker.Settings(Duration.ofMinutes(15), 3, Duration.ofMinutes(5), 20, 1L << 30));
        UUID tenant = UUID.randomUUID();
        Map<UUID, String> docs = new HashMap<>();
        for (int i = 0; i < 3; i++) {
            UUID id = UUID.randomUUID();
            docs.put(id, "{\"content\":\"" + "a".repeat(200_000) + "\",\"id\":\"" + id + "\",\"tenant_id\":\"%TENANT%\",\"title\":\"t\"}");
        }
        byte[] bundle = signed(TestKeys.a(), UUID.randomUUID(), docs, Map.of());
        JsonNode created = create(tenant, body(bundle, trust(TestKeys.a())));
        assertEquals(200, upload(created, bundle));
        new ImportWorkerHandler(strict).handleRequest(s3Event("imports/" + tenant + "/" + created.get("import_id").asText() + ".tar.gz"), null);
        JsonNode done = get(tenant, UUID.fromString(created.get("import_id").asText()));
        assertEquals("rejected", done.get("status").asText(), done.toString());
        assertTrue(codes(done).contains("import_too_large"), done.toString());
        assertEquals(List.of(0, 0), counts(tenant));
    }

    @Test
    void sweep_manyNeverUploadedImportsOfOneTenant_doNotHoldUpAnotherTenantsLostEvent() throws Exception {
        UUID flooder = UUID.randomUUID();
        for (int i = 0; i < 120; i++) create(flooder, body(new byte[] {1}, trust(TestKeys.a())));
        UUID tenant = UUID.randomUUID();
        byte[] bundle = BundleForge.valid(TestKeys.a(), 1, 1).build();
        JsonNode created = create(tenant, body(bundle, trust(TestKeys.a())));
        assertEquals(200, upload(created, bundle)); // and S3's event never arrives
        worker.sweep();
        JsonNode done = get(tenant, UUID.fromString(created.get("import_id").asText()));
        assertEquals("completed", done.get("status").asText(), done.toString());
    }

    // ---- helpers ----

    static ObjectNode trust(TenantSigningKey key) throws Exception {
        ObjectNode n = JSON.createObjectNode();
        n.putArray("public_keys").add(key.armoredPublicKey());
        return n;
    }

    ObjectNode gpgTrust() throws Exception {
        startGpg();
        ObjectNode n = JSON.createObjectNode();
        n.putArray("public_keys").add(gpg.exportPublic(gpgFingerprint));
        return n;
    }

    static synchronized void startGpg() throws Exception {
        if (gpg != null) return;
        gpg = new Gpg();
        gpgFingerprint = gpg.generateKey("ed25519", "Legacy Signer <legacy@frostbyte.invalid>");
    }

    /** Publishes {@code key} for {@code tenant} as the key service would: active, or revoked as compromised with its revocation attached. */
    static void publishKey(UUID tenant, TenantSigningKey key, boolean revoked) throws Exception {
        try (Connection c = db.connection();
                PreparedStatement ps = c.prepareStatement("insert into tenant_keys (tenant_id, fingerprint, algorithm, public_key, status,"
                        + " revoked_at, revocation_reason) values (?, ?, 'ed25519', ?, ?, ?, ?)")) {
            ps.setObject(1, tenant);
            ps.setString(2, key.fingerprint());
            ps.setString(3, revoked ? io.frostbyte.export.signing.Revocations.attach(key.armoredPublicKey(),
                    key.revocation(io.frostbyte.export.signing.RevocationReason.COMPROMISED, java.time.Instant.now())) : key.armoredPublicKey());
            ps.setString(4, revoked ? "revoked" : "active");
            ps.setObject(5, revoked ? java.time.OffsetDateTime.now() : null, java.sql.Types.TIMESTAMP_WITH_TIMEZONE);
            ps.setString(6, revoked ? "compromised" : null);
            ps.executeUpdate();
        }
    }

    /** A PRD v0 bundle as the original Python plan wrote it (clearsigned with GnuPG), 4 documents; {@code extra}: make_bundle.py options. */
    byte[] legacyBundle(String... extra) throws Exception {
        startGpg();
        Path script = dir.resolve("make_bundle.py");
        try (var in = ImportIT.class.getResourceAsStream("/peers/make_bundle.py")) {
            Files.copy(in, script, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        Path out = dir.resolve("legacy.tar.gz");
        List<String> cmd = new java.util.ArrayList<>(List.of("python3", script.toString(), "legacy", "--gnupghome", gpg.home().toString(),
                "--key", gpgFingerprint, "--tenant", UUID.randomUUID().toString(), "--export", UUID.randomUUID().toString(), "--docs", "4",
                "--out", out.toString()));
        cmd.addAll(List.of(extra));
        Gpg.Result r = Gpg.exec(cmd, dir);
        assertEquals(0, r.exit(), r.stderr());
        return Files.readAllBytes(out);
    }

    static String body(byte[] bundle, ObjectNode trust) {
        ObjectNode b = trust.deepCopy();
        b.put("size", bundle.length);
        b.put("sha256", BundleForge.sha256(bundle));
        return b.toString();
    }

    /** Create, upload to the pre-signed URL, deliver S3's event to the worker handler, read the import back. */
    JsonNode importBundle(UUID tenant, byte[] bundle, ObjectNode trust) throws Exception {
        JsonNode created = create(tenant, body(bundle, trust));
        assertEquals(200, upload(created, bundle));
        String key = "imports/" + tenant + "/" + created.get("import_id").asText() + ".tar.gz";
        new ImportWorkerHandler(worker).handleRequest(s3Event(key), null);
        return get(tenant, UUID.fromString(created.get("import_id").asText()));
    }

    static JsonNode create(UUID tenant, String body) throws Exception {
        APIGatewayProxyResponseEvent r = new CreateImportHandler(service).handleRequest(createEvent(tenant, body), null);
        assertEquals(202, r.getStatusCode(), r.getBody());
        JsonNode n = JSON.readTree(r.getBody());
        assertEquals("/tenants/" + tenant + "/imports/" + n.get("import_id").asText(), r.getHeaders().get("Location"));
        assertEquals("awaiting_upload", n.get("status").asText());
        assertTrue(n.get("upload_headers").isObject());
        return n;
    }

    static JsonNode get(UUID tenant, UUID importId) throws Exception {
        APIGatewayProxyResponseEvent r = new GetImportHandler(service).handleRequest(getEvent(tenant, tenant, importId), null);
        assertEquals(200, r.getStatusCode(), r.getBody());
        return JSON.readTree(r.getBody());
    }

    static APIGatewayProxyRequestEvent createEvent(UUID tenant, String body) {
        APIGatewayProxyRequestEvent e = Events.apiGateway("create-import.json");
        e.setPathParameters(Map.of("tenant_id", tenant.toString()));
        e.getRequestContext().setAuthorizer(Map.of("claims", Map.of("tenant_id", tenant.toString())));
        e.setBody(body);
        return e;
    }

    static APIGatewayProxyRequestEvent getEvent(UUID caller, UUID pathTenant, UUID importId) {
        APIGatewayProxyRequestEvent e = Events.apiGateway("get-import.json");
        e.setPathParameters(Map.of("tenant_id", pathTenant.toString(), "import_id", importId.toString()));
        e.getRequestContext().setAuthorizer(Map.of("claims", Map.of("tenant_id", caller.toString())));
        return e;
    }

    static Map<String, Object> s3Event(String key) {
        Map<String, Object> event = Events.map("s3-import-uploaded.json");
        @SuppressWarnings("unchecked")
        Map<String, Object> record = new HashMap<>((Map<String, Object>) ((List<?>) event.get("Records")).get(0));
        @SuppressWarnings("unchecked")
        Map<String, Object> s3 = new HashMap<>((Map<String, Object>) record.get("s3"));
        s3.put("object", Map.of("key", key));
        record.put("s3", s3);
        return Map.of("Records", List.of(record));
    }

    /** PUT to the upload URL with the headers the API said to send. */
    static int upload(JsonNode created, byte[] body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(created.get("upload_url").asText()))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body));
        created.get("upload_headers").fields().forEachRemaining(h -> {
            if (!h.getKey().equalsIgnoreCase("content-length")) b.header(h.getKey(), h.getValue().asText());
        });
        return LocalStack.HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    /** A body of another length than the signed one: the client library would refuse to lie in Content-Length, so send it raw. */
    static int uploadRaw(JsonNode created, byte[] body) throws Exception {
        try {
            return upload(created, body);
        } catch (java.io.IOException e) {
            return -1;
        }
    }

    static List<String> codes(JsonNode done) {
        List<String> codes = new ArrayList<>();
        done.path("errors").forEach(e -> codes.add(e.path("code").asText()));
        return codes;
    }

    static List<Integer> counts(UUID tenant) throws Exception {
        return countsIn(db, tenant);
    }

    static List<Integer> countsIn(Database db, UUID tenant) throws Exception {
        try (Connection c = db.connection();
                PreparedStatement ps = c.prepareStatement("select (select count(*) from documents where tenant_id = ?),"
                        + " (select count(*) from chunks where tenant_id = ?)")) {
            ps.setObject(1, tenant);
            ps.setObject(2, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return List.of(rs.getInt(1), rs.getInt(2));
            }
        }
    }

    static int titles(UUID tenant, String title) throws Exception {
        try (Connection c = db.connection();
                PreparedStatement ps = c.prepareStatement("select count(*) from documents where tenant_id = ? and title = ?")) {
            ps.setObject(1, tenant);
            ps.setString(2, title);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
