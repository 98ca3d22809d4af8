package io.frostbyte.export.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import io.frostbyte.export.api.ApiGateway;
import io.frostbyte.export.api.ApiProblem;
import io.frostbyte.export.api.ExportJson;
import io.frostbyte.export.app.KeyWiring;
import io.frostbyte.export.json.JsonFormatException;
import io.frostbyte.export.json.StrictJson;
import io.frostbyte.export.keys.KeyAdministration;
import io.frostbyte.export.keys.TenantKeyService;
import io.frostbyte.export.signing.RevocationReason;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * {@code POST /tenants/{tenant_id}/keys/{fingerprint}/revoke} (administrative right), body
 * {@code {"reason": "compromised" | "superseded"}}: publishes the key's revocation, marks it revoked
 * and destroys its secret.
 */
public final class RevokeKeyHandler implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
    private final KeyAdministration keys;

    public RevokeKeyHandler() {
        this(KeyWiring.container());
    }

    public RevokeKeyHandler(KeyAdministration keys) {
        this.keys = keys;
    }

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
        return ApiGateway.serve(event, tenant -> {
            String actor = ApiGateway.requireAdmin(event, keys.adminGroup());
            String fingerprint = event.getPathParameters() == null ? null : event.getPathParameters().get("fingerprint");
            if (fingerprint == null || !fingerprint.matches("[0-9A-Fa-f]{40}")) {
                throw new ApiProblem(404, "Not Found", "fingerprint must be 40 hex digits");
            }
            RevocationReason reason = reason(ApiGateway.jsonBody(event));
            try {
                return ApiGateway.json(200, ExportJson.key(keys.revoke(tenant, fingerprint.toUpperCase(Locale.ROOT), reason, actor)));
            } catch (TenantKeyService.KeyChangeException e) {
                throw switch (e.kind()) {
                    case NO_SUCH_KEY -> new ApiProblem(404, "Not Found", "no key " + fingerprint.toUpperCase(Locale.ROOT) + " for this tenant");
                    case NOT_REVOCABLE -> new ApiProblem(409, "Conflict", e.getMessage());
                };
            }
        });
    }

    static RevocationReason reason(String body) throws ApiProblem {
        if (body == null || body.isBlank()) throw invalid("the body must be {\"reason\": \"compromised\" | \"superseded\"}");
        JsonNode n;
        try {
            n = StrictJson.parse(body.getBytes(StandardCharsets.UTF_8));
        } catch (JsonFormatException e) {
            throw invalid("the request body is not valid JSON: " + e.reason());
        }
        if (!n.isObject() || n.size() != 1 || !n.has("reason")) throw invalid("the body must be {\"reason\": \"compromised\" | \"superseded\"}");
        JsonNode r = n.get("reason");
        return (r.isTextual() ? RevocationReason.of(r.textValue()) : java.util.Optional.<RevocationReason>empty())
                .orElseThrow(() -> invalid("reason must be compromised or superseded"));
    }

    private static ApiProblem invalid(String detail) {
        return new ApiProblem(400, "Invalid request body", detail, Map.of("field", "reason"));
    }
}
