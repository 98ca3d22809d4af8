package io.frostbyte.export.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.frostbyte.export.api.ApiGateway;
import io.frostbyte.export.api.ApiProblem;
import io.frostbyte.export.api.ExportJson;
import io.frostbyte.export.app.ApiWiring;
import io.frostbyte.export.export.ExportService;
import java.util.UUID;

/** {@code GET /tenants/{tenant_id}/exports/{export_id}}: status, counts and a fresh download URL. */
public final class GetExportHandler implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
    private final ExportService service;

    public GetExportHandler() {
        this(ApiWiring.container(ApiWiring.Route.GET_EXPORT));
    }

    public GetExportHandler(ExportService service) {
        this.service = service;
    }

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
        return ApiGateway.serve(event, tenant -> {
            UUID exportId = ApiGateway.uuid(event, "export_id");
            ExportService.ExportView view = service.get(tenant, exportId)
                    .orElseThrow(() -> new ApiProblem(404, "Not Found", "no export " + exportId + " for this tenant"));
            return ApiGateway.json(200, ExportJson.view(view));
        });
    }
}
