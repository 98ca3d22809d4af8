package io.frostbyte.export.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.frostbyte.export.export.ExportService;
import io.frostbyte.export.testing.Events;
import io.frostbyte.export.testing.InMemory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GetExportHandlerTest {
    final InMemory.MutableClock clock = new InMemory.MutableClock(Instant.parse("2026-11-25T09:15:30Z"));
    final InMemory.Jobs jobs = new InMemory.Jobs(clock);
    final InMemory.Keys keys = new InMemory.Keys(clock);
    final ExportService service = new ExportService(new InMemory.Docs(), jobs, keys, new InMemory.Queue(), new InMemory.Store(),
            Duration.ofMinutes(15), 1000);

    @Test
    void handleRequest_apiGatewayFixtureForAPendingExport_200WithStatus() throws Exception {
        jobs.create(Events.EXPORT, Events.TENANT, List.of(Events.DOCUMENT), false, Optional.empty(), "h");
        APIGatewayProxyResponseEvent r = new GetExportHandler(service).handleRequest(Events.apiGateway("get-export.json"), null);
        assertEquals(200, r.getStatusCode(), r.getBody());
        assertEquals("pending", new ObjectMapper().readTree(r.getBody()).get("status").asText());
    }

    @Test
    void handleRequest_exportOfAnotherTenant_404() throws Exception {
        jobs.create(Events.EXPORT, java.util.UUID.randomUUID(), List.of(Events.DOCUMENT), false, Optional.empty(), "h");
        APIGatewayProxyResponseEvent r = new GetExportHandler(service).handleRequest(Events.apiGateway("get-export.json"), null);
        assertEquals(404, r.getStatusCode());
        assertEquals("application/problem+json", r.getHeaders().get("Content-Type"));
    }

    @Test
    void publicKey_apiGatewayFixture_armoredKeysOr404BeforeTheFirstExport() throws Exception {
        PublicKeyHandler handler = new PublicKeyHandler(service);
        assertEquals(404, handler.handleRequest(Events.apiGateway("public-key.json"), null).getStatusCode());
        keys.underTenantLock(Events.TENANT, tx -> {
            tx.insertActive("0123456789ABCDEF0123456789ABCDEF01234567", "ed25519", "-----BEGIN PGP PUBLIC KEY BLOCK-----\n...", java.util.Map.of());
            return null;
        });
        APIGatewayProxyResponseEvent r = handler.handleRequest(Events.apiGateway("public-key.json"), null);
        assertEquals(200, r.getStatusCode(), r.getBody());
        assertEquals("application/pgp-keys", r.getHeaders().get("Content-Type"));
        assertTrue(r.getBody().startsWith("-----BEGIN PGP PUBLIC KEY BLOCK-----"), r.getBody());
        // Media types are case-insensitive (RFC 9110 §8.3.1).
        com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent upper = Events.apiGateway("public-key.json");
        java.util.Map<String, String> headers = new java.util.HashMap<>(upper.getHeaders() == null ? java.util.Map.of() : upper.getHeaders());
        headers.keySet().removeIf(k -> k.equalsIgnoreCase("Accept"));
        headers.put("Accept", "APPLICATION/PGP-KEYS");
        upper.setHeaders(headers);
        assertEquals("application/pgp-keys", handler.handleRequest(upper, null).getHeaders().get("Content-Type"));
    }
}
