package io.frostbyte.export.db;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.frostbyte.export.aws.AwsJsonCall;
import java.io.IOException;
import java.net.URI;
import java.util.Map;
import java.util.Optional;

/**
 * The database login from a Secrets Manager secret, such as the one RDS manages for its master
 * user ({@code {"username": ..., "password": ...}}): one signed {@code GetSecretValue} call
 * ({@link AwsJsonCall}), so the API functions need no Secrets Manager client. Read at start and
 * again when PostgreSQL refuses the password (RDS rotated it).
 */
final class DatabaseSecret {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A login; the password never appears in {@code toString}. */
    record Login(String user, String password) {
        @Override
        public String toString() {
            return "Login[user=" + user + "]";
        }
    }

    private final String secretId;
    private final AwsJsonCall secretsManager;

    DatabaseSecret(String secretId, String region, Optional<URI> endpoint) {
        this.secretId = secretId;
        this.secretsManager = new AwsJsonCall("secretsmanager", region, endpoint);
    }

    Login read() throws IOException {
        JsonNode answer;
        try {
            answer = secretsManager.call("secretsmanager.GetSecretValue", Map.of("SecretId", secretId));
        } catch (IOException e) {
            throw new IOException("cannot read the database secret " + secretId + ": " + e.getMessage().replace("secretsmanager.GetSecretValue failed: ", ""), e);
        }
        JsonNode secret = JSON.readTree(answer.path("SecretString").asText("{}"));
        String user = secret.path("username").asText("");
        String password = secret.path("password").asText("");
        if (user.isEmpty() || password.isEmpty()) {
            throw new IOException("the database secret " + secretId + " has no username and password (expected RDS's JSON form)");
        }
        return new Login(user, password);
    }
}
