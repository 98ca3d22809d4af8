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
import java.util.Map;
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
                Migrations.apply(Database.fromConfig(Config.fromEnv()));
            }
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "migration failed", e);
            status = "FAILED";
            reason = "migration failed: " + e.getMessage();
        }
        respond(event, status, reason, context);
        return null;
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
