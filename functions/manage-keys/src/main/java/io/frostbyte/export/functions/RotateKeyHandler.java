package io.frostbyte.export.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.frostbyte.export.api.ApiGateway;
import io.frostbyte.export.api.ApiProblem;
import io.frostbyte.export.api.ExportJson;
import io.frostbyte.export.app.KeyWiring;
import io.frostbyte.export.keys.KeyAdministration;
import io.frostbyte.export.keys.TenantPublicKey;
import java.util.HashMap;

/** {@code POST /tenants/{tenant_id}/keys} (administrative right): a new active key; the previous one is retired. */
public final class RotateKeyHandler implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
    private final KeyAdministration keys;

    public RotateKeyHandler() {
        this(KeyWiring.container());
    }

    public RotateKeyHandler(KeyAdministration keys) {
        this.keys = keys;
    }

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
        return ApiGateway.serve(event, tenant -> {
            String actor = ApiGateway.requireAdmin(event, keys.adminGroup());
            String body = ApiGateway.jsonBody(event);
            if (body != null && !body.isBlank() && !body.strip().equals("{}")) {
                throw new ApiProblem(400, "Invalid request body", "a rotation takes no parameters: send no body or {}");
            }
            TenantPublicKey key = keys.rotate(tenant, actor);
            APIGatewayProxyResponseEvent response = ApiGateway.json(201, ExportJson.key(key));
            response.setHeaders(new HashMap<>(response.getHeaders()));
            response.getHeaders().put("Location", "/tenants/" + tenant + "/public-key");
            return response;
        });
    }
}
