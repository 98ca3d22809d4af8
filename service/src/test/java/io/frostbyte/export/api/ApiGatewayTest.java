package io.frostbyte.export.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import io.frostbyte.export.export.ExportRequestException;
import io.frostbyte.export.export.StoreException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ApiGatewayTest {
    final UUID tenant = UUID.randomUUID();

    APIGatewayProxyRequestEvent event(Object claimTenant, String pathTenant) {
        APIGatewayProxyRequestEvent.ProxyRequestContext ctx = new APIGatewayProxyRequestEvent.ProxyRequestContext();
        ctx.setRequestId("req-1");
        if (claimTenant != null) ctx.setAuthorizer(Map.of("claims", Map.of("custom:tenant_id", claimTenant.toString())));
        return new APIGatewayProxyRequestEvent().withRequestContext(ctx).withPathParameters(Map.of("tenant_id", pathTenant));
    }

    static JsonNode body(APIGatewayProxyResponseEvent r) throws Exception {
        assertEquals("application/problem+json", r.getHeaders().get("Content-Type"));
        return ApiGateway.JSON.readTree(r.getBody());
    }

    @Test
    void serve_noClaim_401() throws Exception {
        APIGatewayProxyResponseEvent r = ApiGateway.serve(event(null, tenant.toString()), t -> ApiGateway.json(200, Map.of()));
        assertEquals(401, r.getStatusCode());
        assertEquals(401, body(r).get("status").asInt());
    }

    @Test
    void serve_claimForAnotherTenant_403() throws Exception {
        APIGatewayProxyResponseEvent r = ApiGateway.serve(event(UUID.randomUUID(), tenant.toString()), t -> ApiGateway.json(200, Map.of()));
        assertEquals(403, r.getStatusCode());
    }

    @Test
    void serve_pathTenantNotAUuid_404() throws Exception {
        assertEquals(404, ApiGateway.serve(event(tenant, "abc"), t -> ApiGateway.json(200, Map.of())).getStatusCode());
    }

    @Test
    void serve_ownTenant_routeRunsWithIt() throws Exception {
        APIGatewayProxyResponseEvent r = ApiGateway.serve(event(tenant, tenant.toString()), t -> ApiGateway.json(200, Map.of("t", t)));
        assertEquals(200, r.getStatusCode());
        assertEquals(tenant.toString(), ApiGateway.JSON.readTree(r.getBody()).get("t").asText());
    }

    @Test
    void serve_refusedRequests_mappedToTheirStatusWithDetails() throws Exception {
        Map<ExportRequestException.Kind, Integer> expected = Map.of(ExportRequestException.Kind.INVALID_BODY, 400,
                ExportRequestException.Kind.BODY_TOO_LARGE, 413, ExportRequestException.Kind.UNKNOWN_DOCUMENTS, 422,
                ExportRequestException.Kind.IDEMPOTENCY_CONFLICT, 422, ExportRequestException.Kind.SELECTION_EMPTY, 422,
                ExportRequestException.Kind.SELECTION_TOO_LARGE, 422);
        for (ExportRequestException.Kind kind : ExportRequestException.Kind.values()) {
            APIGatewayProxyResponseEvent r = ApiGateway.serve(event(tenant, tenant.toString()), t -> {
                throw new ExportRequestException(kind, "because", Map.of("unknown_document_ids", List.of("x")));
            });
            assertEquals(expected.get(kind), r.getStatusCode(), kind.name());
            JsonNode b = body(r);
            assertEquals("because", b.get("detail").asText());
            assertEquals("x", b.get("unknown_document_ids").get(0).asText());
        }
    }

    @Test
    void serve_refusedImports_mappedToTheirStatus() throws Exception {
        Map<io.frostbyte.export.imports.ImportRequestException.Kind, Integer> expected = Map.of(
                io.frostbyte.export.imports.ImportRequestException.Kind.INVALID_BODY, 400,
                io.frostbyte.export.imports.ImportRequestException.Kind.BODY_TOO_LARGE, 413,
                io.frostbyte.export.imports.ImportRequestException.Kind.BUNDLE_TOO_LARGE, 413);
        for (var kind : io.frostbyte.export.imports.ImportRequestException.Kind.values()) {
            APIGatewayProxyResponseEvent r = ApiGateway.serve(event(tenant, tenant.toString()), t -> {
                throw new io.frostbyte.export.imports.ImportRequestException(kind, "because", Map.of("field", "size"));
            });
            assertEquals(expected.get(kind), r.getStatusCode(), kind.name());
            assertEquals("size", body(r).get("field").asText());
        }
    }

    @Test
    void serve_storeDown_500WithRequestIdAndNoInternals() throws Exception {
        APIGatewayProxyResponseEvent r = ApiGateway.serve(event(tenant, tenant.toString()), t -> {
            throw new StoreException("find (export_jobs): password authentication failed for user frostbyte", new RuntimeException());
        });
        assertEquals(500, r.getStatusCode());
        String text = r.getBody();
        assertTrue(text.contains("req-1"), text);
        assertFalse(text.contains("password") || text.contains("export_jobs") || text.contains("\tat "), text);
    }

    @Test
    void jsonBody_badBase64_400_otherMediaType_415() throws Exception {
        APIGatewayProxyRequestEvent b64 = event(tenant, tenant.toString()).withBody("%%%not base64").withIsBase64Encoded(true);
        assertEquals(400, ApiGateway.serve(b64, t -> {
            ApiGateway.jsonBody(b64);
            return ApiGateway.json(200, Map.of());
        }).getStatusCode());
        APIGatewayProxyRequestEvent form = event(tenant, tenant.toString()).withBody("a=b")
                .withHeaders(Map.of("Content-Type", "application/x-www-form-urlencoded"));
        APIGatewayProxyResponseEvent r = ApiGateway.serve(form, t -> {
            ApiGateway.jsonBody(form);
            return ApiGateway.json(200, Map.of());
        });
        assertEquals(415, r.getStatusCode(), r.getBody());
        for (String other : List.of("application/merge-patch+json", "application/problem+json", "text/json",
                "application/json; foo=bar", "application/json; charset=latin1", "application/json; charset=utf-8; foo=bar")) {
            APIGatewayProxyRequestEvent suffixed = event(tenant, tenant.toString()).withBody("{}").withHeaders(Map.of("Content-Type", other));
            assertEquals(415, ApiGateway.serve(suffixed, t -> {
                ApiGateway.jsonBody(suffixed);
                return ApiGateway.json(200, Map.of());
            }).getStatusCode(), other);
        }
        APIGatewayProxyRequestEvent json = event(tenant, tenant.toString()).withBody("{}")
                .withHeaders(Map.of("content-type", "application/json; charset=utf-8"));
        assertEquals("{}", ApiGateway.jsonBody(json));
        APIGatewayProxyRequestEvent quoted = event(tenant, tenant.toString()).withBody("{}")
                .withHeaders(Map.of("Content-Type", "application/json;charset=\"UTF-8\""));
        assertEquals("{}", ApiGateway.jsonBody(quoted));
    }

    static APIGatewayProxyRequestEvent withClaims(Map<String, Object> claims) {
        APIGatewayProxyRequestEvent.ProxyRequestContext ctx = new APIGatewayProxyRequestEvent.ProxyRequestContext();
        ctx.setAuthorizer(Map.of("claims", claims));
        return new APIGatewayProxyRequestEvent().withRequestContext(ctx);
    }

    @Test
    void issuedToOurClient_idTokenOfAnotherAppClient_refused_ofOurs_accepted() {
        java.util.Set<String> ours = java.util.Set.of("our-client");
        assertTrue(ApiGateway.issuedToOurClient(withClaims(Map.of("aud", "our-client", "custom:tenant_id", tenant.toString())), ours));
        // A client of the same user pool that lets users write custom:tenant_id: its tokens must not name a tenant here.
        assertTrue(!ApiGateway.issuedToOurClient(withClaims(Map.of("aud", "self-service-client", "custom:tenant_id", tenant.toString())), ours));
        assertTrue(!ApiGateway.issuedToOurClient(withClaims(Map.of("custom:tenant_id", tenant.toString())), ours));
        assertTrue(ApiGateway.issuedToOurClient(withClaims(Map.of("custom:tenant_id", tenant.toString())), java.util.Set.of()), "no check when unset");
    }

    @Test
    void problem_carriesAStableCodeAndTheRequestId() throws Exception {
        APIGatewayProxyResponseEvent r = ApiGateway.serve(event(UUID.randomUUID(), tenant.toString()), t -> ApiGateway.json(200, Map.of()));
        JsonNode p = body(r);
        assertEquals("forbidden", p.get("code").asText());
        assertEquals("req-1", p.get("request_id").asText());
        assertEquals("invalid_request_body", ApiGateway.code("Invalid request body"));
        assertEquals("idempotency_key_reused", ApiGateway.code("Idempotency-Key reused"));
    }
}
