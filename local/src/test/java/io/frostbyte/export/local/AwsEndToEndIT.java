package io.frostbyte.export.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.frostbyte.export.db.Database;
import io.frostbyte.export.testing.Gpg;
import io.frostbyte.export.testing.Moto;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/** The local runner with FROSTBYTE_STORAGE=s3 and FROSTBYTE_KEYSTORE=secretsmanager, on moto. */
class AwsEndToEndIT {
    @TempDir Path home;

    Map<String, String> aws(String bucket, String prefix) {
        return Map.of("FROSTBYTE_STORAGE", "s3", "FROSTBYTE_BUCKET", bucket, "FROSTBYTE_KEYSTORE", "secretsmanager",
                "FROSTBYTE_SECRET_PREFIX", prefix, "AWS_ENDPOINT_URL", Moto.endpoint().toString(),
                "AWS_REGION", "us-east-1", "AWS_ACCESS_KEY_ID", "test", "AWS_SECRET_ACCESS_KEY", "test");
    }

    @Test
    void export_onS3AndSecretsManager_presignedDownloadVerifies(@TempDir Path dir) throws Exception {
        Database db = LocalStack.database();
        UUID tenant = UUID.randomUUID();
        List<UUID> docs = DemoData.seed(db, tenant, 3, 21);
        S3Client s3 = Moto.s3();
        String bucket = Moto.newBucket(s3);
        String prefix = "frostbyte-it-" + UUID.randomUUID() + "/";
        try (LocalStack stack = LocalStack.start(home, Map.of("t", tenant), aws(bucket, prefix))) {
            UUID export = Flows.create(stack, "t", tenant, docs, true);
            JsonNode done = Flows.await(stack, "t", tenant, export, 90);
            assertEquals("completed", done.get("status").asText(), done.toString());
            String url = done.get("download_url").asText();
            assertTrue(url.startsWith(Moto.endpoint().toString()) && url.contains("X-Amz-Signature"), url);
            byte[] bundle = Flows.download(done);
            assertEquals(done.get("bundle_sha256").asText(), HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bundle)));
            assertEquals(done.get("bundle_sha256").asText(), s3.headObject(b -> b.bucket(bucket)
                    .key("exports/" + tenant + "/" + export + ".tar.gz")).metadata().get("sha256"));
            Path file = Flows.write(dir, export + ".tar.gz", bundle);
            Path key = Flows.write(dir, "t.asc", Flows.publicKey(stack, "t", tenant).getBytes(StandardCharsets.US_ASCII));
            Gpg.Result r = Flows.verifyCli(file, key, "--expect-export", export.toString());
            assertEquals(0, r.exit(), r.stdout() + r.stderr());
            // The private key lives in Secrets Manager only.
            String name = prefix + tenant + "/" + done.get("signer_fingerprint").asText();
            String secret = Moto.secrets().getSecretValue(b -> b.secretId(name)).secretString();
            assertTrue(secret.startsWith("-----BEGIN PGP PRIVATE KEY BLOCK-----"));
        }
    }

    @Test
    void twoRunnerProcesses_racingFirstExports_oneSecretOneRow() throws Exception {
        Database db = LocalStack.database();
        UUID tenant = UUID.randomUUID();
        List<UUID> docs = DemoData.seed(db, tenant, 3, 23);
        S3Client s3 = Moto.s3();
        String bucket = Moto.newBucket(s3);
        String prefix = "frostbyte-it-" + UUID.randomUUID() + "/";
        try (LocalStack a = LocalStack.start(home, Map.of("t", tenant), aws(bucket, prefix));
                LocalStack b = a.sibling(aws(bucket, prefix))) {
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(12);
            List<java.util.concurrent.Future<UUID>> created = new java.util.ArrayList<>();
            for (int i = 0; i < 12; i++) {
                LocalStack via = i % 2 == 0 ? a : b;
                created.add(pool.submit(() -> Flows.create(via, "t", tenant, docs, false)));
            }
            java.util.Set<String> signers = new java.util.HashSet<>();
            for (var f : created) {
                JsonNode done = Flows.await(a, "t", tenant, f.get(), 120);
                assertEquals("completed", done.get("status").asText(), done.toString());
                signers.add(done.get("signer_fingerprint").asText());
            }
            pool.shutdown();
            assertEquals(1, signers.size());
            assertEquals(1, new io.frostbyte.export.db.TenantKeyRepository(db).all(tenant).size());
            long secrets = Moto.secrets().listSecrets(r -> r.maxResults(100)).secretList().stream()
                    .filter(sec -> sec.name().startsWith(prefix + tenant + "/")).count();
            assertEquals(1, secrets);
        }
    }

    @Test
    void bucketRemoved_jobFailsAfterItsRetriesWithReadableErrorAndNothingLeft() throws Exception {
        Database db = LocalStack.database();
        UUID tenant = UUID.randomUUID();
        List<UUID> docs = DemoData.seed(db, tenant, 2, 22);
        S3Client s3 = Moto.s3();
        String bucket = Moto.newBucket(s3);
        Map<String, String> env = new java.util.HashMap<>(aws(bucket, "frostbyte-it-" + UUID.randomUUID() + "/"));
        // Retries after a backoff the sweep honours: a short backoff and a sweep every second keep this test short.
        env.putAll(Map.of("FROSTBYTE_RETRY_BASE", "1", "FROSTBYTE_RETRY_MAX", "2", "FROSTBYTE_LOCAL_SCHEDULE_SECONDS", "1"));
        try (LocalStack stack = LocalStack.start(home, Map.of("t", tenant), env)) {
            s3.deleteBucket(b -> b.bucket(bucket));
            UUID export = Flows.create(stack, "t", tenant, docs, false);
            JsonNode done = Flows.await(stack, "t", tenant, export, 90);
            assertEquals("failed", done.get("status").asText(), done.toString());
            assertEquals(3, done.get("attempts").asInt());
            // What failed, readable, without the bucket's name or the SDK's text (those are in the operators' log).
            assertTrue(done.get("error").asText().contains("bundle store unavailable"), done.get("error").asText());
            assertEquals("store_unavailable", done.get("error_code").asText(), done.toString());
            assertTrue(!done.get("error").asText().contains(bucket), done.get("error").asText());
            try (var queue = stack.queue()) {
                String payload = io.frostbyte.export.queue.redis.Payloads.encode(new io.frostbyte.export.queue.JobQueue.Message(export, tenant));
                assertTrue(queue.deadLetters().contains(payload), "failed job not dead-lettered");
                assertTrue(queue.processing().stream().noneMatch(t -> t.receipt().token().equals(payload)));
            }
        }
    }

    @Test
    void missingBucket_runnerRefusesToStartWithOneLine() throws Exception {
        LocalStack stack = null;
        try {
            stack = LocalStack.start(home, Map.of("t", UUID.randomUUID()), aws("no-such-bucket-" + UUID.randomUUID(), "x/"));
            throw new AssertionError("the runner started without its bucket");
        } catch (AssertionError e) {
            assertTrue(e.getMessage().contains("bundle bucket 'no-such-bucket-"), e.getMessage());
        } finally {
            if (stack != null) stack.close();
        }
    }
}
