package io.frostbyte.export.testing;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** Clients for moto's server at AWS_ENDPOINT_URL; fails (never skips) with how to start it. */
public final class Moto {
    private Moto() {}

    public static URI endpoint() {
        URI uri = URI.create(TestDatabase.env("AWS_ENDPOINT_URL"));
        try {
            var http = java.net.http.HttpClient.newHttpClient();
            http.send(java.net.http.HttpRequest.newBuilder(uri.resolve("/moto-api/")).build(), java.net.http.HttpResponse.BodyHandlers.discarding());
        } catch (Exception e) {
            throw new AssertionError("moto is not reachable at " + uri + " (" + e.getMessage() + "); run scripts/services up");
        }
        return uri;
    }

    static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
    }

    public static S3Client s3() {
        return S3Client.builder().httpClient(UrlConnectionHttpClient.create()).endpointOverride(endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(credentials()).serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build()).build();
    }

    public static S3Presigner presigner() {
        return S3Presigner.builder().endpointOverride(endpoint()).region(Region.US_EAST_1).credentialsProvider(credentials())
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build()).build();
    }

    public static SecretsManagerClient secrets() {
        return SecretsManagerClient.builder().httpClient(UrlConnectionHttpClient.create()).endpointOverride(endpoint())
                .region(Region.US_EAST_1).credentialsProvider(credentials()).build();
    }

    public static String newBucket(S3Client s3) {
        String bucket = "frostbyte-test-" + java.util.UUID.randomUUID();
        s3.createBucket(b -> b.bucket(bucket));
        return bucket;
    }
}
