package io.frostbyte.export.db;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.frostbyte.export.export.CreateExportRequest;
import io.frostbyte.export.export.Documents;
import io.frostbyte.export.export.Selection;
import io.frostbyte.export.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each selection filter, and their combination, against PostgreSQL: exactly the documents meant, never another tenant's. */
class SelectionIT {
    static Database db;
    static final UUID TENANT = UUID.randomUUID();
    static final UUID OTHER = UUID.randomUUID();
    /** name → id of the tenant's documents; the other tenant has a twin of each. */
    static final Map<String, UUID> DOCS = new java.util.HashMap<>();

    @BeforeAll
    static void seed() throws Exception {
        db = TestDatabase.migrated();
        Object[][] rows = {
            // name, updated_at, content_type, source_uri, metadata
            {"old-text-crm", "2026-01-10T00:00:00Z", "text/plain", "s3://crm/a.txt", "{\"dept\":\"sales\",\"lang\":\"en\"}"},
            {"mid-md-crm", "2026-06-01T12:00:00Z", "text/markdown", "s3://crm/b.md", "{\"dept\":\"sales\",\"lang\":\"de\"}"},
            {"new-text-wiki", "2026-11-01T00:00:00Z", "text/plain", "https://wiki/c", "{\"dept\":\"ops\",\"tags\":[\"x\",\"y\"]}"},
            {"new-md-none", "2026-11-20T00:00:00Z", "text/markdown", null, "{}"},
        };
        for (UUID tenant : List.of(TENANT, OTHER)) {
            for (Object[] r : rows) {
                UUID id = UUID.randomUUID();
                if (tenant.equals(TENANT)) DOCS.put((String) r[0], id);
                try (Connection c = db.connection();
                        PreparedStatement ps = c.prepareStatement("insert into documents (id, tenant_id, title, source_uri, content_type,"
                                + " content, metadata, updated_at) values (?, ?, ?, ?, ?, 'c', ?::jsonb, ?)")) {
                    ps.setObject(1, id);
                    ps.setObject(2, tenant);
                    ps.setString(3, (String) r[0]);
                    ps.setString(4, (String) r[3]);
                    ps.setString(5, (String) r[2]);
                    ps.setString(6, (String) r[4]);
                    ps.setObject(7, Instant.parse((String) r[1]).atOffset(ZoneOffset.UTC));
                    ps.executeUpdate();
                }
                try (Connection c = db.connection();
                        PreparedStatement ps = c.prepareStatement("insert into chunks (chunk_id, document_id, tenant_id, chunk_index, text)"
                                + " values (?, ?, ?, 0, 'x'), (?, ?, ?, 1, 'y')")) {
                    ps.setObject(1, UUID.randomUUID());
                    ps.setObject(2, id);
                    ps.setObject(3, tenant);
                    ps.setObject(4, UUID.randomUUID());
                    ps.setObject(5, id);
                    ps.setObject(6, tenant);
                    ps.executeUpdate();
                }
            }
        }
    }

    static Selection parse(String json) throws Exception {
        return CreateExportRequest.parse("{\"selection\":" + json + "}", 1000).selection().orElseThrow();
    }

    /** The document titles a selection yields through one snapshot, with the chunks' documents checked against them. */
    static Set<String> select(String json) throws Exception {
        DocumentRepository repo = new DocumentRepository(db);
        Selection sel = parse(json);
        Set<String> titles = new HashSet<>();
        Set<String> chunkDocs = new HashSet<>();
        ObjectMapper m = new ObjectMapper();
        int[] counted = new int[2];
        repo.inSnapshot(TENANT, Documents.Scope.of(sel), true, snapshot -> {
            counted[0] = snapshot.documentCount();
            counted[1] = snapshot.chunkCount();
            snapshot.documents(row -> {
                var n = m.readTree(row.json());
                assertEquals(TENANT.toString(), n.get("tenant_id").asText());
                titles.add(n.get("title").asText());
            });
            snapshot.chunks(row -> chunkDocs.add(m.readTree(row.json()).get("document_id").asText()));
            return null;
        });
        Set<String> docIds = new HashSet<>();
        for (String t : titles) docIds.add(DOCS.get(t).toString());
        assertEquals(docIds, chunkDocs, json + ": chunks are those of the selected documents");
        assertEquals(titles.size(), counted[0]);
        assertEquals(titles.size() * 2, counted[1]);
        Documents.Counts counts = repo.count(TENANT, sel);
        assertEquals(titles.size(), counts.documents(), json);
        assertEquals(titles.size() * 2L, counts.chunks(), json);
        return titles;
    }

    @Test
    void all_everyDocumentOfTheTenantAndNoOther() throws Exception {
        assertEquals(DOCS.keySet(), select("{\"all\": true}"));
    }

    @Test
    void updatedSinceAndBefore_halfOpenInterval() throws Exception {
        assertEquals(Set.of("mid-md-crm", "new-text-wiki", "new-md-none"), select("{\"updated_since\": \"2026-06-01T12:00:00Z\"}"));
        assertEquals(Set.of("old-text-crm"), select("{\"updated_before\": \"2026-06-01T12:00:00Z\"}"));
        assertEquals(Set.of("mid-md-crm"), select("{\"updated_since\": \"2026-06-01T14:00:00+02:00\", \"updated_before\": \"2026-11-01T00:00:00Z\"}"));
    }

    @Test
    void contentType_exactly() throws Exception {
        assertEquals(Set.of("mid-md-crm", "new-md-none"), select("{\"content_type\": \"text/markdown\"}"));
    }

    @Test
    void sourceUriPrefix_literalPrefixNoWildcards() throws Exception {
        assertEquals(Set.of("old-text-crm", "mid-md-crm"), select("{\"source_uri_prefix\": \"s3://crm/\"}"));
        assertEquals(Set.of(), selectOrEmpty("{\"source_uri_prefix\": \"s3://crm%\"}"));
    }

    @Test
    void metadataContains_jsonContainment() throws Exception {
        assertEquals(Set.of("old-text-crm", "mid-md-crm"), select("{\"metadata_contains\": {\"dept\": \"sales\"}}"));
        assertEquals(Set.of("new-text-wiki"), select("{\"metadata_contains\": {\"tags\": [\"y\"]}}"));
    }

    @Test
    void filtersCombine_allMustHold() throws Exception {
        assertEquals(Set.of("mid-md-crm"), select("{\"metadata_contains\": {\"dept\": \"sales\"}, \"content_type\": \"text/markdown\","
                + " \"source_uri_prefix\": \"s3://crm/\", \"updated_since\": \"2026-02-01T00:00:00Z\"}"));
        assertEquals(Set.of(), selectOrEmpty("{\"metadata_contains\": {\"dept\": \"ops\"}, \"content_type\": \"text/markdown\"}"));
    }

    static Set<String> selectOrEmpty(String json) throws Exception {
        Set<String> titles = select(json);
        assertEquals(0, new DocumentRepository(db).count(TENANT, parse(json)).documents());
        return titles;
    }
}
