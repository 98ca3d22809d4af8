package io.frostbyte.export.keys.secretsmanager;

import io.frostbyte.export.keys.TenantKeyStore;
import io.frostbyte.export.signing.KeyMaterialException;
import io.frostbyte.export.signing.TenantSigningKey;
import java.io.IOException;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.InvalidRequestException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceExistsException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/**
 * Tenant secret keys in AWS Secrets Manager, one secret {@code {prefix}{tenant_id}/{fingerprint}}
 * per key. A destroyed key's secret is scheduled for deletion with a recovery window. Keys made
 * before rotation existed live in {@code {prefix}{tenant_id}} and are found there by fingerprint.
 * Error messages name the secret, never its value.
 */
public final class SecretsManagerKeyStore implements TenantKeyStore {
    private final SecretsManagerClient client;
    private final String prefix;
    private final int recoveryWindowDays;

    public SecretsManagerKeyStore(SecretsManagerClient client, String prefix, int recoveryWindowDays) {
        if (recoveryWindowDays < 7 || recoveryWindowDays > 30) throw new IllegalArgumentException("recovery window must be 7-30 days");
        this.client = client;
        this.prefix = prefix;
        this.recoveryWindowDays = recoveryWindowDays;
    }

    public String secretName(UUID tenant, String fingerprint) {
        return prefix + tenant + "/" + fingerprint;
    }

    /** Where the only key of a tenant lived before rotation existed. */
    public String legacyName(UUID tenant) {
        return prefix + tenant;
    }

    @Override
    public Optional<String> get(UUID tenant, String fingerprint) throws IOException {
        Optional<String> own = read(secretName(tenant, fingerprint));
        return own.isPresent() ? own : legacy(tenant, fingerprint);
    }

    private Optional<String> legacy(UUID tenant, String fingerprint) throws IOException {
        Optional<String> old = read(legacyName(tenant));
        if (old.isEmpty()) return Optional.empty();
        try {
            return TenantSigningKey.fromSecretKey(old.get()).fingerprint().equals(fingerprint) ? old : Optional.empty();
        } catch (KeyMaterialException e) {
            throw new IOException("secret " + legacyName(tenant) + " holds no readable key", e);
        }
    }

    private Optional<String> read(String name) throws IOException {
        try {
            return Optional.of(client.getSecretValue(b -> b.secretId(name)).secretString());
        } catch (ResourceNotFoundException e) {
            return Optional.empty();
        } catch (InvalidRequestException e) {
            // A secret scheduled for deletion cannot be read: for us it is gone.
            return Optional.empty();
        } catch (SdkException e) {
            throw new IOException("cannot read secret " + name + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void put(UUID tenant, String fingerprint, String armoredSecretKey) throws IOException {
        String name = secretName(tenant, fingerprint);
        try {
            client.createSecret(b -> b.name(name).secretString(armoredSecretKey)
                    .description("Frostbyte export signing key " + fingerprint + " (OpenPGP secret key) of tenant " + tenant));
        } catch (ResourceExistsException e) {
            // Only a retry of this very key can name this fingerprint.
            if (!read(name).map(armoredSecretKey::equals).orElse(false)) {
                throw new IOException("secret " + name + " exists with other contents", e);
            }
        } catch (SdkException e) {
            throw new IOException("cannot create secret " + name + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void destroy(UUID tenant, String fingerprint) throws IOException {
        delete(secretName(tenant, fingerprint));
        if (legacy(tenant, fingerprint).isPresent()) delete(legacyName(tenant));
    }

    private void delete(String name) throws IOException {
        try {
            client.deleteSecret(b -> b.secretId(name).recoveryWindowInDays((long) recoveryWindowDays));
        } catch (ResourceNotFoundException e) {
            // Nothing to destroy.
        } catch (InvalidRequestException e) {
            // Already scheduled for deletion.
        } catch (SdkException e) {
            throw new IOException("cannot schedule secret " + name + " for deletion: " + e.getMessage(), e);
        }
    }
}
