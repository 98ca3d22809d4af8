package io.frostbyte.export.app;

import io.frostbyte.export.config.Config;
import io.frostbyte.export.keys.TenantKeyStore;
import io.frostbyte.export.keys.secretsmanager.SecretsManagerKeyStore;
import io.frostbyte.export.storage.BundleStore;
import io.frostbyte.export.storage.s3.S3BundleStore;
import java.net.URI;
import java.util.Optional;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The AWS clients, built once per container: the lightweight UrlConnection HTTP client, region
 * from {@code AWS_REGION}, and path-style S3 addressing when {@code AWS_ENDPOINT_URL} points at an
 * emulator.
 */
final class S3Wiring {
    private S3Wiring() {}

    private static Optional<URI> endpoint() {
        String e = System.getenv("AWS_ENDPOINT_URL");
        return e == null || e.isBlank() ? Optional.empty() : Optional.of(URI.create(e));
    }

    private static Region region() {
        String r = System.getenv("AWS_REGION");
        if (r == null || r.isBlank()) throw new io.frostbyte.export.config.ConfigException("AWS_REGION is not set");
        return Region.of(r);
    }

    static BundleStore bundleStore(Config config) {
        Optional<URI> endpoint = endpoint();
        S3Configuration s3Config = S3Configuration.builder().pathStyleAccessEnabled(endpoint.isPresent()).build();
        var builder = S3Client.builder().httpClient(UrlConnectionHttpClient.create()).region(region()).serviceConfiguration(s3Config);
        endpoint.ifPresent(builder::endpointOverride);
        var presigner = S3Presigner.builder().region(region()).serviceConfiguration(s3Config);
        endpoint.ifPresent(presigner::endpointOverride);
        return new S3BundleStore(builder.build(), presigner.build(), config.bucket().orElseThrow(), config.sseKmsKeyId());
    }

    static TenantKeyStore keyStore(Config config) {
        var builder = SecretsManagerClient.builder().httpClient(UrlConnectionHttpClient.create()).region(region());
        endpoint().ifPresent(builder::endpointOverride);
        return new SecretsManagerKeyStore(builder.build(), config.secretPrefix());
    }
}
