package io.frostbyte.export.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import io.frostbyte.export.app.WorkerWiring;
import io.frostbyte.export.export.ExportWorker;
import io.frostbyte.export.observability.LogContext;
import java.util.Map;
import java.util.Optional;

/**
 * Runs on the EventBridge schedule and on asynchronous invokes from create-export: drains the
 * queue until it is empty or less than a safety margin of the invocation's time is left.
 */
public final class ExportWorkerHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    /** Stop taking new jobs when less than this is left: one job must still fit. */
    static final long SAFETY_MARGIN_MS = 120_000;

    private final ExportWorker worker;

    public ExportWorkerHandler() {
        this(WorkerWiring.container().worker());
    }

    public ExportWorkerHandler(ExportWorker worker) {
        this.worker = worker;
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        LogContext.begin(Optional.ofNullable(context).map(Context::getAwsRequestId));
        ExportWorker.DrainResult r;
        try {
            r = worker.drain(() -> context == null || context.getRemainingTimeInMillis() > SAFETY_MARGIN_MS);
        } finally {
            LogContext.clear();
        }
        return Map.of("completed", r.completed(), "retried", r.retried(), "failed", r.failed(),
                "skipped", r.skipped(), "requeued", r.requeued());
    }
}
