package io.frostbyte.export.keys;

import io.frostbyte.export.export.StoreException;
import io.frostbyte.export.signing.KeyMaterialException;
import io.frostbyte.export.signing.RevocationReason;
import java.io.IOException;
import java.util.Objects;
import java.util.UUID;

/**
 * The administrative key routes' service: rotation and revocation, for callers holding the
 * administrative right (the authorizer's group {@code adminGroup}). Each change is audited with
 * its actor by {@link TenantKeyService}.
 */
public final class KeyAdministration {
    private final TenantKeyService keys;
    private final String adminGroup;

    public KeyAdministration(TenantKeyService keys, String adminGroup) {
        this.keys = Objects.requireNonNull(keys, "keys");
        this.adminGroup = Objects.requireNonNull(adminGroup, "adminGroup");
    }

    /** The authorizer group (or scope) that carries the administrative right. */
    public String adminGroup() {
        return adminGroup;
    }

    public TenantPublicKey rotate(UUID tenant, String actor) throws KeyMaterialException, StoreException, IOException {
        return keys.rotate(tenant, actor);
    }

    public TenantPublicKey revoke(UUID tenant, String fingerprint, RevocationReason reason, String actor)
            throws KeyMaterialException, StoreException, IOException, TenantKeyService.KeyChangeException {
        return keys.revoke(tenant, fingerprint, reason, actor);
    }
}
