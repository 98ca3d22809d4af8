package io.frostbyte.export.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class CreateExportRequestTest {
    static final String ID = "6f1c2a8e-3b7d-4c1e-9a2f-0d5e8b7c6a41";

    @Test
    void parse_validBody_idsAndFlag() throws Exception {
        CreateExportRequest r = CreateExportRequest.parse("{\"document_ids\":[\"" + ID.toUpperCase() + "\"],\"include_chunks\":true}", 10);
        assertEquals(List.of(UUID.fromString(ID)), r.documentIds());
        assertTrue(r.includeChunks());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "empty body||",
        "not JSON|{|",
        "array|[]|",
        "unknown field|{\"document_ids\":[\"" + ID + "\"],\"x\":1}|x",
        "ids missing|{}|document_ids",
        "ids not an array|{\"document_ids\":\"" + ID + "\"}|document_ids",
        "ids empty|{\"document_ids\":[]}|document_ids",
        "id not a UUID|{\"document_ids\":[\"nope\"]}|document_ids",
        "duplicate ids|{\"document_ids\":[\"" + ID + "\",\"" + ID + "\"]}|document_ids",
        "include_chunks not boolean|{\"document_ids\":[\"" + ID + "\"],\"include_chunks\":\"yes\"}|include_chunks",
        "duplicate member|{\"document_ids\":[\"" + ID + "\"],\"document_ids\":[]}|",
    })
    void parse_badBody_invalidBodyNamingTheField(String name, String body, String field) {
        ExportRequestException e = assertThrows(ExportRequestException.class, () -> CreateExportRequest.parse(body, 10));
        assertEquals(ExportRequestException.Kind.INVALID_BODY, e.kind(), name);
        if (field != null) assertEquals(field, e.details().get("field"), name + ": " + e.getMessage());
    }

    @Test
    void parse_tooManyIds_invalidBodyNamingTheLimit() {
        String ids = String.join(",", java.util.stream.IntStream.range(0, 3).mapToObj(i -> "\"" + UUID.randomUUID() + "\"").toList());
        ExportRequestException e = assertThrows(ExportRequestException.class,
                () -> CreateExportRequest.parse("{\"document_ids\":[" + ids + "]}", 2));
        assertTrue(e.getMessage().contains("at most 2"), e.getMessage());
    }

    @Test
    void parse_oversizedBody_bodyTooLarge() {
        String body = "{\"document_ids\":[\"" + ID + "\"],\"pad\":\"" + "x".repeat(CreateExportRequest.MAX_BODY_BYTES) + "\"}";
        assertEquals(ExportRequestException.Kind.BODY_TOO_LARGE,
                assertThrows(ExportRequestException.class, () -> CreateExportRequest.parse(body, 10)).kind());
    }

    @org.junit.jupiter.api.Test
    void parse_selection_normalisedForTheManifest() throws Exception {
        CreateExportRequest r = CreateExportRequest.parse("{\"selection\": {\"updated_since\": \"2026-11-01T01:00:00+01:00\","
                + " \"content_type\": \"text/plain\", \"metadata_contains\": {\"n\": 3}}, \"include_chunks\": true}", 1000);
        org.junit.jupiter.api.Assertions.assertTrue(r.documentIds().isEmpty());
        org.junit.jupiter.api.Assertions.assertEquals("{\"content_type\":\"text/plain\",\"metadata_contains\":{\"n\":3},"
                + "\"updated_since\":\"2026-11-01T00:00:00Z\"}", r.selection().orElseThrow().toJson().toString());
        org.junit.jupiter.api.Assertions.assertTrue(r.includeChunks());
        org.junit.jupiter.api.Assertions.assertEquals("{\"all\":true}",
                CreateExportRequest.parse("{\"selection\": {\"all\": true}}", 1000).selection().orElseThrow().toJson().toString());
    }

    @org.junit.jupiter.api.Test
    void parse_badSelection_invalidBodyNamingSelection() {
        String id = java.util.UUID.randomUUID().toString();
        for (String body : new String[] {
            "{\"selection\": {\"all\": true}, \"document_ids\": [\"" + id + "\"]}",
            "{\"selection\": {}}",
            "{\"selection\": {\"all\": false}}",
            "{\"selection\": {\"all\": true, \"content_type\": \"text/plain\"}}",
            "{\"selection\": {\"owner\": \"me\"}}",
            "{\"selection\": {\"updated_since\": \"yesterday\"}}",
            "{\"selection\": {\"updated_since\": \"2026-11-02T00:00:00Z\", \"updated_before\": \"2026-11-01T00:00:00Z\"}}",
            "{\"selection\": {\"metadata_contains\": [1]}}",
            "{\"selection\": {\"metadata_contains\": {\"x\": 1.5}}}",
            "{\"selection\": {\"metadata_contains\": {\"x\": -1}}}",
            "{\"selection\": {\"content_type\": \"t\u00e9xt\"}}",
            "{\"selection\": {\"source_uri_prefix\": \"\"}}",
            "{\"selection\": true}",
            "{\"selection\": {\"updated_since\": \"2026-01-01T00:00:00.0000004Z\"}}",
            "{\"selection\": {\"updated_before\": \"+294277-01-01T00:00:00Z\"}}",
            "{\"selection\": {\"updated_since\": \"-5000-01-01T00:00:00Z\"}}",
            "{\"selection\": {\"updated_since\": \"0000-01-01T00:00:00Z\"}}",
            "{\"selection\": {\"updated_since\": \"2026-01-01T00:00Z\"}}",
            "{\"selection\": {\"updated_since\": \"2026-01-01t00:00:00z\"}}",
            "{\"selection\": {\"metadata_contains\": {\"a\": \"" + "x".repeat(5000) + "\"}}}",
        }) {
            ExportRequestException e = org.junit.jupiter.api.Assertions.assertThrows(ExportRequestException.class,
                    () -> CreateExportRequest.parse(body, 1000), body);
            org.junit.jupiter.api.Assertions.assertEquals(ExportRequestException.Kind.INVALID_BODY, e.kind(), body);
            org.junit.jupiter.api.Assertions.assertEquals("selection", e.details().get("field"), body);
        }
    }

    @org.junit.jupiter.api.Test
    void requestHash_memberOrderInsideMetadataContains_sameRequest() throws Exception {
        CreateExportRequest a = CreateExportRequest.parse("{\"selection\": {\"metadata_contains\": {\"k\": \"v\", \"n\": null}}}", 10);
        CreateExportRequest b = CreateExportRequest.parse("{\"selection\": {\"metadata_contains\": {\"n\": null, \"k\": \"v\"}}}", 10);
        org.junit.jupiter.api.Assertions.assertEquals(ExportService.requestHash(a), ExportService.requestHash(b));
    }
}
