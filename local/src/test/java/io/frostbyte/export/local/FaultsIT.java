package io.frostbyte.export.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.frostbyte.export.db.Database;
import io.frostbyte.export.testing.Gpg;
import io.frostbyte.export.testing.Moto;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/** The service under faults, each bounded in time: outages of S3, and one tenant's flood of exports. */
class FaultsIT {
    @TempDir Path home;

    static String status(Database db, UUID export) throws Exception {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement("select status from export_jobs where export_id = ?")) {
            ps.setObject(1, export);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : "missing";
            }
        }
    }

    static void verify(LocalStack stack, String token, UUID tenant, JsonNode done, Path dir) throws Exception {
        UUID export = UUID.fromString(done.get("export_id").asText());
        Path file = Flows.write(dir, export + ".tar.gz", Flows.download(done));
        Path key = Flows.write(dir, tenant + ".asc", Flows.publicKey(stack, token, tenant).getBytes(StandardCharsets.US_ASCII));
        Gpg.Result r = Flows.verifyCli(file, key, "--expect-tenant", tenant.toString(), "--expect-export", export.toString());
        assertEquals(0, r.exit(), r.stdout() + r.stderr());
    }

    /** Waits until the export runs with files written (the fault then lands mid-export). */
    static void awaitWriting(Database db, UUID export) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            Map<String, Object> r = row(db, export);
            if ("running".equals(r.get("status")) && (int) r.get("files_done") > 0) return;
            assertTrue(!"completed".equals(r.get("status")), "the export finished before the fault; make it bigger");
            assertTrue(System.nanoTime() < deadline, "export never started: " + r);
            Thread.sleep(20);
        }
    }

    /** Prints how long a fault test took since {@code started} and fails past its bound. */
    static void within(String what, long started, Duration bound) {
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        System.out.println(what + " in " + took.toMillis() + " ms");
        assertTrue(took.compareTo(bound) < 0, what + " took " + took + ", more than " + bound);
    }

    @Test
    void s3Outage20sMidExport_theExportCompletesAfterItReturns(@TempDir Path dir) throws Exception {
        Database db = LocalStack.database();
        UUID tenant = UUID.randomUUID();
        List<UUID> docs = DemoData.seed(db, tenant, 300, 31);
        S3Client s3 = Moto.s3();
        String bucket = Moto.newBucket(s3);
        try (OutageProxy proxy = new OutageProxy(Moto.endpoint().getPort())) {
            Map<String, String> env = new HashMap<>(Map.of("FROSTBYTE_STORAGE", "s3", "FROSTBYTE_BUCKET", bucket,
                    "AWS_ENDPOINT_URL", "http://127.0.0.1:" + proxy.port(), "AWS_REGION", "us-east-1",
                    "AWS_ACCESS_KEY_ID", "test", "AWS_SECRET_ACCESS_KEY", "test",
                    // The sweep that enqueues due retries runs every 2 s here (every minute in AWS); backoff and attempts are the defaults.
                    "FROSTBYTE_LOCAL_SCHEDULE_SECONDS", "2"));
            try (LocalStack stack = LocalStack.start(home, Map.of("t", tenant), env)) {
                UUID export = Flows.create(stack, "t", tenant, docs, true);
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (!status(db, export).equals("running") && System.nanoTime() < deadline) Thread.sleep(20);
                assertEquals("running", status(db, export), "the export never started");
                Instant outage = Instant.now();
                proxy.down();
                Thread.sleep(20_000);
                proxy.up();
                JsonNode done = Flows.await(stack, "t", tenant, export, 120);
                assertEquals("completed", done.get("status").asText(), done.toString());
                assertTrue(done.get("attempts").asInt() >= 2, "an attempt failed during the outage: " + done);
                assertTrue(Instant.parse(done.get("completed_at").asText()).isAfter(outage.plusSeconds(20)), done.toString());
                verify(stack, "t", tenant, done, dir);
            }
        }
    }

    @Test
    void fairness_oneTenantsHundredExportsQueued_anotherTenantsExportCompletesWithinAFew() throws Exception {
        Database db = LocalStack.database();
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        List<UUID> docsA = DemoData.seed(db, a, 3, 32);
        List<UUID> docsB = DemoData.seed(db, b, 3, 33);
        // The worker starts 20 s after a create, so everything below is queued before it runs (as behind a busy worker).
        try (LocalStack stack = LocalStack.start(home, Map.of("a", a, "b", b), Map.of("FROSTBYTE_LOCAL_WORKER_DELAY_SECONDS", "20"))) {
            List<UUID> exportsA = new ArrayList<>();
            for (int i = 0; i < 100; i++) exportsA.add(Flows.create(stack, "a", a, docsA, true));
            UUID exportB = Flows.create(stack, "b", b, docsB, true);
            JsonNode doneB = Flows.await(stack, "b", b, exportB, 180);
            assertEquals("completed", doneB.get("status").asText(), doneB.toString());
            for (UUID e : exportsA) assertEquals("completed", Flows.await(stack, "a", a, e, 300).get("status").asText());
            Instant bAt = Instant.parse(doneB.get("completed_at").asText());
            int aBefore = 0;
            try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(
                    "select count(*) from export_jobs where tenant_id = ? and completed_at < ?")) {
                ps.setObject(1, a);
                ps.setTimestamp(2, Timestamp.from(bAt));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    aBefore = rs.getInt(1);
                }
            }
            // One worker serves tenants in turn: B waits for the export running when it arrived, and perhaps one more.
            System.out.println("fairness: tenant B's export completed after " + aBefore + " of tenant A's 100");
            assertTrue(aBefore <= 3, "B completed after " + aBefore + " of A's exports");
        }
    }

    /** Every list of the queue under {@code key} is empty (intake, processing, dead excepted, tenants' lists, rotation). */
    static void assertQueueEmpty(LocalStack stack) {
        io.lettuce.core.RedisClient raw = io.lettuce.core.RedisClient.create(LocalStack.requireEnv("REDIS_URL"));
        try (var c = raw.connect()) {
            var redis = c.sync();
            List<String> keys = redis.keys(stack.queueKey + "*");
            keys.removeIf(k -> k.equals(stack.queueKey + ":dead"));
            for (String k : keys) assertEquals(0L, redis.llen(k), k + " is not empty: " + redis.lrange(k, 0, -1));
        } finally {
            raw.shutdown();
        }
    }

    static Map<String, Object> row(Database db, UUID export) throws Exception {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(
                "select status, attempts, files_done, error from export_jobs where export_id = ?")) {
            ps.setObject(1, export);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                Map<String, Object> m = new HashMap<>();
                m.put("status", rs.getString(1));
                m.put("attempts", rs.getInt(2));
                m.put("files_done", rs.getInt(3));
                m.put("error", String.valueOf(rs.getString(4)));
                return m;
            }
        }
    }

    @Test
    void redisFlushAll_with20ExportsPending_allCompleteOnce(@TempDir Path dir) throws Exception {
        long started = System.nanoTime();
        Database db = LocalStack.database();
        UUID tenant = UUID.randomUUID();
        List<UUID> docs = DemoData.seed(db, tenant, 4, 34);
        // The worker waits 10 s after each create; the sweep runs every 2 s and re-enqueues jobs pending 5 s (the lease) without an entry.
        Map<String, String> env = Map.of("FROSTBYTE_LOCAL_WORKER_DELAY_SECONDS", "10", "FROSTBYTE_LEASE", "5",
                "FROSTBYTE_LOCAL_SCHEDULE_SECONDS", "2", "FROSTBYTE_MAX_RUNNING_PER_TENANT", "0");
        try (LocalStack stack = LocalStack.start(home, Map.of("t", tenant), env)) {
            List<UUID> exports = new ArrayList<>();
            for (int i = 0; i < 20; i++) exports.add(Flows.create(stack, "t", tenant, docs, true));
            io.lettuce.core.RedisClient raw = io.lettuce.core.RedisClient.create(LocalStack.requireEnv("REDIS_URL"));
            try (var c = raw.connect()) {
                assertEquals("OK", c.sync().flushall());
            } finally {
                raw.shutdown();
            }
            for (UUID e : exports) {
                JsonNode done = Flows.await(stack, "t", tenant, e, 90);
                assertEquals("completed", done.get("status").asText(), done.toString());
                assertEquals(1, done.get("attempts").asInt(), "run once: " + done);
                verify(stack, "t", tenant, done, dir);
            }
            Thread.sleep(3_000); // a sweep after the last completion clears what is left
            assertQueueEmpty(stack);
        }
        within("FLUSHALL with 20 pending: all completed and verified", started, Duration.ofSeconds(120));
    }

    static void restartPostgres() throws Exception {
        String version;
        try (var versions = java.nio.file.Files.list(Path.of("/usr/lib/postgresql"))) {
            version = versions.map(p -> p.getFileName().toString()).sorted().reduce((x, y) -> y).orElseThrow();
        }
        Gpg.Result r = Gpg.exec(List.of("pg_ctlcluster", version, "main", "restart"), Path.of("."));
        assertEquals(0, r.exit(), "pg_ctlcluster restart (run the tests as root or as postgres): " + r.stdout() + r.stderr());
    }

    @Test
    void postgresRestartedMidExport_theExportCompletes(@TempDir Path dir) throws Exception {
        long started = System.nanoTime();
        Database db = LocalStack.database();
        UUID tenant = UUID.randomUUID();
        List<UUID> docs = CrashRecoveryIT.bigDocuments(db, tenant, 250);
        try (LocalStack stack = LocalStack.start(home, Map.of("t", tenant), Map.of("FROSTBYTE_LOCAL_SCHEDULE_SECONDS", "2"))) {
            UUID export = Flows.create(stack, "t", tenant, docs, false);
            awaitWriting(db, export);
            restartPostgres();
            JsonNode done = Flows.await(stack, "t", tenant, export, 120);
            assertEquals("completed", done.get("status").asText(), done.toString());
            assertEquals(2, done.get("attempts").asInt(), "the interrupted attempt was recorded and retried: " + done);
            verify(stack, "t", tenant, done, dir);
            Thread.sleep(3_000);
            assertQueueEmpty(stack);
        }
        within("PostgreSQL restart mid-export: completed and verified", started, Duration.ofSeconds(120));
    }

    @Test
    void workerKilledAtTenRandomPointsOfOneExport_completesOnceAndVerifies(@TempDir Path dir) throws Exception {
        long started = System.nanoTime();
        Database db = LocalStack.database();
        UUID tenant = UUID.randomUUID();
        List<UUID> docs = CrashRecoveryIT.bigDocuments(db, tenant, 120);
        Map<String, String> env = Map.of("FROSTBYTE_LEASE", "3", "FROSTBYTE_MAX_ATTEMPTS", "12", "FROSTBYTE_LOCAL_SCHEDULE_SECONDS", "1");
        java.util.Random random = new java.util.Random(Long.getLong("frostbyte.faults.seed", 20261126L));
        // How long one uninterrupted export of this size takes here: the kills land anywhere within it.
        long full;
        try (LocalStack calibrate = LocalStack.start(home, Map.of("t", tenant), env)) {
            long t0 = System.nanoTime();
            JsonNode done = Flows.await(calibrate, "t", tenant, Flows.create(calibrate, "t", tenant, docs, false), 60);
            assertEquals("completed", done.get("status").asText());
            full = Math.max(200, (System.nanoTime() - t0) / 1_000_000);
        }
        LocalStack first = LocalStack.start(home, Map.of("t", tenant), env);
        UUID export = Flows.create(first, "t", tenant, docs, false);
        LocalStack current = first;
        List<Long> points = new ArrayList<>();
        for (int kill = 1; kill <= 10; kill++) {
            long point = (long) (random.nextDouble() * full);
            points.add(point);
            Thread.sleep(point);
            current.process().destroyForcibly().waitFor();
            current.close();
            current = first.sibling(env);
        }
        try {
            JsonNode done = Flows.await(current, "t", tenant, export, 120);
            assertEquals("completed", done.get("status").asText(), done.toString());
            assertTrue(done.get("attempts").asInt() <= 11, done.toString());
            verify(current, "t", tenant, done, dir);
            Thread.sleep(2_000);
            assertQueueEmpty(current);
            try (var files = java.nio.file.Files.list(home.resolve("bundles").resolve(tenant.toString()))) {
                assertEquals(0, files.filter(p -> p.toString().endsWith(".partial")).count(), "partial file left behind");
            }
        } finally {
            current.close();
        }
        within("worker killed at " + points + " ms of a " + full + " ms export: completed once and verified", started, Duration.ofSeconds(180));
    }
}
