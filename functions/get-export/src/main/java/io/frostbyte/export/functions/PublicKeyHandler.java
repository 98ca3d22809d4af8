package io.frostbyte.export.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.frostbyte.export.api.ApiGateway;
import io.frostbyte.export.api.ApiProblem;
import io.frostbyte.export.api.ExportJson;
import io.frostbyte.export.app.ApiWiring;
import io.frostbyte.export.keys.TenantPublicKey;
import io.frostbyte.export.export.ExportService;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /tenants/{tenant_id}/public-key}: the tenant's armored public keys, active first (JSON),
 * or the keys themselves with {@code Accept: application/pgp-keys}.
 */
public final class PublicKeyHandler implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
    private final ExportService service;

    public PublicKeyHandler() {
        this(ApiWiring.container(ApiWiring.Route.PUBLIC_KEY));
    }

    public PublicKeyHandler(ExportService service) {
        this.service = service;
    }

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
        return ApiGateway.serve(event, tenant -> {
            List<TenantPublicKey> keys = service.publicKeys(tenant);
            if (keys.isEmpty()) {
                throw new ApiProblem(404, "Not Found", "this tenant has no signing key yet; it is created with the first export");
            }
            if (ApiGateway.header(event, "Accept").map(a -> a.toLowerCase(java.util.Locale.ROOT).contains("application/pgp-keys")).orElse(false)) {
                String armored = String.join("\n", keys.stream().map(TenantPublicKey::armoredPublicKey).toList());
                return new APIGatewayProxyResponseEvent().withStatusCode(200)
                        .withHeaders(new java.util.HashMap<>(Map.of("Content-Type", "application/pgp-keys", "Cache-Control", "no-store")))
                        .withBody(armored);
            }
            return ApiGateway.json(200, ExportJson.publicKeys(tenant, keys));
        });
    }
}
