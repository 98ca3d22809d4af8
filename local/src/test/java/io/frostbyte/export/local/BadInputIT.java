package io.frostbyte.export.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.frostbyte.export.db.Database;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every route's bad inputs end in the documented status with a problem body and write nothing;
 * every status seen is declared for its route in docs/openapi.yaml, and the document's routes are
 * the template's.
 */
class BadInputIT {
    static Database db;
    static LocalStack stack;
    static final UUID TENANT = UUID.randomUUID();
    static final UUID OTHER = UUID.randomUUID();
    static List<UUID> docs;
    static List<UUID> otherDocs;
    static JsonNode openapi;
    static final Set<String> SEEN = new HashSet<>();
    @TempDir static Path home;

    @BeforeAll
    static void start() throws Exception {
        db = LocalStack.database();
        docs = DemoData.seed(db, TENANT, 3, 5);
        otherDocs = DemoData.seed(db, OTHER, 2, 6);
        stack = LocalStack.start(home, Map.of("good", TENANT, "other", OTHER),
                Map.of("FROSTBYTE_LOCAL_TOKENS", "good=" + TENANT + ",other=" + OTHER + ",good-admin=" + TENANT + ":admin"));
        openapi = new ObjectMapper(new YAMLFactory()).readTree(LocalStack.root().resolve("docs/openapi.yaml").toFile());
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
    }

    static String ids(Object... values) {
        StringBuilder b = new StringBuilder("{\"document_ids\":[");
        for (int i = 0; i < values.length; i++) {
            if (i > 0) b.append(',');
            b.append(values[i] instanceof String s && !s.startsWith("#") ? "\"" + s + "\"" : String.valueOf(values[i]).replace("#", ""));
        }
        return b.append("]}").toString();
    }

