package io.frostbyte.export.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.frostbyte.export.imports.ImportService;
import io.frostbyte.export.testing.Events;
import io.frostbyte.export.testing.InMemory;
import io.frostbyte.export.testing.InMemoryImports;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ImportHandlersTest {
    static final ObjectMapper JSON = new ObjectMapper();
    final InMemory.MutableClock clock = new InMemory.MutableClock(Instant.parse("2026-11-25T09:15:30Z"));
    final InMemoryImports.Jobs jobs = new InMemoryImports.Jobs(clock);
    final ImportService service = new ImportService(jobs, new InMemoryImports.Store(), Duration.ofMinutes(15), 1L << 30, clock);

    @Test
    void createImport_apiGatewayFixture_202WithLocationAndTheSignedUpload() throws Exception {
        APIGatewayProxyResponseEvent r = new CreateImportHandler(service).handleRequest(Events.apiGateway("create-import.json"), null);
        assertEquals(202, r.getStatusCode(), r.getBody());
        JsonNode body = JSON.readTree(r.getBody());
        assertEquals("awaiting_upload", body.get("status").asText());
        assertEquals("/tenants/" + Events.TENANT + "/imports/" + body.get("import_id").asText(), r.getHeaders().get("Location"));
        assertTrue(body.get("upload_url").asText().contains("size=18342"), body.toString());
        assertEquals("1", body.at("/upload_headers/x-test").asText());
        assertEquals("PUT", body.get("upload_method").asText());
    }

    @Test
    void createImport_noTrustGiven_400NamingTheField() throws Exception {
        APIGatewayProxyRequestEvent e = Events.apiGateway("create-import.json");
        e.setBody("{\"size\": 10, \"sha256\": \"" + "0".repeat(64) + "\"}");
        APIGatewayProxyResponseEvent r = new CreateImportHandler(service).handleRequest(e, null);
        assertEquals(400, r.getStatusCode(), r.getBody());
        assertEquals("application/problem+json", r.getHeaders().get("Content-Type"));
        assertEquals("public_keys", JSON.readTree(r.getBody()).get("field").asText());
    }

    @Test
    void getImport_apiGatewayFixture_200_otherTenantsImport_404() throws Exception {
        UUID fixtureImport = UUID.fromString(Events.apiGateway("get-import.json").getPathParameters().get("import_id"));
        var request = io.frostbyte.export.imports.ImportRequest.parse("{\"size\":10,\"sha256\":\"" + "a".repeat(64)
                + "\",\"source_tenant_id\":\"" + UUID.randomUUID() + "\"}", 100);
        jobs.create(fixtureImport, UUID.randomUUID(), request, clock.instant());
        GetImportHandler handler = new GetImportHandler(service);
        assertEquals(404, handler.handleRequest(Events.apiGateway("get-import.json"), null).getStatusCode());
        InMemoryImports.Jobs own = new InMemoryImports.Jobs(clock);
        own.create(fixtureImport, Events.TENANT, request, clock.instant());
        APIGatewayProxyResponseEvent r = new GetImportHandler(new ImportService(own, new InMemoryImports.Store(), Duration.ofMinutes(15),
                100, clock)).handleRequest(Events.apiGateway("get-import.json"), null);
        assertEquals(200, r.getStatusCode(), r.getBody());
        JsonNode body = JSON.readTree(r.getBody());
        assertEquals("awaiting_upload", body.get("status").asText());
        assertEquals("uuid-v5", body.at("/id_mapping/scheme").asText());
    }
}
