package io.frostbyte.export.verify;

import java.util.Optional;
import java.util.UUID;

/** Rule 8: the tenant and export the caller expects. */
final class PinCheck {
    private PinCheck() {}

    static void check(VerificationPolicy policy, Optional<String> tenantId, Optional<String> exportId, Findings findings) {
        policy.expectTenant().ifPresent(t -> {
            if (!tenantId.map(id -> sameUuid(id, t)).orElse(false)) {
                findings.add(Rule.PINS, "tenant_mismatch", Optional.empty(),
                        "bundle is for tenant " + tenantId.orElse("null") + ", not the expected " + t);
            }
        });
        policy.expectExport().ifPresent(x -> {
            if (!exportId.map(id -> sameUuid(id, x)).orElse(false)) {
                findings.add(Rule.PINS, "export_mismatch", Optional.empty(),
                        "bundle is export " + exportId.orElse("null") + ", not the expected " + x);
            }
        });
    }

    private static boolean sameUuid(String text, UUID expected) {
        try {
            return UUID.fromString(text).equals(expected);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