    static Stream<Arguments> createCases() {
        String d0 = docs.get(0).toString();
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 1001; i++) many.add("\"" + UUID.randomUUID() + "\"");
        return Stream.of(
                Arguments.of("malformed JSON", "good", TENANT, "{\"document_ids\": [", 400),
                Arguments.of("not an object", "good", TENANT, "[\"" + d0 + "\"]", 400),
                Arguments.of("empty body", "good", TENANT, "", 400),
                Arguments.of("document_ids is a string", "good", TENANT, "{\"document_ids\": \"" + d0 + "\"}", 400),
                Arguments.of("document_ids holds a number", "good", TENANT, ids("#42"), 400),
                Arguments.of("include_chunks is a string", "good", TENANT, "{\"document_ids\":[\"" + d0 + "\"],\"include_chunks\":\"yes\"}", 400),
                Arguments.of("non-UUID id", "good", TENANT, ids("not-a-uuid"), 400),
                Arguments.of("empty list", "good", TENANT, "{\"document_ids\":[]}", 400),
                Arguments.of("missing document_ids", "good", TENANT, "{\"include_chunks\":true}", 400),
                Arguments.of("duplicates", "good", TENANT, ids(d0, d0), 400),
                Arguments.of("over the limit", "good", TENANT, "{\"document_ids\":[" + String.join(",", many) + "]}", 400),
                Arguments.of("unknown field", "good", TENANT, "{\"document_ids\":[\"" + d0 + "\"],\"format\":\"zip\"}", 400),
                Arguments.of("duplicate member", "good", TENANT, "{\"document_ids\":[\"" + d0 + "\"],\"document_ids\":[]}", 400),
                Arguments.of("body too large", "good", TENANT, "{\"document_ids\":[\"" + d0 + "\"],\"pad\":\"" + "x".repeat(300_000) + "\"}", 413),
                Arguments.of("missing auth", null, TENANT, ids(d0), 401),
                Arguments.of("unknown token", "nobody", TENANT, ids(d0), 401),
                Arguments.of("foreign tenant in path", "other", TENANT, ids(d0), 403),
                Arguments.of("non-UUID tenant in path", "good", "acme", ids(d0), 404),
                Arguments.of("unknown document", "good", TENANT, ids(UUID.randomUUID().toString()), 422),
                Arguments.of("another tenant's document", "good", TENANT, ids(d0, otherDocs.get(0).toString()), 422),
                Arguments.of("ids and a selection", "good", TENANT, "{\"document_ids\":[\"" + d0 + "\"],\"selection\":{\"all\":true}}", 400),
                Arguments.of("empty selection object", "good", TENANT, "{\"selection\":{}}", 400),
                Arguments.of("selection with an unknown filter", "good", TENANT, "{\"selection\":{\"owner\":\"me\"}}", 400),
                Arguments.of("selection matching nothing", "good", TENANT, "{\"selection\":{\"content_type\":\"application/x-none\"}}", 422));
    }

    @ParameterizedTest(name = "POST exports: {0} -> {4}")
    @MethodSource("createCases")
    void createExport_badInput_documentedProblemAndNothingWritten(String name, String token, Object tenant, String body, int status)
            throws Exception {
        long jobsBefore = jobCount();
        var queuedBefore = queued();
        HttpResponse<String> r = stack.send("POST", "/tenants/" + tenant + "/exports", token, body);
        assertProblem(r, status, "/tenants/{tenant_id}/exports", "post");
        assertEquals(jobsBefore, jobCount(), name + ": a rejected request wrote an export job");
        assertTrue(queuedBefore.containsAll(queued()), name + ": a rejected request queued a job");
    }

    @Test
    void createExport_badIdempotencyKeyOrReuse_400And422() throws Exception {
        HttpResponse<String> bad = stack.send("POST", "/tenants/" + TENANT + "/exports", "good", ids(docs.get(0).toString()),
                "Idempotency-Key", "x".repeat(300));
        assertProblem(bad, 400, "/tenants/{tenant_id}/exports", "post");
        String key = UUID.randomUUID().toString();
        HttpResponse<String> first = stack.send("POST", "/tenants/" + TENANT + "/exports", "good", ids(docs.get(0).toString()), "Idempotency-Key", key);
        HttpResponse<String> again = stack.send("POST", "/tenants/" + TENANT + "/exports", "good", ids(docs.get(0).toString()), "Idempotency-Key", key);
        assertEquals(202, first.statusCode(), first.body());
        assertEquals(202, again.statusCode(), again.body());
        assertEquals(Flows.json(first).get("export_id"), Flows.json(again).get("export_id"));
        assertEquals("true", again.headers().firstValue("Idempotent-Replayed").orElse(""));
        SEEN.add("post /tenants/{tenant_id}/exports 202");
        long before = jobCount();
        HttpResponse<String> reused = stack.send("POST", "/tenants/" + TENANT + "/exports", "good", ids(docs.get(1).toString()), "Idempotency-Key", key);
        assertProblem(reused, 422, "/tenants/{tenant_id}/exports", "post");
        assertEquals(before, jobCount());
    }

    static Stream<Arguments> getCases() {
        return Stream.of(
                Arguments.of("non-UUID export id", "good", TENANT, "nope", 404),
                Arguments.of("unknown export", "good", TENANT, UUID.randomUUID(), 404),
                Arguments.of("missing auth", null, TENANT, UUID.randomUUID(), 401),
                Arguments.of("foreign tenant in path", "other", TENANT, UUID.randomUUID(), 403));
    }

    @ParameterizedTest(name = "GET export: {0} -> {4}")
    @MethodSource("getCases")
    void getExport_badInput_documentedProblem(String name, String token, UUID tenant, Object export, int status) throws Exception {
        assertProblem(stack.send("GET", "/tenants/" + tenant + "/exports/" + export, token, null), status,
                "/tenants/{tenant_id}/exports/{export_id}", "get");
    }

    static Stream<Arguments> importCases() throws Exception {
        String key = io.frostbyte.export.testing.TestKeys.a().armoredPublicKey().replace("\n", "\\n");
        String sha = "\"sha256\":\"" + "ab".repeat(32) + "\"";
        String keys = "\"public_keys\":[\"" + key + "\"]";
        return Stream.of(
                Arguments.of("malformed JSON", "good", TENANT, "{\"size\": 10,", 400),
                Arguments.of("empty body", "good", TENANT, "", 400),
                Arguments.of("not an object", "good", TENANT, "[1]", 400),
                Arguments.of("missing size", "good", TENANT, "{" + sha + "," + keys + "}", 400),
                Arguments.of("size is a string", "good", TENANT, "{\"size\":\"10\"," + sha + "," + keys + "}", 400),
                Arguments.of("size zero", "good", TENANT, "{\"size\":0," + sha + "," + keys + "}", 400),
                Arguments.of("sha256 not hex", "good", TENANT, "{\"size\":10,\"sha256\":\"xyz\"," + keys + "}", 400),
                Arguments.of("nobody to trust", "good", TENANT, "{\"size\":10," + sha + "}", 400),
                Arguments.of("public key is garbage", "good", TENANT, "{\"size\":10," + sha + ",\"public_keys\":\"hello\"}", 400),
                Arguments.of("armor without a key", "good", TENANT, "{\"size\":10," + sha
                        + ",\"public_keys\":\"-----BEGIN PGP PUBLIC KEY BLOCK-----\\n\\nAAAA\\n-----END PGP PUBLIC KEY BLOCK-----\"}", 400),
                Arguments.of("source tenant not a UUID", "good", TENANT, "{\"size\":10," + sha + ",\"source_tenant_id\":\"acme\"}", 400),
                Arguments.of("bad fingerprint pin", "good", TENANT, "{\"size\":10," + sha + "," + keys + ",\"signer_fingerprint\":\"ABC\"}", 400),
                Arguments.of("bad on_conflict", "good", TENANT, "{\"size\":10," + sha + "," + keys + ",\"on_conflict\":\"merge\"}", 400),
                Arguments.of("legacy_accept is a string", "good", TENANT, "{\"size\":10," + sha + "," + keys + ",\"legacy_accept\":\"yes\"}", 400),
                Arguments.of("unknown field", "good", TENANT, "{\"size\":10," + sha + "," + keys + ",\"mode\":\"fast\"}", 400),
                Arguments.of("duplicate member", "good", TENANT, "{\"size\":10,\"size\":11," + sha + "," + keys + "}", 400),
                Arguments.of("declared size over the cap", "good", TENANT, "{\"size\":6000000000," + sha + "," + keys + "}", 413),
                Arguments.of("body too large", "good", TENANT, "{\"size\":10," + sha + ",\"pad\":\"" + "x".repeat(300_000) + "\"}", 413),
                Arguments.of("missing auth", null, TENANT, "{\"size\":10," + sha + "," + keys + "}", 401),
                Arguments.of("foreign tenant in path", "other", TENANT, "{\"size\":10," + sha + "," + keys + "}", 403),
                Arguments.of("non-UUID tenant in path", "good", "acme", "{\"size\":10," + sha + "," + keys + "}", 404));
    }

    @ParameterizedTest(name = "POST imports: {0} -> {4}")
    @MethodSource("importCases")
    void createImport_badInput_documentedProblemAndNothingWritten(String name, String token, Object tenant, String body, int status)
            throws Exception {
        long before = importCount();
        HttpResponse<String> r = stack.send("POST", "/tenants/" + tenant + "/imports", token, body);
        assertProblem(r, status, "/tenants/{tenant_id}/imports", "post");
        assertEquals(before, importCount(), name + ": a rejected request wrote an import");
    }

    @Test
    void getImport_badInput_documentedProblems() throws Exception {
        String route = "/tenants/{tenant_id}/imports/{import_id}";
        assertProblem(stack.send("GET", "/tenants/" + TENANT + "/imports/nope", "good", null), 404, route, "get");
        assertProblem(stack.send("GET", "/tenants/" + TENANT + "/imports/" + UUID.randomUUID(), "good", null), 404, route, "get");
        assertProblem(stack.send("GET", "/tenants/" + TENANT + "/imports/" + UUID.randomUUID(), null, null), 401, route, "get");
        assertProblem(stack.send("GET", "/tenants/" + TENANT + "/imports/" + UUID.randomUUID(), "other", null), 403, route, "get");
    }

    static long importCount() throws Exception {
        try (Connection c = db.connection();
                PreparedStatement ps = c.prepareStatement("select count(*) from imports where tenant_id = any(?)")) {
            ps.setArray(1, c.createArrayOf("uuid", new Object[] {TENANT, OTHER}));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Test
    void keyRoutes_badInput_documentedProblemsAndNoKeyChanged() throws Exception {
        String rotate = "/tenants/{tenant_id}/keys";
        String revoke = "/tenants/{tenant_id}/keys/{fingerprint}/revoke";
        String fpr = "0123456789ABCDEF0123456789ABCDEF01234567";
        assertProblem(stack.send("POST", "/tenants/" + TENANT + "/keys", null, null), 401, rotate, "post");
        assertProblem(stack.send("POST", "/tenants/" + TENANT + "/keys", "good", null), 403, rotate, "post");
        assertProblem(stack.send("POST", "/tenants/" + OTHER + "/keys", "good-admin", null), 403, rotate, "post");
        assertProblem(stack.send("POST", "/tenants/acme/keys", "good-admin", null), 404, rotate, "post");
        assertProblem(stack.send("POST", "/tenants/" + TENANT + "/keys", "good-admin", "{\"algorithm\":\"rsa\"}"), 400, rotate, "post");
        String reason = "{\"reason\":\"compromised\"}";
        assertProblem(stack.send("POST", "/tenants/" + TENANT + "/keys/" + fpr + "/revoke", null, reason), 401, revoke, "post");
        assertProblem(stack.send("POST", "/tenants/" + TENANT + "/keys/" + fpr + "/revoke", "good", reason), 403, revoke, "post");
        assertProblem(stack.send("POST", "/tenants/" + TENANT + "/keys/not-hex/revoke", "good-admin", reason), 404, revoke, "post");
        assertProblem(stack.send("POST", "/tenants/" + TENANT + "/keys/" + fpr + "/revoke", "good-admin", reason), 404, revoke, "post");
        for (String bad : new String[] {"", "{}", "{\"reason\":\"lost\"}", "{\"reason\":2}", "{\"reason\":\"compromised\",\"x\":1}", "[", "null"}) {
            assertProblem(stack.send("POST", "/tenants/" + TENANT + "/keys/" + fpr + "/revoke", "good-admin", bad), 400, revoke, "post");
        }
        try (Connection c = db.connection();
                PreparedStatement ps = c.prepareStatement("select count(*) from key_audit where tenant_id = any(?) and action in ('rotate', 'revoke')")) {
            ps.setArray(1, c.createArrayOf("uuid", new Object[] {TENANT, OTHER}));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertEquals(0, rs.getLong(1), "a refused request changed a key");
            }
        }
    }

    @Test
    void publicKey_badInput_documentedProblems() throws Exception {
        String route = "/tenants/{tenant_id}/public-key";
        assertProblem(stack.send("GET", "/tenants/" + TENANT + "/public-key", null, null), 401, route, "get");
        assertProblem(stack.send("GET", "/tenants/" + TENANT + "/public-key", "other", null), 403, route, "get");
        // A tenant without exports has no key yet.
        assertProblem(stack.send("GET", "/tenants/" + OTHER + "/public-key", "other", null), 404, route, "get");
    }

    @Test
    void unknownRouteAndMethod_problems() throws Exception {
        HttpResponse<String> r = stack.send("DELETE", "/tenants/" + TENANT + "/exports", "good", null);
        assertEquals(405, r.statusCode());
        assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""));
        assertEquals("POST", r.headers().firstValue("Allow").orElse(""), "405 says what is allowed");
        assertTrue(Flows.json(r).path("request_id").isTextual(), r.body());
        assertTrue(Flows.json(stack.send("GET", "/nothing/here", "good", null)).path("request_id").isTextual(), "404 without a route");
        HttpResponse<String> head = stack.send("HEAD", "/tenants/" + TENANT + "/public-key", "good", null);
        assertTrue(head.statusCode() == 200 || head.statusCode() == 404, "HEAD is a GET without the body: " + head.statusCode());
        assertEquals("", head.body());
        String malformed = rawStatusLine("/tenants/" + TENANT + "/exports/%zz");
        assertTrue(malformed.startsWith("HTTP/1.1 4"), "a malformed escape is the client's fault: " + malformed);
        String malformedQuery = rawStatusLine("/tenants/" + TENANT + "/public-key?x=%zz");
        assertTrue(malformedQuery.startsWith("HTTP/1.1 400"), "a malformed escape in the query is the client's fault: " + malformedQuery);
        HttpResponse<String> form = stack.send("POST", "/tenants/" + TENANT + "/exports", "good", ids(docs.get(0).toString()),
                "Content-Type", "text/plain");
        assertProblem(form, 415, "/tenants/{tenant_id}/exports", "post");
        HttpResponse<String> parameter = stack.send("POST", "/tenants/" + TENANT + "/exports", "good", ids(docs.get(0).toString()),
                "Content-Type", "application/json; charset=latin1");
        assertProblem(parameter, 415, "/tenants/{tenant_id}/exports", "post");
        // Bytes that are not UTF-8: refused, not read with U+FFFD in their place.
        HttpResponse<String> latin1 = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(stack.url("/tenants/" + TENANT + "/exports")))
                .header("Authorization", "Bearer good").header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(new byte[] {'{', '"', 'c', 'a', 'f', (byte) 0xe9, '"', ':', '1', '}'}))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertProblem(latin1, 400, "/tenants/{tenant_id}/exports", "post");
        assertTrue(latin1.body().contains("not valid UTF-8"), latin1.body());
        assertEquals(404, stack.send("GET", "/nothing/here", "good", null).statusCode());
    }

    @Test
    void openapi_routesAreTheTemplatesAndSuccessStatusesDeclared() throws Exception {
        Template template = Template.read(LocalStack.root().resolve("template.yaml"));
        Set<String> templateRoutes = new HashSet<>();
        template.functions().forEach(f -> f.routes().forEach(r -> templateRoutes.add(r.method().toLowerCase() + " " + r.path())));
        Set<String> documented = new HashSet<>();
        openapi.get("paths").fields().forEachRemaining(p -> p.getValue().fieldNames().forEachRemaining(m -> documented.add(m + " " + p.getKey())));
        assertEquals(templateRoutes, documented);
        assertTrue(openapi.at("/paths/~1tenants~1{tenant_id}~1exports/post/responses").has("202"));
        assertTrue(openapi.at("/paths/~1tenants~1{tenant_id}~1exports~1{export_id}/get/responses").has("200"));
        assertTrue(openapi.at("/paths/~1tenants~1{tenant_id}~1public-key/get/responses").has("200"));
        assertTrue(openapi.at("/paths/~1tenants~1{tenant_id}~1imports/post/responses").has("202"));
        assertTrue(openapi.at("/paths/~1tenants~1{tenant_id}~1keys/post/responses").has("201"));
        assertTrue(openapi.at("/paths/~1tenants~1{tenant_id}~1keys~1{fingerprint}~1revoke/post/responses").has("200"));
        assertTrue(openapi.at("/paths/~1tenants~1{tenant_id}~1imports~1{import_id}/get/responses").has("200"));
    }

    /** A request no Java HTTP client would send (a malformed %-escape), over a plain socket. */
    static String rawStatusLine(String path) throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", stack.port)) {
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer good\r\n"
                    + "Connection: close\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    java.nio.charset.StandardCharsets.US_ASCII)).readLine();
        }
    }

    static void assertProblem(HttpResponse<String> r, int status, String route, String method) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""), r.body());
        JsonNode p = Flows.json(r);
        assertEquals(status, p.get("status").asInt());
        assertTrue(p.hasNonNull("title") && p.hasNonNull("detail") && p.hasNonNull("type"), r.body());
        assertTrue(p.path("request_id").asText().matches("[0-9a-f-]{36}"), "every problem names its request: " + r.body());
        assertFalse(r.body().contains("Exception") || r.body().contains("\tat "), "stack trace leaked: " + r.body());
        String pointer = "/paths/" + route.replace("~", "~0").replace("/", "~1") + "/" + method + "/responses";
        assertTrue(openapi.at(pointer).has(String.valueOf(status)), method + " " + route + " answers " + status
                + " but docs/openapi.yaml does not declare it");
        SEEN.add(method + " " + route + " " + status);
    }

    static long jobCount() throws Exception {
        try (Connection c = db.connection();
                PreparedStatement ps = c.prepareStatement("select count(*) from export_jobs where tenant_id = any(?)")) {
            ps.setArray(1, c.createArrayOf("uuid", new Object[] {TENANT, OTHER}));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * The jobs in the queue, waiting or taken. Compared as sets: a job another test queued may finish
     * meanwhile (the set shrinks), but a rejected request must add none.
     */
    static java.util.Set<io.frostbyte.export.queue.JobQueue.Message> queued() {
        try (var q = stack.queue()) {
            java.util.Set<io.frostbyte.export.queue.JobQueue.Message> all = new java.util.HashSet<>(q.pending());
            q.processing().forEach(t -> t.message().ifPresent(all::add));
            return all;
        }
    }
}
