package io.frostbyte.export.app;

import io.frostbyte.export.config.Config;
import io.frostbyte.export.keys.secretsmanager.SecretsManagerKeyStore;
import io.frostbyte.export.storage.s3.S3BundleStore;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The AWS clients, from configuration only: the lightweight UrlConnection HTTP client, the region
 * of {@code AWS_REGION}, and path-style S3 addressing when {@code AWS_ENDPOINT_URL} points at an
 * emulator. Each is built once per container by the wiring that needs it.
 */
final class AwsClients {
    private AwsClients() {}

    static S3BundleStore s3BundleStore(Config config) {
        Region region = Region.of(config.requireAwsRegion());
        S3Configuration s3Config = S3Configuration.builder().pathStyleAccessEnabled(config.awsEndpoint().isPresent()).build();
        var client = S3Client.builder().httpClient(UrlConnectionHttpClient.create()).region(region).serviceConfiguration(s3Config);
        config.awsEndpoint().ifPresent(client::endpointOverride);
        var presigner = S3Presigner.builder().region(region).serviceConfiguration(s3Config);
        config.awsEndpoint().ifPresent(presigner::endpointOverride);
        return new S3BundleStore(client.build(), presigner.build(), config.bucket().orElseThrow(), config.sseKmsKeyId());
    }

    /** Only the worker's wiring calls this: the API functions carry no Secrets Manager client. */
    static SecretsManagerKeyStore secretsManagerKeyStore(Config config) {
        var client = SecretsManagerClient.builder().httpClient(UrlConnectionHttpClient.create())
                .region(Region.of(config.requireAwsRegion()));
        config.awsEndpoint().ifPresent(client::endpointOverride);
        return new SecretsManagerKeyStore(client.build(), config.secretPrefix());
    }
}
