package io.frostbyte.export.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.frostbyte.export.observability.LogContext;
import io.frostbyte.export.api.ApiGateway;
import io.frostbyte.export.api.ImportJson;
import io.frostbyte.export.app.ImportWiring;
import io.frostbyte.export.imports.ImportRequest;
import io.frostbyte.export.imports.ImportService;
import java.util.HashMap;

/** {@code POST /tenants/{tenant_id}/imports}: validates, records the import, answers 202 with its one-body upload URL. */
public final class CreateImportHandler implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
    private final ImportService service;

    public CreateImportHandler() {
        this(ImportWiring.apiContainer());
    }

    public CreateImportHandler(ImportService service) {
        this.service = service;
    }

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
        return ApiGateway.serve(event, tenant -> {
            ImportRequest request = ImportRequest.parse(ApiGateway.jsonBody(event), service.maxImportBytes());
            ImportService.Created created = service.create(tenant, request);
            LogContext.put("import_id", created.job().importId());
            APIGatewayProxyResponseEvent response = ApiGateway.json(202, ImportJson.created(created));
            response.setHeaders(new HashMap<>(response.getHeaders()));
            response.getHeaders().put("Location", ImportJson.location(tenant, created.job().importId()));
            return response;
        });
    }
}
