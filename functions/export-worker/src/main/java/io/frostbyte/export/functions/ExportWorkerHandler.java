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
 * queue while the invocation's time left covers the next job; a job the end of the invocation
 * would cut off is given back (upload aborted, attempt not spent) before the timeout.
 */
public final class ExportWorkerHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
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
            r = worker.drain(context == null ? ExportWorker.TimeLeft.UNLIMITED
                    : () -> java.time.Duration.ofMillis(context.getRemainingTimeInMillis()));
        } finally {
            LogContext.clear();
        }
        return Map.of("completed", r.completed(), "retried", r.retried(), "failed", r.failed(),
                "skipped", r.skipped(), "requeued", r.requeued());
    }
}
