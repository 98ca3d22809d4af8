package io.frostbyte.export.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.frostbyte.export.testing.TestKeys;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TenantSigningKeyTest {
    @Test
    void generate_ed25519_isV4EddsaLegacyId22() throws Exception {
        TenantSigningKey key = TestKeys.a(KeyAlgorithm.ED25519);
        TrustedKeys.TrustedKey pub = TrustedKeys.fromArmored(key.armoredPublicKey()).all().get(0);
        assertEquals(PublicKeyAlgorithmTags.EDDSA_LEGACY, pub.key().getAlgorithm());
        assertEquals(22, pub.key().getAlgorithm());
        assertEquals(4, pub.key().getVersion());
        assertTrue(Fingerprints.isWellFormed(key.fingerprint()));
    }

    @Test
    void generate_rsa3072_has3072Bits() throws Exception {
        TenantSigningKey key = TestKeys.a(KeyAlgorithm.RSA3072);
        TrustedKeys.TrustedKey pub = TrustedKeys.fromArmored(key.armoredPublicKey()).all().get(0);
        assertEquals(PublicKeyAlgorithmTags.RSA_GENERAL, pub.key().getAlgorithm());
        assertEquals(3072, pub.key().getBitStrength());
    }

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void fromSecretKey_armoredRoundTrip_sameFingerprintAndSigns(KeyAlgorithm alg) throws Exception {
        TenantSigningKey key = TestKeys.a(alg);
        TenantSigningKey back = TenantSigningKey.fromSecretKey(key.armoredSecretKey());
        assertEquals(key.fingerprint(), back.fingerprint());
        assertEquals(alg, back.algorithm());
        byte[] payload = "{}".getBytes(StandardCharsets.UTF_8);
        TrustedKeys trusted = TrustedKeys.fromArmored(key.armoredPublicKey());
        SignatureChecks.verifyDetached(SignatureChecks.parseSingle(back.signDetached(payload, Instant.now())),
                trusted.find(key.fingerprint()).orElseThrow(), payload);
    }

    @Test
    void armoredKeys_carryNoVersionHeader() throws Exception {
        assertFalse(TestKeys.a().armoredPublicKey().contains("Version:"));
        assertTrue(TestKeys.a().armoredSecretKey().startsWith("-----BEGIN PGP PRIVATE KEY BLOCK-----"));
    }

    @Test
    void toString_showsNoKeyMaterial() throws Exception {
        TenantSigningKey key = TestKeys.a();
        String secretBody = key.armoredSecretKey().split("\n")[2];
        assertFalse(key.toString().contains(secretBody));
        assertTrue(key.toString().contains(key.fingerprint()));
    }

    @Test
    void signDetached_keyYoungerThanCreatedAt_signatureCarriesTheKeysCreationTime() throws Exception {
        TenantSigningKey late = TenantSigningKey.generate(KeyAlgorithm.ED25519, "Late <late@tenant.invalid>",
                TestKeys.CREATED.plusSeconds(7));
        byte[] sig = late.signDetached("p".getBytes(StandardCharsets.UTF_8), TestKeys.CREATED);
        assertEquals(TestKeys.CREATED.plusSeconds(7), SignatureChecks.parseSingle(sig).getCreationTime().toInstant());
        TrustedKeys trusted = TrustedKeys.fromArmored(late.armoredPublicKey());
        SignatureChecks.verifyDetached(SignatureChecks.parseSingle(sig), trusted.find(late.fingerprint()).orElseThrow(),
                "p".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void signDetached_keyOlderThanCreatedAt_signatureCarriesCreatedAt() throws Exception {
        byte[] sig = TestKeys.a().signDetached("p".getBytes(StandardCharsets.UTF_8), TestKeys.CREATED.plusSeconds(90));
        assertEquals(TestKeys.CREATED.plusSeconds(90), SignatureChecks.parseSingle(sig).getCreationTime().toInstant());
    }

    @Test
    void signDetached_otherPayload_doesNotVerify() throws Exception {
        TenantSigningKey key = TestKeys.a();
        byte[] sig = key.signDetached("a".getBytes(StandardCharsets.UTF_8), TestKeys.CREATED);
        TrustedKeys trusted = TrustedKeys.fromArmored(key.armoredPublicKey());
        SignatureException e = assertThrows(SignatureException.class, () -> SignatureChecks.verifyDetached(
                SignatureChecks.parseSingle(sig), trusted.find(key.fingerprint()).orElseThrow(), "b".getBytes(StandardCharsets.UTF_8)));
        assertEquals("signature_invalid", e.code());
    }

    @Test
    void fromSecretKey_garbage_failsWithoutEchoingInput() {
        KeyMaterialException e = assertThrows(KeyMaterialException.class, () -> TenantSigningKey.fromSecretKey("secret-ish text"));
        assertFalse(e.getMessage().contains("secret-ish"));
    }

    @Test
    void trustedKeys_severalArmoredBlocksInOneFile_allLoaded() throws Exception {
        String both = TestKeys.publicKey(TestKeys.a()) + "\n" + TestKeys.publicKey(TestKeys.b());
        TrustedKeys keys = TrustedKeys.fromArmored(both);
        assertTrue(keys.find(TestKeys.a().fingerprint()).isPresent());
        assertTrue(keys.find(TestKeys.b().fingerprint()).isPresent());
    }

    @Test
    void revoked_revocationAttached_true() throws Exception {
        TrustedKeys keys = TrustedKeys.fromArmored(TestKeys.revokedPublicKey(TestKeys.a()));
        assertTrue(keys.find(TestKeys.a().fingerprint()).orElseThrow().revoked());
        TrustedKeys clean = TrustedKeys.fromArmored(TestKeys.publicKey(TestKeys.a()));
        assertFalse(clean.find(TestKeys.a().fingerprint()).orElseThrow().revoked());
    }
}
