package io.frostbyte.export.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.frostbyte.export.db.Database;
import io.frostbyte.export.testing.Gpg;
import io.frostbyte.export.testing.Moto;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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
 * The key lifecycle through the local runner on PostgreSQL, Redis and moto's S3 and Secrets
 * Manager, checked with frostbyte-verify and with stock GnuPG on the route's armored key set.
 */
class KeyLifecycleIT {
    @TempDir Path home;
    @TempDir Path dir;

    static Map<String, String> aws(String bucket, String prefix, UUID tenant) {
        Map<String, String> env = new HashMap<>(Map.of("FROSTBYTE_STORAGE", "s3", "FROSTBYTE_BUCKET", bucket, "FROSTBYTE_KEYSTORE",
                "secretsmanager", "FROSTBYTE_SECRET_PREFIX", prefix, "AWS_ENDPOINT_URL", Moto.endpoint().toString(),
                "AWS_REGION", "us-east-1", "AWS_ACCESS_KEY_ID", "test", "AWS_SECRET_ACCESS_KEY", "test"));
        env.put("FROSTBYTE_LOCAL_TOKENS", "user=" + tenant + ",admin=" + tenant + ":admin");
        return env;
    }

    @Test
    void rotateThenRevoke_oldBundleVerifiesUntilRevoked_gnupgAgrees_secretsScheduledForDeletion() throws Exception {
        Database db = LocalStack.database();
        UUID tenant = UUID.randomUUID();
        List<UUID> docs = DemoData.seed(db, tenant, 3, 4);
        String bucket = Moto.newBucket(Moto.s3());
        String prefix = "frostbyte-it-" + UUID.randomUUID() + "/tenant-keys/";
        try (LocalStack s = LocalStack.start(home, Map.of("user", tenant), aws(bucket, prefix, tenant)); Gpg gpg = new Gpg()) {
            UUID export1 = Flows.create(s, "user", tenant, docs, true);
            JsonNode done1 = Flows.await(s, "user", tenant, export1, 60);
            assertEquals("completed", done1.get("status").asText(), done1.toString());
            String first = done1.get("signer_fingerprint").asText();
            Path bundle1 = Flows.write(dir, export1 + ".tar.gz", Flows.download(done1));

            // Ordinary tenant users have no right to change keys.
            HttpResponse<String> userRotate = s.send("POST", "/tenants/" + tenant + "/keys", "user", null);
            assertEquals(403, userRotate.statusCode(), userRotate.body());
            HttpResponse<String> userRevoke = s.send("POST", "/tenants/" + tenant + "/keys/" + first + "/revoke", "user",
                    "{\"reason\":\"compromised\"}");
            assertEquals(403, userRevoke.statusCode(), userRevoke.body());

            HttpResponse<String> rotated = s.send("POST", "/tenants/" + tenant + "/keys", "admin", null);
            assertEquals(201, rotated.statusCode(), rotated.body());
            String second = Flows.json(rotated).get("fingerprint").asText();
            assertNotEquals(first, second);
            assertEquals("active", Flows.json(rotated).get("status").asText());
            var described = Moto.secrets().describeSecret(b -> b.secretId(prefix + tenant + "/" + first));
            assertNotNull(described.deletedDate(), "the retired key's secret is scheduled for deletion");

            UUID export2 = Flows.create(s, "user", tenant, docs, true);
            JsonNode done2 = Flows.await(s, "user", tenant, export2, 60);
            assertEquals(second, done2.get("signer_fingerprint").asText(), "the next export is signed by the new key");
            Path bundle2 = Flows.write(dir, export2 + ".tar.gz", Flows.download(done2));

            // The route's key set proves the bundle made before the rotation: frostbyte-verify and GnuPG.
            Path keySet = Files.writeString(dir.resolve("tenant-public-key.asc"), Flows.publicKey(s, "user", tenant));
            Gpg.Result ok = Flows.verifyCli(bundle1, keySet);
            assertEquals(0, ok.exit(), ok.stdout() + ok.stderr());
            assertGnupgVerifies(gpg, export1);

            HttpResponse<String> revoked = s.send("POST", "/tenants/" + tenant + "/keys/" + first + "/revoke", "admin",
                    "{\"reason\":\"compromised\"}");
            assertEquals(200, revoked.statusCode(), revoked.body());
            assertEquals("revoked", Flows.json(revoked).get("status").asText());
            assertEquals("compromised", Flows.json(revoked).get("reason").asText());

            Path revokedSet = Files.writeString(dir.resolve("tenant-public-key.asc"), Flows.publicKey(s, "user", tenant));
            Gpg.Result refused = Flows.verifyCli(bundle1, revokedSet, "--json");
            assertEquals(1, refused.exit(), refused.stdout());
            assertTrue(refused.stdout().contains("\"key_revoked\""), refused.stdout());
            Gpg.Result stillOk = Flows.verifyCli(bundle2, revokedSet);
            assertEquals(0, stillOk.exit(), "the new key's bundle stays valid: " + stillOk.stdout());

            gpg.ok("--import", revokedSet.toString());
            Gpg.Result listed = gpg.run("--list-keys", "--with-colons", first);
            assertTrue(listed.stdout().lines().anyMatch(l -> l.startsWith("pub:r:")), "GnuPG shows the key revoked:\n" + listed.stdout());

            JsonNode keys = Flows.json(s.send("GET", "/tenants/" + tenant + "/public-key", "user", null)).get("keys");
            assertEquals(second, keys.get(0).get("fingerprint").asText());
            assertEquals("active", keys.get(0).get("status").asText());
            JsonNode old = keys.get(1);
            assertEquals(first, old.get("fingerprint").asText());
            assertEquals("revoked", old.get("status").asText());
            assertTrue(old.hasNonNull("revoked_at") && old.hasNonNull("retired_at"), old.toString());
            assertEquals(List.of("create:worker", "rotate:local-token-2", "revoke:local-token-2"), audit(db, tenant));
        }
    }

