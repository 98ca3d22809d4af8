package io.frostbyte.export.functions;

import io.frostbyte.export.config.Config;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;

/**
 * Starts the worker right away with an asynchronous invoke, so a new export need not wait for the
 * next scheduled run. Best effort: the schedule picks the job up anyway.
 */
final class WorkerTrigger {
    private static final Logger LOG = Logger.getLogger(WorkerTrigger.class.getName());

    private final LambdaClient lambda;
    private final String function;

    private WorkerTrigger(LambdaClient lambda, String function) {
        this.lambda = lambda;
        this.function = function;
    }

    /** From {@code FROSTBYTE_WORKER_FUNCTION} (name or ARN of the worker alias), when set. */
    static Optional<WorkerTrigger> from(Config config) {
        return config.workerFunction().map(function -> {
            var builder = LambdaClient.builder().httpClient(UrlConnectionHttpClient.create())
                    .region(software.amazon.awssdk.regions.Region.of(config.requireAwsRegion()));
            config.awsEndpoint().ifPresent(builder::endpointOverride);
            return new WorkerTrigger(builder.build(), function);
        });
    }

    void fire() {
        try {
            lambda.invoke(b -> b.functionName(function).invocationType(InvocationType.EVENT)
                    .payload(SdkBytes.fromUtf8String("{\"source\":\"create-export\"}")));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "asynchronous worker invoke failed ({0}); the schedule will run the job", e.toString());
        }
    }
}
