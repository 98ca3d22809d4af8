package io.frostbyte.export.keys.secretsmanager;

import io.frostbyte.export.keys.TenantKeyStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ResourceExistsException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/**
 * Tenant secret keys in AWS Secrets Manager, one secret {@code {prefix}{tenant_id}} each. Creation
 * carries an idempotency token derived from the tenant and the key, and
 * {@code ResourceExistsException} means another worker stored first: its key wins.
 * Error messages name the secret, never its value.
 */
public final class SecretsManagerKeyStore implements TenantKeyStore {
    private final SecretsManagerClient client;
    private final String prefix;

    public SecretsManagerKeyStore(SecretsManagerClient client, String prefix) {
        this.client = client;
        this.prefix = prefix;
    }

    public String secretName(UUID tenant) {
        return prefix + tenant;
    }

    @Override
    public Optional<String> get(UUID tenant) throws IOException {
        try {
            return Optional.of(client.getSecretValue(b -> b.secretId(secretName(tenant))).secretString());
        } catch (ResourceNotFoundException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw new IOException("cannot read secret " + secretName(tenant) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String putIfAbsent(UUID tenant, String armoredSecretKey) throws IOException {
        String token = UUID.nameUUIDFromBytes((tenant + ":" + armoredSecretKey.hashCode() + ":" + armoredSecretKey.length())
                .getBytes(StandardCharsets.UTF_8)).toString();
        try {
            client.createSecret(b -> b.name(secretName(tenant)).secretString(armoredSecretKey).clientRequestToken(token)
                    .description("Frostbyte export signing key (OpenPGP secret key) of tenant " + tenant));
            return armoredSecretKey;
        } catch (ResourceExistsException e) {
            return get(tenant).orElseThrow(() -> new IOException("secret " + secretName(tenant) + " exists but cannot be read"));
        } catch (SdkException e) {
            throw new IOException("cannot create secret " + secretName(tenant) + ": " + e.getMessage(), e);
        }
    }
}
