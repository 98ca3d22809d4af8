package io.frostbyte.export.local;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** A Lambda context for local invocations, with the function's timeout as its deadline. */
final class LocalContext implements Context {
    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(LocalContext.class.getName());
    private final String functionName;
    private final long deadline;
    private final String requestId = UUID.randomUUID().toString();

    LocalContext(String functionName, long timeoutMillis) {
        this.functionName = functionName;
        this.deadline = System.currentTimeMillis() + timeoutMillis;
    }

    @Override public String getAwsRequestId() { return requestId; }
    @Override public String getLogGroupName() { return "/local/" + functionName; }
    @Override public String getLogStreamName() { return "local"; }
    @Override public String getFunctionName() { return functionName; }
    @Override public String getFunctionVersion() { return "$LATEST"; }
    @Override public String getInvokedFunctionArn() { return "arn:aws:lambda:local:000000000000:function:" + functionName; }
    @Override public CognitoIdentity getIdentity() { return null; }
    @Override public ClientContext getClientContext() { return null; }
    @Override public int getRemainingTimeInMillis() { return (int) Math.max(0, Math.min(Integer.MAX_VALUE, deadline - System.currentTimeMillis())); }
    @Override public int getMemoryLimitInMB() { return 1024; }

    @Override
    public LambdaLogger getLogger() {
        return new LambdaLogger() {
            // As Lambda's own logger would, but as one JSON line like every other line the runner writes.
            @Override public void log(String message) { LOG.info(message); }
            @Override public void log(byte[] message) { LOG.info(new String(message, StandardCharsets.UTF_8)); }
        };
    }
}
