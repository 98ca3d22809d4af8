package io.frostbyte.export.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.frostbyte.export.config.Config;
import io.frostbyte.export.db.Database;
import io.frostbyte.export.db.Migrations;
import java.io.IOException;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import io.frostbyte.export.observability.Logging;
import io.frostbyte.export.aws.AwsJsonCall;
import io.frostbyte.export.tenancy.TenantClaimGuard;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A CloudFormation custom resource: every deploy (Create/Update) applies the Flyway migrations
 * before the stack finishes, so the functions never run against an older schema. Delete is a no-op.
 */
public final class MigrationHandler implements RequestHandler<Map<String, Object>, Void> {
    private static final Logger LOG = Logger.getLogger(MigrationHandler.class.getName());

    public MigrationHandler() {
        Logging.install(System.getenv());
    }

    @Override
    public Void handleRequest(Map<String, Object> event, Context context) {
        String status = "SUCCESS";
        String reason = "migrated";
        try {
            if (!"Delete".equals(event.get("RequestType"))) {
                Config config = Config.fromEnv();
                Optional<String> pool = userPoolId(event);
                if (pool.isPresent()) {
                    List<String> problems = TenantClaimGuard.check(new AwsJsonCall("cognito-idp", config.requireAwsRegion(), config.awsEndpoint()),
                            pool.get());
                    if (!problems.isEmpty()) {
                        throw new IllegalStateException("users could choose their tenant: " + String.join("; ", problems)
                                + " (see docs/deploy.md, \"The tenant claim\")");
                    }
                }
                Migrations.apply(Database.fromConfig(config));
            }
        } catch (RuntimeException | java.io.IOException e) {
            LOG.log(Level.SEVERE, "deploy-time check or migration failed", e);
            status = "FAILED";
            reason = "deploy-time check or migration failed: " + e.getMessage();
        }
        respond(event, status, reason, context);
        return null;
    }

    /** The custom resource's {@code UserPoolId} property: the pool whose tenant claim is checked. */
    @SuppressWarnings("unchecked")
    static Optional<String> userPoolId(Map<String, Object> event) {
        Object props = event.get("ResourceProperties");
        if (!(props instanceof Map<?, ?> p)) return Optional.empty();
        Object id = ((Map<String, Object>) p).get("UserPoolId");
        return id == null || id.toString().isBlank() ? Optional.empty() : Optional.of(id.toString());
    }

    private static void respond(Map<String, Object> event, String status, String reason, Context context) {
        ObjectNode body = new ObjectMapper().createObjectNode();
        body.put("Status", status);
        body.put("Reason", reason.length() > 900 ? reason.substring(0, 900) : reason);
        body.put("PhysicalResourceId", "frostbyte-schema");
        body.put("StackId", String.valueOf(event.get("StackId")));
        body.put("RequestId", String.valueOf(event.get("RequestId")));
        body.put("LogicalResourceId", String.valueOf(event.get("LogicalResourceId")));
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(String.valueOf(event.get("ResponseURL"))).toURL().openConnection();
            c.setRequestMethod("PUT");
            c.setDoOutput(true);
            c.setRequestProperty("Content-Type", "");
            c.setFixedLengthStreamingMode(bytes.length);
            try (OutputStream out = c.getOutputStream()) {
                out.write(bytes);
            }
            c.getResponseCode();
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.SEVERE, "cannot answer CloudFormation", e);
        }
    }
}
