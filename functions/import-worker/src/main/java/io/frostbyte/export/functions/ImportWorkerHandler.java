package io.frostbyte.export.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import io.frostbyte.export.app.ImportWiring;
import io.frostbyte.export.imports.ImportWorker;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.List;
import io.frostbyte.export.observability.LogContext;
import java.util.Map;
import java.util.TreeMap;

/**
 * S3 {@code ObjectCreated} on {@code imports/}: imports each uploaded bundle. On the schedule (any
 * event without S3 records): retries imports whose worker died and settles uploads that never came.
 */
public final class ImportWorkerHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    private final ImportWorker worker;

    public ImportWorkerHandler() {
        this(ImportWiring.workerContainer());
    }

    public ImportWorkerHandler(ImportWorker worker) {
        this.worker = worker;
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        LogContext.begin(java.util.Optional.ofNullable(context).map(Context::getAwsRequestId));
        try {
            return handle(event);
        } finally {
            LogContext.clear();
        }
    }

    private Map<String, Object> handle(Map<String, Object> event) {
        if (event != null && event.get("Records") instanceof List<?> records) {
            Map<ImportWorker.Outcome, Integer> outcomes = new EnumMap<>(ImportWorker.Outcome.class);
            for (Object record : records) {
                String key = objectKey(record);
                ImportWorker.Outcome o = key == null ? ImportWorker.Outcome.SKIPPED : worker.uploaded(key);
                outcomes.merge(o, 1, Integer::sum);
            }
            Map<String, Object> result = new TreeMap<>();
            outcomes.forEach((k, v) -> result.put(k.name().toLowerCase(java.util.Locale.ROOT), v));
            return result;
        }
        ImportWorker.SweepResult r = worker.sweep();
        return Map.of("completed", r.completed(), "rejected", r.rejected(), "failed", r.failed(), "retried", r.retried(),
                "skipped", r.skipped());
    }

    /** {@code Records[].s3.object.key}, which S3 sends URL-encoded (form encoding: '+' for space). */
    static String objectKey(Object record) {
        if (!(record instanceof Map<?, ?> r) || !(r.get("s3") instanceof Map<?, ?> s3) || !(s3.get("object") instanceof Map<?, ?> object)) {
            return null;
        }
        Object key = object.get("key");
        return key == null ? null : URLDecoder.decode(key.toString(), StandardCharsets.UTF_8);
    }
}
