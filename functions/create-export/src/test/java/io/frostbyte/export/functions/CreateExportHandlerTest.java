package io.frostbyte.export.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.frostbyte.export.export.ExportService;
import io.frostbyte.export.testing.Events;
import io.frostbyte.export.testing.InMemory;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CreateExportHandlerTest {
    final InMemory.MutableClock clock = new InMemory.MutableClock(Instant.parse("2026-11-25T09:15:30Z"));
    final InMemory.Docs docs = new InMemory.Docs();
    final InMemory.Queue queue = new InMemory.Queue();
    final CreateExportHandler handler = new CreateExportHandler(new ExportService(docs, new InMemory.Jobs(clock),
            new InMemory.Keys(clock), queue, new InMemory.Store(), Duration.ofMinutes(15), 1000));

    @Test
    void handleRequest_apiGatewayFixture_202WithLocationAndAQueuedJob() throws Exception {
        docs.add(Events.TENANT, Events.DOCUMENT, "fixture", 2);
        APIGatewayProxyResponseEvent r = handler.handleRequest(Events.apiGateway("create-export.json"), null);
        assertEquals(202, r.getStatusCode(), r.getBody());
        JsonNode body = new ObjectMapper().readTree(r.getBody());
        assertEquals("pending", body.get("status").asText());
        assertTrue(r.getHeaders().get("Location").endsWith("/exports/" + body.get("export_id").asText()), r.getHeaders().toString());
        assertEquals(1, queue.pending.size());
        APIGatewayProxyResponseEvent again = handler.handleRequest(Events.apiGateway("create-export.json"), null);
        assertEquals("true", again.getHeaders().get("Idempotent-Replayed"));
        assertEquals(1, queue.pending.size());
    }

    @Test
    void handleRequest_documentNotTheTenants_422ProblemAndNothingQueued() throws Exception {
        APIGatewayProxyResponseEvent r = handler.handleRequest(Events.apiGateway("create-export.json"), null);
        assertEquals(422, r.getStatusCode());
        assertEquals("application/problem+json", r.getHeaders().get("Content-Type"));
        assertEquals(Events.DOCUMENT.toString(), new ObjectMapper().readTree(r.getBody()).get("unknown_document_ids").get(0).asText());
        assertTrue(queue.pending.isEmpty());
    }
}
