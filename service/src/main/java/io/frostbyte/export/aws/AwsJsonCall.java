package io.frostbyte.export.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
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
 * One call of an AWS JSON-1.1 API (Secrets Manager, Cognito), signed with the SDK's SigV4 signer
 * and sent with {@link HttpURLConnection}: for the few calls functions make at start or deploy,
 * without a service client in their jar.
 */
public final class AwsJsonCall {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String service;
    private final String region;
    private final URI endpoint;
    private final DefaultCredentialsProvider credentials = DefaultCredentialsProvider.builder().build();

    /** {@code service}: the signing name and endpoint prefix ({@code secretsmanager}, {@code cognito-idp}). */
    public AwsJsonCall(String service, String region, Optional<URI> endpoint) {
        this.service = service;
        this.region = region;
        this.endpoint = endpoint.orElse(URI.create("https://" + service + "." + region + ".amazonaws.com"));
    }

    /** Calls {@code target} (e.g. {@code secretsmanager.GetSecretValue}); a non-200 answer fails with the error's type only. */
    public JsonNode call(String target, Map<String, Object> request) throws IOException {
        byte[] body = JSON.writeValueAsBytes(request);
        SdkHttpRequest http = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(endpoint.resolve("/"))
                .putHeader("Content-Type", "application/x-amz-json-1.1")
                .putHeader("X-Amz-Target", target).build();
        SignedRequest signed;
        try {
            var identity = credentials.resolveCredentials();
            signed = AwsV4HttpSigner.create().sign(r -> r.identity(identity).request(http)
                    .payload(ContentStreamProvider.fromByteArray(body))
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                    .putProperty(AwsV4HttpSigner.REGION_NAME, region));
        } catch (RuntimeException e) {
            throw new IOException("cannot sign " + target + " (no AWS credentials?)", e);
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
            String type = "HTTP " + status;
            try (InputStream err = c.getErrorStream()) {
                if (err != null) type = JSON.readTree(err).path("__type").asText(type);
            } catch (IOException ignored) {
                // keep the status
            }
            throw new IOException(target + " failed: " + type.replaceAll("^.*#", ""));
        }
        try (InputStream in = c.getInputStream()) {
            return JSON.readTree(in);
        }
    }
}
