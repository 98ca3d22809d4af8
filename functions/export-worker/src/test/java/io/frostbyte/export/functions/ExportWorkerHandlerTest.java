package io.frostbyte.export.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.frostbyte.export.export.CreateExportRequest;
import io.frostbyte.export.export.ExportJob;
import io.frostbyte.export.export.ExportService;
import io.frostbyte.export.export.ExportWorker;
import io.frostbyte.export.keys.TenantKeyService;
import io.frostbyte.export.signing.KeyAlgorithm;
import io.frostbyte.export.testing.Events;
import io.frostbyte.export.testing.InMemory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ExportWorkerHandlerTest {
    @Test
    void handleRequest_scheduleFixture_drainsTheQueueAndReportsCounts() throws Exception {
        InMemory.MutableClock clock = new InMemory.MutableClock(Instant.parse("2026-11-25T09:16:00Z"));
        InMemory.Docs docs = new InMemory.Docs();
        InMemory.Jobs jobs = new InMemory.Jobs(clock);
        InMemory.Keys keys = new InMemory.Keys(clock);
        InMemory.Queue queue = new InMemory.Queue();
        InMemory.Store store = new InMemory.Store();
        ExportService service = new ExportService(docs, jobs, keys, queue, store, Duration.ofMinutes(15), 1000);
        UUID doc = docs.add(Events.TENANT, "fixture", 1);
        UUID export = service.create(Events.TENANT, new CreateExportRequest(List.of(doc), true), Optional.empty()).job().exportId();
        ExportWorker worker = new ExportWorker(docs, jobs, queue, store,
                new TenantKeyService(keys, new InMemory.SecretKeys(), KeyAlgorithm.ED25519, java.time.Duration.ofDays(365), clock),
                new ExportWorker.Settings(Duration.ofMinutes(15), 3, Duration.ofMinutes(1), 1, 1), clock);

        Map<String, Object> result = new ExportWorkerHandler(worker).handleRequest(Events.map("schedule.json"), null);

        assertEquals(1, result.get("completed"), result.toString());
        assertEquals(0, result.get("failed"));
        assertEquals(ExportJob.Status.COMPLETED, jobs.get(export).status());
        assertEquals(1, store.bundles.size());
    }
}
