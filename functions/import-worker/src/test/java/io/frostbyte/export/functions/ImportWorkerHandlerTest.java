package io.frostbyte.export.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.frostbyte.export.imports.ImportWorker;
import io.frostbyte.export.testing.Events;
import io.frostbyte.export.testing.InMemory;
import io.frostbyte.export.testing.InMemoryImports;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ImportWorkerHandlerTest {
    final InMemory.MutableClock clock = new InMemory.MutableClock(Instant.parse("2026-11-25T09:15:30Z"));
    final ImportWorker worker = new ImportWorker(new InMemoryImports.Jobs(clock), new InMemoryImports.Store(), new InMemory.Keys(clock),
            new ImportWorker.Settings(Duration.ofMinutes(15), 3, Duration.ofMinutes(5)));

    @Test
    void objectKey_s3Fixture_decodedKey() {
        Map<String, Object> event = Events.map("s3-import-uploaded.json");
        Object record = ((List<?>) event.get("Records")).get(0);
        assertEquals("imports/0b8f5d2c-7e4a-4f3b-8c9d-1a2b3c4d5e6f/7c2e4f1a-9b3d-4a5e-8f6c-1d2e3f4a5b6c.tar.gz",
                ImportWorkerHandler.objectKey(record));
        assertEquals("imports/a b.tar.gz", ImportWorkerHandler.objectKey(Map.of("s3", Map.of("object", Map.of("key", "imports/a+b.tar.gz")))));
        assertNull(ImportWorkerHandler.objectKey(Map.of("s3", Map.of())));
    }

    @Test
    void handleRequest_s3FixtureForAnImportThatDoesNotExist_skipped() {
        Map<String, Object> result = new ImportWorkerHandler(worker).handleRequest(Events.map("s3-import-uploaded.json"), null);
        assertEquals(Map.of("skipped", 1), result);
    }

    @Test
    void handleRequest_keyOutsideImports_skipped() {
        Map<String, Object> event = Map.of("Records", List.of(Map.of("s3", Map.of("object", Map.of("key", "exports/x/y.tar.gz")))));
        assertEquals(Map.of("skipped", 1), new ImportWorkerHandler(worker).handleRequest(event, null));
    }

    @Test
    void handleRequest_scheduleFixture_sweeps() {
        Map<String, Object> result = new ImportWorkerHandler(worker).handleRequest(Events.map("schedule.json"), null);
        assertEquals(0, result.get("completed"));
        assertEquals(0, result.get("failed"));
    }
}
