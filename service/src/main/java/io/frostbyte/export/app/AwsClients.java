package io.frostbyte.export.app;

import io.frostbyte.export.config.Config;
import io.frostbyte.export.keys.secretsmanager.SecretsManagerKeyStore;
import io.frostbyte.export.storage.s3.S3BundleStore;
import io.frostbyte.export.storage.s3.S3ImportStore;
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
        var credentials = software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider.builder().build();
        return new S3BundleStore(s3(config), presigner(config, credentials), config.bucket().orElseThrow(), config.sseKmsKeyId(),
                () -> credentials.resolveCredentials().expirationTime());
    }

    static S3ImportStore s3ImportStore(Config config) {
        return new S3ImportStore(s3(config), presigner(config), config.bucket().orElseThrow());
    }

    private static S3Configuration s3Config(Config config) {
        return S3Configuration.builder().pathStyleAccessEnabled(config.awsEndpoint().isPresent()).build();
    }

    private static S3Client s3(Config config) {
        var client = S3Client.builder().httpClient(UrlConnectionHttpClient.create()).region(Region.of(config.requireAwsRegion()))
                .serviceConfiguration(s3Config(config));
        config.awsEndpoint().ifPresent(client::endpointOverride);
        return client.build();
    }

    private static S3Presigner presigner(Config config) {
        return presigner(config, software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider.builder().build());
    }

    private static S3Presigner presigner(Config config, software.amazon.awssdk.auth.credentials.AwsCredentialsProvider credentials) {
        var presigner = S3Presigner.builder().region(Region.of(config.requireAwsRegion())).serviceConfiguration(s3Config(config))
                .credentialsProvider(credentials);
        config.awsEndpoint().ifPresent(presigner::endpointOverride);
        return presigner.build();
    }

    /** Only the worker's and the key administration's wiring call this: the other API functions carry no Secrets Manager client. */
    static SecretsManagerKeyStore secretsManagerKeyStore(Config config) {
        var client = SecretsManagerClient.builder().httpClient(UrlConnectionHttpClient.create())
                .region(Region.of(config.requireAwsRegion()));
        config.awsEndpoint().ifPresent(client::endpointOverride);
        return new SecretsManagerKeyStore(client.build(), config.secretPrefix(), config.keyRecoveryDays());
    }
}