    @Test
    void worker_keyOlderThanTheMaximumAge_rotatesBeforeSigning() throws Exception {
        Database db = LocalStack.database();
        UUID tenant = UUID.randomUUID();
        List<UUID> docs = DemoData.seed(db, tenant, 2, 5);
        try (LocalStack s = LocalStack.start(home, Map.of("user", tenant), Map.of("FROSTBYTE_KEY_MAX_AGE", "3"))) {
            JsonNode done1 = Flows.await(s, "user", tenant, Flows.create(s, "user", tenant, docs, false), 60);
            Thread.sleep(4000);
            JsonNode done2 = Flows.await(s, "user", tenant, Flows.create(s, "user", tenant, docs, false), 60);
            assertEquals("completed", done2.get("status").asText(), done2.toString());
            String first = done1.get("signer_fingerprint").asText();
            assertNotEquals(first, done2.get("signer_fingerprint").asText());
            JsonNode keys = Flows.json(s.send("GET", "/tenants/" + tenant + "/public-key", "user", null)).get("keys");
            assertEquals("retired", keys.get(1).get("status").asText());
            assertEquals(first, keys.get(1).get("fingerprint").asText());
            assertEquals(List.of("create:worker", "rotate_expired:worker"), audit(db, tenant));
        }
    }

    void assertGnupgVerifies(Gpg gpg, UUID export) throws Exception {
        String script = FirstExportGpgIT.readmeRecipe().replaceFirst("(?m)^X=\\S+", "X=" + export);
        ProcessBuilder pb = new ProcessBuilder("bash", "-euo", "pipefail", "-c", script).directory(dir.toFile());
        pb.environment().put("GNUPGHOME", gpg.home().toString());
        Process p = pb.redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), "the README's gpg + jq recipe failed:\n" + out);
        assertTrue(out.contains("Good signature"), out);
        Path check = dir.resolve("check");
        if (Files.exists(check)) {
            try (var walk = Files.walk(check)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    static List<String> audit(Database db, UUID tenant) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = db.connection();
                PreparedStatement ps = c.prepareStatement("select action, actor from key_audit where tenant_id = ? order by id")) {
            ps.setObject(1, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(rs.getString(1) + ":" + rs.getString(2));
            }
        }
        return out;
    }
}
