package io.frostbyte.export.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.frostbyte.export.testing.InMemory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ExportServiceTest {
    final InMemory.MutableClock clock = new InMemory.MutableClock(Instant.parse("2026-11-25T10:00:00Z"));
    final InMemory.Docs docs = new InMemory.Docs();
    final InMemory.Jobs jobs = new InMemory.Jobs(clock);
    final InMemory.Keys keys = new InMemory.Keys(clock);
    final InMemory.Queue queue = new InMemory.Queue();
    final InMemory.Store store = new InMemory.Store();
    final ExportService service = new ExportService(docs, jobs, keys, queue, store, Duration.ofMinutes(15), 1000);
    final UUID tenant = UUID.randomUUID();
    final UUID other = UUID.randomUUID();

    @Test
    void create_ownDocuments_recordsPendingJobAndQueuesIt() throws Exception {
        UUID d = docs.add(tenant, "a", 1);
        ExportService.Created created = service.create(tenant, new CreateExportRequest(List.of(d), true), Optional.empty());
        assertTrue(created.isNew());
        assertEquals(ExportJob.Status.PENDING, created.job().status());
        assertEquals(List.of(InMemory.Queue.payload(new io.frostbyte.export.queue.JobQueue.Message(created.job().exportId(), tenant))),
                List.copyOf(queue.pending));
    }

    @Test
    void create_anotherTenantsDocument_unknownDocumentsAndNothingRecorded() throws Exception {
        UUID foreign = docs.add(other, "b", 0);
        ExportRequestException e = assertThrows(ExportRequestException.class,
                () -> service.create(tenant, new CreateExportRequest(List.of(foreign), false), Optional.empty()));
        assertEquals(ExportRequestException.Kind.UNKNOWN_DOCUMENTS, e.kind());
        assertEquals(List.of(foreign.toString()), e.details().get("unknown_document_ids"));
        assertTrue(jobs.all().isEmpty());
        assertTrue(queue.pending.isEmpty());
    }

    @Test
    void create_sameIdempotencyKeySameBody_replaysTheFirstJob() throws Exception {
        UUID d = docs.add(tenant, "a", 0);
        CreateExportRequest r = new CreateExportRequest(List.of(d), false);
        ExportService.Created first = service.create(tenant, r, Optional.of("k1"));
        ExportService.Created again = service.create(tenant, r, Optional.of("k1"));
        assertFalse(again.isNew());
        assertEquals(first.job().exportId(), again.job().exportId());
        assertEquals(1, queue.pending.size());
    }

    @Test
    void create_sameIdempotencyKeyOtherBody_conflict() throws Exception {
        UUID d = docs.add(tenant, "a", 0);
        service.create(tenant, new CreateExportRequest(List.of(d), false), Optional.of("k1"));
        ExportRequestException e = assertThrows(ExportRequestException.class,
                () -> service.create(tenant, new CreateExportRequest(List.of(d), true), Optional.of("k1")));
        assertEquals(ExportRequestException.Kind.IDEMPOTENCY_CONFLICT, e.kind());
    }

    @Test
    void create_queueDown_jobStillRecordedForTheSweep() throws Exception {
        UUID d = docs.add(tenant, "a", 0);
        queue.failPush = true;
        ExportService.Created created = service.create(tenant, new CreateExportRequest(List.of(d), false), Optional.empty());
        assertEquals(ExportJob.Status.PENDING, jobs.get(created.job().exportId()).status());
    }

    @Test
    void get_otherTenantsExport_empty() throws Exception {
        UUID d = docs.add(tenant, "a", 0);
        UUID export = service.create(tenant, new CreateExportRequest(List.of(d), false), Optional.empty()).job().exportId();
        assertTrue(service.get(other, export).isEmpty());
        ExportService.ExportView view = service.get(tenant, export).orElseThrow();
        assertTrue(view.download().isEmpty(), "no download URL before completion");
    }

    @Test
    void create_selection_idempotencyCoversIt_andTheCapCountsFiles() throws Exception {
        docs.add(tenant, "a", 2);
        docs.add(tenant, "b", 1);
        CreateExportRequest all = new CreateExportRequest(Selection.everything(), true);
        ExportService.Created first = service.create(tenant, all, Optional.of("sel"));
        assertEquals("{\"all\":true}", first.job().selection().orElseThrow());
        assertTrue(first.job().documentIds().isEmpty());
        assertEquals(first.job().exportId(), service.create(tenant, all, Optional.of("sel")).job().exportId(), "replay");
        ExportRequestException other = assertThrows(ExportRequestException.class,
                () -> service.create(tenant, new CreateExportRequest(Selection.everything(), false), Optional.of("sel")));
        assertEquals(ExportRequestException.Kind.IDEMPOTENCY_CONFLICT, other.kind());

        ExportService capped = new ExportService(docs, jobs, keys, queue, store, Duration.ofMinutes(15), 1000, 4);
        ExportRequestException tooMany = assertThrows(ExportRequestException.class, () -> capped.create(tenant, all, Optional.empty()));
        assertEquals(ExportRequestException.Kind.SELECTION_TOO_LARGE, tooMany.kind());
        assertEquals(5L, tooMany.details().get("file_count"));
        assertEquals(4L, tooMany.details().get("max_files"));
        assertTrue(capped.create(tenant, new CreateExportRequest(Selection.everything(), false), Optional.empty()).isNew(),
                "two documents without chunks fit");
        ExportRequestException empty = assertThrows(ExportRequestException.class,
                () -> service.create(UUID.randomUUID(), all, Optional.empty()));
        assertEquals(ExportRequestException.Kind.SELECTION_EMPTY, empty.kind());
    }

    @Test
    void create_selectionRetriedAfterTheDataChanged_replaysInsteadOfCheckingAgain() throws Exception {
        docs.add(tenant, "a", 1);
        ExportService capped = new ExportService(docs, jobs, keys, queue, store, Duration.ofMinutes(15), 1000, 3);
        CreateExportRequest all = new CreateExportRequest(Selection.everything(), true);
        ExportService.Created first = capped.create(tenant, all, Optional.of("retry"));
        docs.add(tenant, "b", 5); // now over the cap
        assertEquals(first.job().exportId(), capped.create(tenant, all, Optional.of("retry")).job().exportId());
        assertEquals(ExportRequestException.Kind.SELECTION_TOO_LARGE,
                assertThrows(ExportRequestException.class, () -> capped.create(tenant, all, Optional.of("fresh"))).kind());
    }

    @Test
    void get_completedExportPastTheBucketsRetention_noUrlThatWould404_andNoUrlOutlivesIt() throws Exception {
        ExportService kept = new ExportService(docs, jobs, keys, queue, store, Duration.ofHours(1), 1000, 1000,
                Optional.of(Duration.ofDays(30)), clock);
        UUID d = docs.add(tenant, "a", 0);
        UUID export = kept.create(tenant, new CreateExportRequest(List.of(d), false), Optional.empty()).job().exportId();
        UUID owner = UUID.randomUUID();
        jobs.claim(tenant, export, owner, Duration.ofMinutes(5), 3);
        jobs.complete(export, owner, "k", new io.frostbyte.export.bundle.BundleSummary(export, tenant, clock.instant(), 1, 0, "F", 10, "0".repeat(64)));
        Instant completed = jobs.get(export).completedAt().orElseThrow();

        ExportService.ExportView fresh = kept.get(tenant, export).orElseThrow();
        assertEquals(completed.plus(Duration.ofDays(30)), fresh.bundleExpiresAt().orElseThrow());
        // The in-memory store's URL expires at the epoch plus the TTL it was asked for.
        assertEquals(Instant.EPOCH.plus(Duration.ofHours(1)), fresh.download().orElseThrow().expiresAt());

        clock.advance(Duration.ofDays(30).minusMinutes(10));
        ExportService.ExportView late = kept.get(tenant, export).orElseThrow();
        assertEquals(Instant.EPOCH.plus(Duration.ofMinutes(10)), late.download().orElseThrow().expiresAt(), "capped at the bundle's end");

        clock.advance(Duration.ofMinutes(11));
        ExportService.ExportView gone = kept.get(tenant, export).orElseThrow();
        assertTrue(gone.download().isEmpty() && gone.bundleExpired(), "no URL that answers 404");
        String json = io.frostbyte.export.api.ExportJson.view(gone).toString();
        assertTrue(json.contains("\"bundle_expired\":true") && !json.contains("download_url"), json);
    }
}
