package io.frostbyte.export.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.frostbyte.export.db.Database;
import io.frostbyte.export.signing.TrustedKeys;
import io.frostbyte.export.verify.BundleVerifier;
import io.frostbyte.export.verify.VerificationPolicy;
import io.frostbyte.export.verify.VerificationReport;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** 50 parallel first exports of a tenant without a key, served by two runners at once: one key. */
class ConcurrencyIT {
    @TempDir Path home;

    @Test
    void create_fiftyParallelForNewTenant_oneKeyAndFiftyVerifiedBundles() throws Exception {
        Database db = LocalStack.database();
        UUID tenant = UUID.randomUUID();
        List<UUID> docs = DemoData.seed(db, tenant, 4, 11);
        try (LocalStack a = LocalStack.start(home, Map.of("t", tenant), Map.of());
                LocalStack b = a.sibling(Map.of())) {
            ExecutorService pool = Executors.newFixedThreadPool(50);
            List<Future<UUID>> futures = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                LocalStack via = i % 2 == 0 ? a : b;
                List<UUID> ids = List.of(docs.get(i % docs.size()), docs.get((i + 1) % docs.size()));
                boolean chunks = i % 3 == 0;
                futures.add(pool.submit(() -> Flows.create(via, "t", tenant, ids, chunks)));
            }
            Set<UUID> exports = new HashSet<>();
            for (Future<UUID> f : futures) exports.add(f.get());
            pool.shutdown();
            assertEquals(50, exports.size());

            Map<UUID, JsonNode> finished = new java.util.HashMap<>();
            for (UUID export : exports) {
                JsonNode done = Flows.await(a, "t", tenant, export, 180);
                assertEquals("completed", done.get("status").asText(), done.toString());
                finished.put(export, done);
            }
            String key = Flows.publicKey(a, "t", tenant);
            VerificationPolicy policy = VerificationPolicy.of(TrustedKeys.fromArmored(key)).withExpectTenant(tenant);
            Set<String> signers = new HashSet<>();
            for (Map.Entry<UUID, JsonNode> e : finished.entrySet()) {
                // Fetch a fresh URL: the one from the poll may be close to expiry on a slow machine.
                JsonNode done = Flows.await(a, "t", tenant, e.getKey(), 10);
                VerificationReport r = BundleVerifier.verify(new ByteArrayInputStream(Flows.download(done)),
                        policy.withExpectExport(e.getKey()), n -> {});
                assertEquals(VerificationReport.Status.VALID, r.status(), r.errors().toString());
                signers.add(done.get("signer_fingerprint").asText());
            }
            assertEquals(1, signers.size());
            try (Connection c = db.connection();
                    PreparedStatement ps = c.prepareStatement("select count(*) from tenant_keys where tenant_id = ?")) {
                ps.setObject(1, tenant);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    assertEquals(1, rs.getInt(1));
                }
            }
            try (var files = Files.list(home.resolve("keys"))) {
                assertEquals(1, files.filter(p -> p.getFileName().toString().startsWith(tenant.toString())).count());
            }
        }
    }
}
