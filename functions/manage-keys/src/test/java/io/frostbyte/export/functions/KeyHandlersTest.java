package io.frostbyte.export.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.frostbyte.export.keys.KeyAdministration;
import io.frostbyte.export.keys.TenantKeyService;
import io.frostbyte.export.signing.KeyAlgorithm;
import io.frostbyte.export.testing.Events;
import io.frostbyte.export.testing.InMemory;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KeyHandlersTest {
    static final ObjectMapper JSON = new ObjectMapper();
    final InMemory.MutableClock clock = new InMemory.MutableClock(Instant.parse("2026-11-25T09:15:30Z"));
    final InMemory.Keys keys = new InMemory.Keys(clock);
    final TenantKeyService service = new TenantKeyService(keys, new InMemory.SecretKeys(), KeyAlgorithm.ED25519, Duration.ofDays(365), clock);
    final KeyAdministration admin = new KeyAdministration(service, "frostbyte-admin");

    /** The get-export fixture reshaped into a key route, with these authorizer claims. */
    static APIGatewayProxyRequestEvent event(Map<String, Object> claims, Map<String, String> path, String body) {
        APIGatewayProxyRequestEvent e = Events.apiGateway("get-export.json");
        e.setHttpMethod("POST");
        Map<String, String> params = new HashMap<>(path);
        params.put("tenant_id", Events.TENANT.toString());
        e.setPathParameters(params);
        Map<String, Object> all = new HashMap<>(claims);
        all.put("tenant_id", Events.TENANT.toString());
        e.getRequestContext().setAuthorizer(Map.of("claims", all));
        e.setBody(body);
        return e;
    }

    @Test
    void rotate_withoutTheAdminGroup_403AndNoKey() throws Exception {
        for (Map<String, Object> claims : List.<Map<String, Object>>of(Map.of(), Map.of("cognito:groups", "[readers, frostbyte-admins]"),
                Map.of("scope", "openid profile"))) {
            APIGatewayProxyResponseEvent r = new RotateKeyHandler(admin).handleRequest(event(claims, Map.of(), null), null);
            assertEquals(403, r.getStatusCode(), claims + ": " + r.getBody());
        }
        assertTrue(keys.all(Events.TENANT).isEmpty());
    }

    @Test
    void rotate_groupAsCognitoListOrTextOrScope_201WithTheNewActiveKeyAudited() throws Exception {
        for (Map<String, Object> claims : List.<Map<String, Object>>of(Map.of("cognito:groups", List.of("frostbyte-admin"), "sub", "u-1"),
                Map.of("cognito:groups", "[readers, frostbyte-admin]", "sub", "u-2"), Map.of("scope", "openid frostbyte-admin", "sub", "u-3"))) {
            APIGatewayProxyResponseEvent r = new RotateKeyHandler(admin).handleRequest(event(claims, Map.of(), "{}"), null);
            assertEquals(201, r.getStatusCode(), r.getBody());
            JsonNode key = JSON.readTree(r.getBody());
            assertEquals("active", key.get("status").asText());
            assertEquals(key.get("fingerprint").asText(), keys.active(Events.TENANT).orElseThrow().fingerprint());
        }
        assertEquals(List.of("u-1", "u-2", "u-3"), keys.audit.stream().map(a -> a.actor()).toList());
    }

    @Test
    void revoke_badReasonUnknownKeyOrBadFingerprint_400And404() throws Exception {
        Map<String, Object> adminClaims = Map.of("cognito:groups", "frostbyte-admin", "sub", "u");
        String fpr = service.ensure(Events.TENANT).fingerprint();
        RevokeKeyHandler h = new RevokeKeyHandler(admin);
        assertEquals(400, h.handleRequest(event(adminClaims, Map.of("fingerprint", fpr), "{\"reason\":\"stolen\"}"), null).getStatusCode());
        assertEquals(404, h.handleRequest(event(adminClaims, Map.of("fingerprint", "A".repeat(40)), "{\"reason\":\"compromised\"}"), null)
                .getStatusCode());
        assertEquals(404, h.handleRequest(event(adminClaims, Map.of("fingerprint", "xyz"), "{\"reason\":\"compromised\"}"), null).getStatusCode());
        APIGatewayProxyResponseEvent ok = h.handleRequest(event(adminClaims, Map.of("fingerprint", fpr.toLowerCase()),
                "{\"reason\":\"superseded\"}"), null);
        assertEquals(200, ok.getStatusCode(), ok.getBody());
        JsonNode key = JSON.readTree(ok.getBody());
        assertEquals("revoked", key.get("status").asText());
        assertEquals("superseded", key.get("reason").asText());
        assertTrue(keys.active(Events.TENANT).isEmpty());
    }

    @Test
    void rotateAndRevoke_theEventFixtures_201Then200() throws Exception {
        APIGatewayProxyResponseEvent rotated = new RotateKeyHandler(admin).handleRequest(Events.apiGateway("rotate-key.json"), null);
        assertEquals(201, rotated.getStatusCode(), rotated.getBody());
        String fpr = JSON.readTree(rotated.getBody()).get("fingerprint").asText();
        APIGatewayProxyRequestEvent revoke = Events.apiGateway("revoke-key.json");
        assertEquals(404, new RevokeKeyHandler(admin).handleRequest(revoke, null).getStatusCode(), "the fixture's fingerprint is no key here");
        revoke.getPathParameters().put("fingerprint", fpr);
        APIGatewayProxyResponseEvent revoked = new RevokeKeyHandler(admin).handleRequest(revoke, null);
        assertEquals(200, revoked.getStatusCode(), revoked.getBody());
        assertEquals("compromised", JSON.readTree(revoked.getBody()).get("reason").asText());
    }
}
