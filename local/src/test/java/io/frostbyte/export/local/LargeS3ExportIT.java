package io.frostbyte.export.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.frostbyte.export.db.Database;
import io.frostbyte.export.testing.Gpg;
import io.frostbyte.export.testing.Moto;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A ~1 GiB export streams to S3 (moto) from a worker whose heap is capped at 256 MiB; the
 * pre-signed URL, fetched with a plain HTTP client, returns exactly the bytes the job's SHA-256
 * names, and frostbyte-verify accepts them.
 */
class LargeS3ExportIT {
    @TempDir Path home;
    @TempDir Path dir;

    @Test
    void oneGibExport_workerUnder256MiB_presignedBytesMatchAndVerify() throws Exception {
        Database db = LocalStack.database();
        UUID tenant = UUID.randomUUID();
        List<UUID> ids = new ArrayList<>();
        // 900 documents of 1.6 MB of base64 text (gzip keeps ~76% of it): a bundle over 1 GiB.
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        byte[] raw = new byte[1_200_000];
        try (Connection c = db.connection();
                PreparedStatement ps = c.prepareStatement("insert into documents (id, tenant_id, title, content) values (?, ?, 'ledger', ?)")) {
            c.setAutoCommit(false);
            for (int i = 0; i < 900; i++) {
                UUID id = UUID.randomUUID();
                ids.add(id);
                random.nextBytes(raw);
                ps.setObject(1, id);
                ps.setObject(2, tenant);
                ps.setString(3, java.util.Base64.getEncoder().encodeToString(raw));
                ps.addBatch();
                if (i % 20 == 19) ps.executeBatch();
            }
            ps.executeBatch();
            c.commit();
        }
        S3Client s3 = Moto.s3();
        String bucket = Moto.newBucket(s3);
        Map<String, String> env = Map.of("FROSTBYTE_STORAGE", "s3", "FROSTBYTE_BUCKET", bucket,
                "FROSTBYTE_KEYSTORE", "secretsmanager", "FROSTBYTE_SECRET_PREFIX", "frostbyte-it-" + UUID.randomUUID() + "/",
                "AWS_ENDPOINT_URL", Moto.endpoint().toString(), "AWS_REGION", "us-east-1",
                "AWS_ACCESS_KEY_ID", "test", "AWS_SECRET_ACCESS_KEY", "test",
                "FROSTBYTE_COMPRESSION_LEVEL", "1", "TEST_RUNNER_HEAP", "256m");
        try (LocalStack stack = LocalStack.start(home, Map.of("t", tenant), env)) {
            UUID export = Flows.create(stack, "t", tenant, ids, false);
            JsonNode done = Flows.await(stack, "t", tenant, export, 900);
            assertEquals("completed", done.get("status").asText(), done.toString());
            assertTrue(done.get("bundle_size").asLong() >= 1L << 30, "bundle is only " + done.get("bundle_size"));

            Path file = dir.resolve(export + ".tar.gz");
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            HttpResponse<InputStream> r = LocalStack.HTTP.send(HttpRequest.newBuilder(URI.create(done.get("download_url").asText())).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, r.statusCode());
            try (InputStream in = r.body(); OutputStream out = new DigestOutputStream(Files.newOutputStream(file), sha)) {
                in.transferTo(out);
            }
            assertEquals(done.get("bundle_sha256").asText(), HexFormat.of().formatHex(sha.digest()));
            Path key = Flows.write(dir, "t.asc", Flows.publicKey(stack, "t", tenant).getBytes(StandardCharsets.US_ASCII));
            Gpg.Result verified = Flows.verifyCli(file, key, "--expect-export", export.toString());
            assertEquals(0, verified.exit(), verified.stdout() + verified.stderr());
            s3.deleteObject(b -> b.bucket(bucket).key("exports/" + tenant + "/" + export + ".tar.gz"));
        } finally {
            try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement("delete from documents where tenant_id = ?")) {
                ps.setObject(1, tenant);
                ps.executeUpdate();
            }
        }
    }
}
