package io.frostbyte.export.keys;

import java.io.IOException;
import java.util.Optional;
import java.util.UUID;

/** Where tenants' armored secret keys live: AWS Secrets Manager, or a local 0600 directory. */
public interface TenantKeyStore {
    Optional<String> get(UUID tenant) throws IOException;

    /**
     * Stores {@code armoredSecretKey} unless the tenant already has one; returns the key that is
     * stored afterwards (ours, or the one another worker stored first).
     */
    String putIfAbsent(UUID tenant, String armoredSecretKey) throws IOException;
}
