package io.frostbyte.export.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.frostbyte.export.testing.BundleForge;
import io.frostbyte.export.testing.TestKeys;
import io.frostbyte.export.verify.BundleVerifier;
import io.frostbyte.export.verify.VerificationPolicy;
import io.frostbyte.export.verify.VerificationReport;
import java.io.ByteArrayInputStream;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class RevocationsTest {
    @ParameterizedTest
    @EnumSource(RevocationReason.class)
    void attach_preparedRevocation_verifierRefusesTheKeysBundlesWithKeyRevoked(RevocationReason reason) throws Exception {
        TenantSigningKey key = TestKeys.generate(KeyAlgorithm.ED25519, "Revoked <r@frostbyte.invalid>");
        byte[] bundle = BundleForge.valid(key, 1, 1).build();
        VerificationReport before = BundleVerifier.verify(new ByteArrayInputStream(bundle),
                VerificationPolicy.of(TrustedKeys.fromArmored(key.armoredPublicKey())), n -> {});
        assertTrue(before.isValid(), before.errors().toString());
        // Prepared when the key was made, attached long after: no private key needed any more.
        String revocation = key.revocation(reason, key.createdAt());
        String published = Revocations.attach(key.armoredPublicKey(), revocation);
        assertTrue(Revocations.isRevoked(published));
        assertFalse(Revocations.isRevoked(key.armoredPublicKey()));
        VerificationReport after = BundleVerifier.verify(new ByteArrayInputStream(bundle),
                VerificationPolicy.of(TrustedKeys.fromArmored(published)), n -> {});
        assertEquals(VerificationReport.Status.INVALID, after.status());
        assertEquals("key_revoked", after.errors().get(0).code(), after.errors().toString());
    }

    @Test
    void attach_revocationMadeByAnotherKey_refused() throws Exception {
        TenantSigningKey a = TestKeys.a();
        TenantSigningKey b = TestKeys.b();
        String foreign = b.revocation(RevocationReason.COMPROMISED, Instant.now());
        assertThrows(KeyMaterialException.class, () -> Revocations.attach(a.armoredPublicKey(), foreign));
    }
}
