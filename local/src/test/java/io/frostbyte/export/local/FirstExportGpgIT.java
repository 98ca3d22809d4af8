package io.frostbyte.export.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.frostbyte.export.db.Database;
import io.frostbyte.export.testing.Gpg;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Format §4 revision 2 end to end: a tenant's first export, whose key the worker makes seconds
 * after the request, verifies with stock GnuPG by the README's own recipe. (Before, the signature
 * carried created_at, older than its key, and GnuPG said "Time conflict" and exited 2.)
 */
class FirstExportGpgIT {
    @TempDir Path home;
    @TempDir Path dir;

    /** The README's "With stock tools" block, as a newcomer would paste it. */
    static String readmeRecipe() throws Exception {
        String readme = Files.readString(LocalStack.root().resolve("README.md"));
        Matcher m = Pattern.compile("### With stock tools.*?```bash\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertTrue(m.find(), "README has no stock-tools recipe");
        return m.group(1);
    }

    @Test
    void firstExport_workerStartsSecondsAfterPost_verifiesWithStockGnupgByTheReadmeRecipe() throws Exception {
        Database db = LocalStack.database();
        UUID tenant = UUID.randomUUID();
        List<UUID> docs = DemoData.seed(db, tenant, 3, 1);
        try (LocalStack stack = LocalStack.start(home, Map.of("token-f", tenant), Map.of("FROSTBYTE_LOCAL_WORKER_DELAY_SECONDS", "3"));
             Gpg gpg = new Gpg()) {
            UUID export = Flows.create(stack, "token-f", tenant, docs, true);
            JsonNode done = Flows.await(stack, "token-f", tenant, export, 60);
            assertEquals("completed", done.get("status").asText(), done.toString());
            byte[] bundle = Flows.download(done);
            Files.write(dir.resolve(export + ".tar.gz"), bundle);
            Files.writeString(dir.resolve("tenant-public-key.asc"), Flows.publicKey(stack, "token-f", tenant));

            JsonNode manifest = Flows.JSON.readTree(Flows.entries(bundle).get("manifest.json"));
            Instant createdAt = Instant.parse(manifest.get("created_at").asText());
            Instant keyCreated = io.frostbyte.export.signing.TrustedKeys.fromArmored(Flows.publicKey(stack, "token-f", tenant))
                    .find(manifest.get("signer_fingerprint").asText()).orElseThrow().key().getCreationTime().toInstant();
            assertTrue(!keyCreated.isBefore(createdAt.plus(Duration.ofSeconds(2))),
                    "the worker should make the key at least 2 s after the request: created_at " + createdAt + ", key " + keyCreated);

            String script = readmeRecipe().replaceFirst("(?m)^X=\\S+", "X=" + export);
            ProcessBuilder pb = new ProcessBuilder("bash", "-euo", "pipefail", "-c", script).directory(dir.toFile());
            pb.environment().put("GNUPGHOME", gpg.home().toString());
            Process p = pb.redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.waitFor(), "the README's gpg + jq recipe failed:\n" + out);
            assertTrue(out.contains("Good signature"), out);
        }
    }
}
