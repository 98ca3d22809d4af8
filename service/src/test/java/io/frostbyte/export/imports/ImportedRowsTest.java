package io.frostbyte.export.imports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ImportedRowsTest {
    static final UUID TENANT = UUID.fromString("22222222-2222-4222-8222-222222222222");
    static final UUID SOURCE = UUID.fromString("11111111-1111-4111-8111-111111111111");
    static final UUID DOC = UUID.fromString("6f1c2a8e-3b7d-4c1e-9a2f-0d5e8b7c6a41");

    @Test
    void uuidV5_rfc9562Example() {
        // RFC 9562 appendix A.4: the DNS namespace and "www.example.com".
        assertEquals(UUID.fromString("2ed6657d-e927-568b-95e1-2665a8aea6a2"),
                ImportedRows.uuidV5(UUID.fromString("6ba7b810-9dad-11d1-80b4-00c04fd430c8"), "www.example.com"));
    }

    @Test
    void targetId_dependsOnImportingTenantSourceTenantKindAndId() {
        UUID id = ImportedRows.targetId(TENANT, SOURCE, ImportedRows.Kind.DOCUMENT, DOC);
        assertEquals(id, ImportedRows.targetId(TENANT, SOURCE, ImportedRows.Kind.DOCUMENT, DOC));
        assertEquals(5, id.version());
        assertNotEquals(id, ImportedRows.targetId(UUID.randomUUID(), SOURCE, ImportedRows.Kind.DOCUMENT, DOC));
        assertNotEquals(id, ImportedRows.targetId(TENANT, UUID.randomUUID(), ImportedRows.Kind.DOCUMENT, DOC));
        assertNotEquals(id, ImportedRows.targetId(TENANT, SOURCE, ImportedRows.Kind.CHUNK, DOC));
        assertNotEquals(id, DOC);
    }

    @Test
    void document_serviceSerialisation_becomesTheRowInTheImportingTenant() throws Exception {
        String json = "{\"content\":\"Body\",\"content_type\":\"text/markdown\",\"created_at\":\"2026-11-01T10:00:00.123456Z\",\"id\":\"" + DOC
                + "\",\"metadata\":{\"lang\":\"en\"},\"source_uri\":null,\"tenant_id\":\"" + SOURCE + "\",\"title\":\"T\","
                + "\"updated_at\":\"2026-11-02T10:00:00Z\"}";
        ImportedRows.Document d = ImportedRows.document("documents/" + DOC + ".json", json.getBytes(StandardCharsets.UTF_8), TENANT);
        assertEquals(TENANT, d.tenantId());
        assertEquals(SOURCE, d.sourceTenant());
        assertEquals(ImportedRows.targetId(TENANT, SOURCE, ImportedRows.Kind.DOCUMENT, DOC), d.id());
        assertEquals("text/markdown", d.contentType());
        assertEquals(Optional.empty(), d.sourceUri());
        assertEquals("{\"lang\":\"en\"}", d.metadataJson());
        assertEquals(Optional.of(Instant.parse("2026-11-01T10:00:00.123456Z")), d.createdAt());
        assertEquals(Optional.empty(), d.defaulted());
    }

    @Test
    void document_legacyShape_defaults() throws Exception {
        String json = "{\"content\":\"c\",\"id\":\"" + DOC + "\",\"tenant_id\":\"" + SOURCE + "\",\"title\":\"t\"}";
        ImportedRows.Document d = ImportedRows.document("documents/" + DOC + ".json", json.getBytes(StandardCharsets.UTF_8), TENANT);
        assertEquals("text/plain", d.contentType());
        assertEquals("{}", d.metadataJson());
        assertEquals(Optional.empty(), d.createdAt());
        assertEquals(Optional.of("source_uri"), d.defaulted()); // allowed for legacy bundles only; the worker decides
    }

    @Test
    void chunk_pointsAtItsDocumentsDerivedId() throws Exception {
        UUID chunk = UUID.fromString("00000000-0000-4000-8000-000000000002");
        String json = "{\"chunk_id\":\"" + chunk + "\",\"chunk_index\":3,\"document_id\":\"" + DOC + "\",\"metadata\":{},\"tenant_id\":\""
                + SOURCE + "\",\"text\":\"x\",\"token_count\":1}";
        ImportedRows.Chunk c = ImportedRows.chunk("chunks/" + chunk + ".json", json.getBytes(StandardCharsets.UTF_8), TENANT);
        assertEquals(ImportedRows.targetId(TENANT, SOURCE, ImportedRows.Kind.DOCUMENT, DOC), c.documentId());
        assertEquals(3, c.chunkIndex());
    }

    @Test
    void document_contentThatCannotBeARow_refusedWithCode() {
        String base = "\"content\":\"c\",\"tenant_id\":\"" + SOURCE + "\",\"title\":\"t\"";
        String[][] cases = {
            {"documents/" + DOC + ".json", "{" + base + ",\"id\":\"" + UUID.randomUUID() + "\"}", "content_invalid"},
            {"documents/" + DOC + ".json", "{" + base + ",\"id\":\"" + DOC + "\",\"extra\":1}", "content_invalid"},
            {"documents/" + DOC + ".json", "{" + base + ",\"id\":\"" + DOC + "\",\"metadata\":[1]}", "content_invalid"},
            {"documents/" + DOC + ".json", "{" + base + ",\"id\":\"" + DOC + "\",\"created_at\":\"yesterday\"}", "content_invalid"},
            {"documents/" + DOC + ".json", "{" + base + ",\"id\":\"" + DOC + "\",\"created_at\":\"2016-12-31T23:59:60Z\"}", "content_invalid"},
            {"documents/" + DOC + ".json", "{\"content\":\"a\\u0000b\",\"tenant_id\":\"" + SOURCE + "\",\"title\":\"t\",\"id\":\"" + DOC + "\"}", "content_invalid"},
            {"documents/" + DOC + ".json", "{" + base + ",\"id\":\"" + DOC + "\",\"id\":\"" + DOC + "\"}", "content_invalid"},
            {"documents/readme.txt", "{}", "content_path"},
            {"documents/" + DOC.toString().toUpperCase() + ".json", "{}", "content_path"},
        };
        for (String[] c : cases) {
            ImportedRows.ContentException e = assertThrows(ImportedRows.ContentException.class,
                    () -> ImportedRows.document(c[0], c[1].getBytes(StandardCharsets.UTF_8), TENANT), c[1]);
            assertEquals(c[2], e.code(), c[1]);
        }
    }
}
