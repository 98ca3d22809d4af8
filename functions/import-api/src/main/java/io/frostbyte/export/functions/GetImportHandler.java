package io.frostbyte.export.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.frostbyte.export.api.ApiGateway;
import io.frostbyte.export.api.ApiProblem;
import io.frostbyte.export.api.ImportJson;
import io.frostbyte.export.app.ImportWiring;
import io.frostbyte.export.imports.ImportJob;
import io.frostbyte.export.imports.ImportService;
import java.util.UUID;

/** {@code GET /tenants/{tenant_id}/imports/{import_id}}: status, provenance, counts, and the verifier's report. */
public final class GetImportHandler implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
    private final ImportService service;

    public GetImportHandler() {
        this(ImportWiring.apiContainer());
    }

    public GetImportHandler(ImportService service) {
        this.service = service;
    }

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
        return ApiGateway.serve(event, tenant -> {
            UUID importId = ApiGateway.uuid(event, "import_id");
            ImportJob job = service.get(tenant, importId)
                    .orElseThrow(() -> new ApiProblem(404, "Not Found", "no import " + importId + " for this tenant"));
            return ApiGateway.json(200, ImportJson.view(job));
        });
    }
}
