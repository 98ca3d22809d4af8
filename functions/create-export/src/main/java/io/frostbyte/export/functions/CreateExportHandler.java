package io.frostbyte.export.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.frostbyte.export.api.ApiGateway;
import io.frostbyte.export.api.ApiProblem;
import io.frostbyte.export.api.ExportJson;
import io.frostbyte.export.app.ApiWiring;
import io.frostbyte.export.export.CreateExportRequest;
import io.frostbyte.export.export.ExportService;
import io.frostbyte.export.observability.LogContext;
import io.frostbyte.export.observability.Metrics;
import java.util.Optional;

/** {@code POST /tenants/{tenant_id}/exports}: validates, records a pending export, queues it; 202. */
public final class CreateExportHandler implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
    private final ExportService service;
    private final Optional<WorkerTrigger> trigger;
    private final Metrics metrics;

    public CreateExportHandler() {
        this.service = ApiWiring.container(ApiWiring.Route.CREATE_EXPORT);
        this.trigger = WorkerTrigger.from(ApiWiring.config());
        this.metrics = Metrics.standard();
    }

    /** For tests and the local runner, which runs the worker itself. */
    public CreateExportHandler(ExportService service) {
        this(service, Metrics.standard());
    }

    public CreateExportHandler(ExportService service, Metrics metrics) {
        this.service = service;
        this.trigger = Optional.empty();
        this.metrics = metrics;
    }

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
        return ApiGateway.serve(event, tenant -> {
            CreateExportRequest request = CreateExportRequest.parse(ApiGateway.jsonBody(event), service.maxDocuments());
            Optional<String> key = ApiGateway.header(event, "Idempotency-Key");
            if (key.isPresent() && (key.get().isEmpty() || key.get().length() > 255 || !key.get().matches("[\\x21-\\x7e]+"))) {
                throw new ApiProblem(400, "Invalid Idempotency-Key", "Idempotency-Key must be 1-255 visible ASCII characters");
            }
            ExportService.Created created = service.create(tenant, request, key);
            LogContext.put("export_id", created.job().exportId());
            if (created.isNew()) metrics.emit(Metrics.Metric.count("ExportsCreated", 1), Optional.of(tenant));
            APIGatewayProxyResponseEvent response = ApiGateway.json(202, ExportJson.created(created.job()));
            response.setHeaders(new java.util.HashMap<>(response.getHeaders()));
            response.getHeaders().put("Location", ExportJson.location(tenant, created.job().exportId()));
            if (!created.isNew()) response.getHeaders().put("Idempotent-Replayed", "true");
            if (created.isNew()) trigger.ifPresent(WorkerTrigger::fire);
            return response;
        });
    }
}
