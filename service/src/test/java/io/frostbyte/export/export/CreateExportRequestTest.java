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
}
