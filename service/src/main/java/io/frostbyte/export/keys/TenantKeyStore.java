package io.frostbyte.export.keys;

import java.io.IOException;
import java.util.Optional;
import java.util.UUID;

/**
 * Where tenants' armored secret keys live, one per key: AWS Secrets Manager, or a local 0600
 * directory. Keys made before rotation existed live under the tenant's name alone; {@link #get}
 * and {@link #destroy} find them there too.
 */
public interface TenantKeyStore {
    Optional<String> get(UUID tenant, String fingerprint) throws IOException;

    /** Stores the secret key of a new key. */
    void put(UUID tenant, String fingerprint, String armoredSecretKey) throws IOException;

    /**
     * Destroys the secret key so that it never signs again (Secrets Manager: scheduled for deletion
     * with its recovery window; locally: removed). Absent is fine.
     */
    void destroy(UUID tenant, String fingerprint) throws IOException;
}
