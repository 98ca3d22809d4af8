package io.frostbyte.export.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.frostbyte.export.db.Database;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Schemathesis against docs/openapi.yaml through the local runner, as tenant A (an administrator,
 * so the key routes run too): no 5xx, every response conforms to the document, and nothing tenant
 * B owns (its id, documents, export, key) appears in any response.
 */
class ApiFuzzIT {
    @TempDir Path home;
    @TempDir Path work;

    @Test
    void schemathesis_everyOperation_noServerError_responsesConform_noTenantSeesAnothersData() throws Exception {
        Path st = LocalStack.root().resolve(".services/venv/bin/st");
        if (!Files.isExecutable(st)) throw new AssertionError("schemathesis is not installed at " + st + "; run scripts/services up");
        long started = System.nanoTime();
        Database db = LocalStack.database();
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        DemoData.seed(db, a, 3, 41);
        List<UUID> docsB = DemoData.seed(db, b, 3, 42);
        Map<String, String> env = new HashMap<>();
        env.put("FROSTBYTE_LOCAL_TOKENS", "a=" + a + ":admin,b=" + b);
        try (LocalStack stack = LocalStack.start(home, Map.of("a", a, "b", b), env)) {
            UUID exportB = Flows.create(stack, "b", b, docsB, true);
            JsonNode doneB = Flows.await(stack, "b", b, exportB, 60);
            assertEquals("completed", doneB.get("status").asText());
            List<String> secretsOfB = new ArrayList<>(List.of(b.toString(), exportB.toString(), doneB.get("signer_fingerprint").asText()));
            docsB.forEach(d -> secretsOfB.add(d.toString()));

            // Path tenant fixed to the caller's, so the routes run past authorization (other tenants are a 403 each).
            Path config = work.resolve("schemathesis.toml");
            Files.writeString(config, "[parameters]\n\"path.tenant_id\" = \"" + a + "\"\n");
            Path cassette = work.resolve("cassette.yaml");
            List<String> cmd = List.of(st.toString(), "--config-file", config.toString(), "run", LocalStack.root().resolve("docs/openapi.yaml").toString(),
                    "--url", stack.url(""), "--header", "Authorization: Bearer a",
                    "--checks", "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance",
                    "--max-examples", System.getProperty("frostbyte.fuzz.examples", "150"), "--seed", "20261126",
                    "--generation-database", "none", "--workers", "2", "--report", "vcr", "--report-vcr-path", cassette.toString());
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile()).redirectErrorStream(true)
                    .redirectOutput(work.resolve("st.log").toFile());
            pb.environment().put("NO_COLOR", "1");
            Process p = pb.start();
            assertTrue(p.waitFor(15, TimeUnit.MINUTES), "schemathesis did not finish in 15 minutes");
            String log = Files.readString(work.resolve("st.log"));
            String tail = log.length() > 6000 ? log.substring(log.length() - 6000) : log;
            assertEquals(0, p.exitValue(), tail);
            List<String> lines = log.lines().toList();
            System.out.println("schemathesis summary:\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 25), lines.size())));

            String recorded = Files.readString(cassette);
            assertTrue(recorded.length() > 10_000, "the cassette holds the run's exchanges");
            for (String s : secretsOfB) assertFalse(recorded.contains(s), "a response to tenant A held tenant B's " + s);
            String runnerLog = Files.readString(stack.log);
            assertFalse(runnerLog.matches("(?s).*\"status\":5\\d\\d.*"), "a 5xx in the runner's log");
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        System.out.println("API fuzzing took " + took.toSeconds() + " s");
    }
}
