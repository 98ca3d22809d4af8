package io.frostbyte.export.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.frostbyte.export.db.Database;
import io.frostbyte.export.queue.JobQueue;
import io.frostbyte.export.signing.TrustedKeys;
import io.frostbyte.export.verify.BundleVerifier;
import io.frostbyte.export.verify.VerificationPolicy;
import io.frostbyte.export.verify.VerificationReport;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A worker killed mid-export, and a job Redis never got: both end completed, once. */
class CrashRecoveryIT {
    static final Map<String, String> SHORT_LEASE = Map.of("FROSTBYTE_LEASE", "4");
    @TempDir Path home;

    static List<UUID> bigDocuments(Database db, UUID tenant, int count) throws Exception {
        List<UUID> ids = new ArrayList<>();
        try (Connection c = db.connection();
                PreparedStatement ps = c.prepareStatement("insert into documents (id, tenant_id, title, content)"
                        + " select ?, ?, 'large report', string_agg(md5(random()::text), ' ') from generate_series(1, 30000)")) {
            for (int i = 0; i < count; i++) {
                UUID id = UUID.randomUUID();
                ps.setObject(1, id);
                ps.setObject(2, tenant);
                ps.addBatch();
                ids.add(id);
            }
            ps.executeBatch();
        }
        return ids;
    }

    static Object[] row(Database db, UUID export) throws Exception {
        try (Connection c = db.connection();
                PreparedStatement ps = c.prepareStatement("select status, attempts, files_done from export_jobs where export_id = ?")) {
            ps.setObject(1, export);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Object[] {rs.getString(1), rs.getInt(2), rs.getInt(3)};
            }
        }
    }

    @Test
    void worker_killedMidExport_reclaimedAfterLeaseAndCompletedOnce() throws Exception {
        Database db = LocalStack.database();
        UUID tenant = UUID.randomUUID();
        List<UUID> docs = bigDocuments(db, tenant, 250);
        UUID export;
        String payload;
        LocalStack first = LocalStack.start(home, Map.of("t", tenant), SHORT_LEASE);
        try {
            export = Flows.create(first, "t", tenant, docs, false);
            payload = io.frostbyte.export.queue.redis.Payloads.encode(new JobQueue.Message(export, tenant));
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (true) {
                Object[] r = row(db, export);
                if ("running".equals(r[0]) && (int) r[2] > 0) break;
                assertTrue(!"completed".equals(r[0]), "the export finished before it could be interrupted; make it bigger");
                assertTrue(System.nanoTime() < deadline, "export never started: " + java.util.Arrays.toString(r));
                Thread.sleep(50);
            }
            first.process().destroyForcibly().waitFor();
        } finally {
            first.close();
        }
        Object[] killed = row(db, export);
        assertEquals("running", killed[0]);
        assertEquals(1, killed[1]);
        try (var queue = first.queue()) {
            assertTrue(queue.processing().stream().anyMatch(t -> t.receipt().token().equals(payload)), "the killed worker's job sits in the processing list");
        }
        Thread.sleep(5_000); // the 4 s lease runs out

        try (LocalStack second = first.sibling(SHORT_LEASE)) {
            JsonNode done = Flows.await(second, "t", tenant, export, 120);
            assertEquals("completed", done.get("status").asText(), done.toString());
            assertEquals(2, done.get("attempts").asInt());
            assertEquals(250, done.get("document_count").asInt());
            VerificationReport r = BundleVerifier.verify(new ByteArrayInputStream(Flows.download(done)),
                    VerificationPolicy.of(TrustedKeys.fromArmored(Flows.publicKey(second, "t", tenant))).withExpectExport(export), n -> {});
            assertEquals(VerificationReport.Status.VALID, r.status(), r.errors().toString());
            try (var queue = second.queue()) {
                assertTrue(queue.processing().stream().noneMatch(t -> t.receipt().token().equals(payload)), "orphaned processing entry: " + queue.processing());
                assertTrue(!queue.pending().contains(new JobQueue.Message(export, tenant)), "job still queued");
            }
            try (var files = java.nio.file.Files.list(home.resolve("bundles").resolve(tenant.toString()))) {
                assertEquals(0, files.filter(p -> p.toString().endsWith(".partial")).count(), "partial file left behind");
            }
        }
    }

    @Test
    void pendingJobRedisNeverGot_isReEnqueuedAndCompleted() throws Exception {
        Database db = LocalStack.database();
        UUID tenant = UUID.randomUUID();
        List<UUID> docs = DemoData.seed(db, tenant, 2, 3);
        UUID export = UUID.randomUUID();
        try (Connection c = db.connection();
                PreparedStatement ps = c.prepareStatement("insert into export_jobs (export_id, tenant_id, status, document_ids,"
                        + " include_chunks, created_at, updated_at) values (?, ?, 'pending', ?, true, date_trunc('second', now()) - interval '1 minute',"
                        + " now() - interval '1 minute')")) {
            ps.setObject(1, export);
            ps.setObject(2, tenant);
            ps.setArray(3, c.createArrayOf("uuid", docs.toArray()));
            ps.executeUpdate();
        }
        // No push to Redis: the runner's first worker run must find the job in PostgreSQL.
        try (LocalStack stack = LocalStack.start(home, Map.of("t", tenant), SHORT_LEASE)) {
            JsonNode done = Flows.await(stack, "t", tenant, export, 60);
            assertEquals("completed", done.get("status").asText(), done.toString());
            assertEquals(1, done.get("attempts").asInt());
        }
    }
}
