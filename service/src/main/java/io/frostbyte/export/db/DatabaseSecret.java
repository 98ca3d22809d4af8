package io.frostbyte.export.db;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;

/**
 * The database login from a Secrets Manager secret, such as the one RDS manages for its master
 * user ({@code {"username": ..., "password": ...}}): one SigV4-signed {@code GetSecretValue} call
 * with the SDK's signer, so the API functions need no Secrets Manager client. Read at start and
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
    private final String region;
    private final URI endpoint;

    DatabaseSecret(String secretId, String region, Optional<URI> endpoint) {
        this.secretId = secretId;
        this.region = region;
        this.endpoint = endpoint.orElse(URI.create("https://secretsmanager." + region + ".amazonaws.com"));
    }

    Login read() throws IOException {
        byte[] body = JSON.writeValueAsBytes(Map.of("SecretId", secretId));
        SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(endpoint.resolve("/"))
                .putHeader("Content-Type", "application/x-amz-json-1.1")
                .putHeader("X-Amz-Target", "secretsmanager.GetSecretValue").build();
        SignedRequest signed;
        try {
            var credentials = DefaultCredentialsProvider.builder().build().resolveCredentials();
            signed = AwsV4HttpSigner.create().sign(r -> r.identity(credentials).request(request)
                    .payload(ContentStreamProvider.fromByteArray(body))
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "secretsmanager")
                    .putProperty(AwsV4HttpSigner.REGION_NAME, region));
        } catch (RuntimeException e) {
            throw new IOException("cannot sign the request for the database secret (no AWS credentials?)", e);
        }
        HttpURLConnection c = (HttpURLConnection) signed.request().getUri().toURL().openConnection();
        c.setRequestMethod("POST");
        c.setConnectTimeout(5_000);
        c.setReadTimeout(10_000);
        c.setDoOutput(true);
        for (Map.Entry<String, List<String>> h : signed.request().headers().entrySet()) {
            if (!h.getKey().equalsIgnoreCase("Host")) c.setRequestProperty(h.getKey(), String.join(",", h.getValue()));
        }
        c.setFixedLengthStreamingMode(body.length);
        try (OutputStream out = c.getOutputStream()) {
            out.write(body);
        }
        int status = c.getResponseCode();
        if (status != 200) {
            // The error's type (e.g. ResourceNotFoundException, AccessDeniedException), not its message.
            String type = "HTTP " + status;
            try (InputStream err = c.getErrorStream()) {
                if (err != null) type = JSON.readTree(err).path("__type").asText(type);
            } catch (IOException ignored) {
                // keep the status
            }
            throw new IOException("cannot read the database secret " + secretId + ": " + type.replaceAll("^.*#", ""));
        }
        JsonNode secret;
        try (InputStream in = c.getInputStream()) {
            secret = JSON.readTree(JSON.readTree(in).path("SecretString").asText("{}"));
        }
        String user = secret.path("username").asText("");
        String password = secret.path("password").asText("");
        if (user.isEmpty() || password.isEmpty()) {
            throw new IOException("the database secret " + secretId + " has no username and password (expected RDS's JSON form)");
        }
        return new Login(user, password);
    }
}
