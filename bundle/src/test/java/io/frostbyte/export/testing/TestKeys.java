package io.frostbyte.export.testing;

import io.frostbyte.export.signing.KeyAlgorithm;
import io.frostbyte.export.signing.KeyMaterialException;
import io.frostbyte.export.signing.TenantSigningKey;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.EnumMap;
import java.util.Map;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSecretKey;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.PGPSignatureSubpacketGenerator;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.operator.bc.BcKeyFingerprintCalculator;

/** Keys for tests, generated once per JVM (RSA-3072 takes a second), and raw signing for forgeries. */
public final class TestKeys {
    public static final Instant CREATED = Instant.parse("2026-11-22T08:15:30Z");
    private static final Map<KeyAlgorithm, TenantSigningKey> A = new EnumMap<>(KeyAlgorithm.class);
    private static TenantSigningKey b;

    private TestKeys() {}

    /** Tenant A's key for the algorithm. */
    public static synchronized TenantSigningKey a(KeyAlgorithm algorithm) {
        return A.computeIfAbsent(algorithm, alg -> generate(alg, "Tenant A <a@tenant.invalid>"));
    }

    public static TenantSigningKey a() {
        return a(KeyAlgorithm.ED25519);
    }

    /** Another tenant's key. */
    public static synchronized TenantSigningKey b() {
        if (b == null) b = generate(KeyAlgorithm.ED25519, "Tenant B <b@tenant.invalid>");
        return b;
    }

    public static TenantSigningKey generate(KeyAlgorithm alg, String uid) {
        try {
            return TenantSigningKey.generate(alg, uid, CREATED);
        } catch (KeyMaterialException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String publicKey(TenantSigningKey key) {
        try {
            return key.armoredPublicKey();
        } catch (KeyMaterialException e) {
            throw new IllegalStateException(e);
        }
    }

    private static PGPSecretKeyRing ring(TenantSigningKey key) throws IOException, PGPException, KeyMaterialException {
        try (InputStream in = PGPUtil.getDecoderStream(
                new ByteArrayInputStream(key.armoredSecretKey().getBytes(StandardCharsets.US_ASCII)))) {
            return new PGPSecretKeyRing(in, new BcKeyFingerprintCalculator());
        }
    }


    /** A detached signature of the given type and hash, which the product itself would never make. */
    public static byte[] sign(TenantSigningKey key, byte[] payload, int hashAlgorithm, int signatureType) {
        try {
            PGPSecretKey secret = ring(key).getSecretKey();
            PGPSignatureGenerator gen = TestCertificates.generator(secret, signatureType, hashAlgorithm);
            PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
            hashed.setSignatureCreationTime(false, Date.from(CREATED));
            hashed.setIssuerFingerprint(false, secret.getPublicKey());
            gen.setHashedSubpackets(hashed.generate());
            gen.update(payload);
            return gen.generate().getEncoded();
        } catch (IOException | PGPException | KeyMaterialException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The armored public key with a valid key-revocation signature attached. */
    public static String revokedPublicKey(TenantSigningKey key) {
        try {
            PGPSecretKey secret = ring(key).getSecretKey();
            PGPPublicKey pub = secret.getPublicKey();
            PGPSignatureGenerator gen = TestCertificates.generator(secret, PGPSignature.KEY_REVOCATION, HashAlgorithmTags.SHA256);
            PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
            hashed.setSignatureCreationTime(false, Date.from(CREATED.plusSeconds(60)));
            gen.setHashedSubpackets(hashed.generate());
            PGPSignature revocation = gen.generateCertification(pub);
            PGPPublicKey revoked = PGPPublicKey.addCertification(pub, revocation);
            PGPPublicKeyRing ring = PGPPublicKeyRing.insertPublicKey(ring(key).toCertificate(), revoked);
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            try (var armored = org.bouncycastle.bcpg.ArmoredOutputStream.builder().clearHeaders().build(out)) {
                ring.encode(armored);
            }
            return out.toString(StandardCharsets.US_ASCII);
        } catch (IOException | PGPException | KeyMaterialException e) {
            throw new IllegalStateException(e);
        }
    }
}
