package io.frostbyte.export.signing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Date;
import java.util.Iterator;
import java.util.Objects;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyPacket;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.generators.Ed25519KeyPairGenerator;
import org.bouncycastle.crypto.generators.RSAKeyPairGenerator;
import org.bouncycastle.crypto.params.Ed25519KeyGenerationParameters;
import org.bouncycastle.crypto.params.RSAKeyGenerationParameters;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPKeyPair;
import org.bouncycastle.openpgp.PGPKeyRingGenerator;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPSecretKey;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.PGPSignatureSubpacketGenerator;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.operator.bc.BcKeyFingerprintCalculator;
import org.bouncycastle.openpgp.operator.bc.BcPBESecretKeyDecryptorBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPDigestCalculatorProvider;
import org.bouncycastle.openpgp.operator.bc.BcPGPKeyPair;

/**
 * A tenant's OpenPGP signing key: one v4 primary key that certifies and signs. Built on
 * BouncyCastle's classic API on purpose: the high-level API writes algorithm id 27 and SHA3-512,
 * which GnuPG 2.2 cannot read.
 *
 * <p>{@link #toString()} never shows key material.
 */
public final class TenantSigningKey {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final PGPSecretKeyRing secretRing;
    private final PGPPrivateKey privateKey;
    private final PGPPublicKey publicKey;

    private TenantSigningKey(PGPSecretKeyRing secretRing) throws KeyMaterialException {
        this.secretRing = secretRing;
        PGPSecretKey secret = findSigningKey(secretRing);
        this.publicKey = secret.getPublicKey();
        try {
            this.privateKey = secret.extractPrivateKey(
                    new BcPBESecretKeyDecryptorBuilder(new BcPGPDigestCalculatorProvider()).build(new char[0]));
        } catch (PGPException e) {
            throw new KeyMaterialException("cannot unlock the tenant's secret key (it must be stored unprotected)", e);
        }
    }

    /** Generates a new key for {@code userId} (e.g. {@code "Frostbyte tenant <uuid>"}). */
    public static TenantSigningKey generate(KeyAlgorithm algorithm, String userId, Instant createdAt)
            throws KeyMaterialException {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(userId, "userId");
        Date created = Date.from(createdAt);
        try {
            PGPKeyPair pair = switch (algorithm) {
                case ED25519 -> {
                    Ed25519KeyPairGenerator gen = new Ed25519KeyPairGenerator();
                    gen.init(new Ed25519KeyGenerationParameters(RANDOM));
                    yield keyPair(PublicKeyAlgorithmTags.EDDSA_LEGACY, gen.generateKeyPair(), created);
                }
                case RSA3072 -> {
                    RSAKeyPairGenerator gen = new RSAKeyPairGenerator();
                    gen.init(new RSAKeyGenerationParameters(BigInteger.valueOf(0x10001), RANDOM, 3072, 100));
                    yield keyPair(PublicKeyAlgorithmTags.RSA_GENERAL, gen.generateKeyPair(), created);
                }
            };
            PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
            hashed.setKeyFlags(false, KeyFlags.CERTIFY_OTHER | KeyFlags.SIGN_DATA);
            hashed.setPreferredHashAlgorithms(false,
                    new int[] {HashAlgorithmTags.SHA512, HashAlgorithmTags.SHA384, HashAlgorithmTags.SHA256});
            hashed.setSignatureCreationTime(false, created);
            hashed.setIssuerFingerprint(false, pair.getPublicKey());
            PGPKeyRingGenerator generator = new PGPKeyRingGenerator(
                    PGPSignature.POSITIVE_CERTIFICATION,
                    pair,
                    userId,
                    new BcPGPDigestCalculatorProvider().get(HashAlgorithmTags.SHA1),
                    hashed.generate(),
                    null,
                    new BcPGPContentSignerBuilder(pair.getPublicKey().getAlgorithm(), HashAlgorithmTags.SHA256),
                    null);
            return new TenantSigningKey(generator.generateSecretKeyRing());
        } catch (PGPException e) {
            throw new KeyMaterialException("cannot generate a " + algorithm.label() + " key", e);
        }
    }

    private static PGPKeyPair keyPair(int algorithm, AsymmetricCipherKeyPair pair, Date created) throws PGPException {
        return new BcPGPKeyPair(PublicKeyPacket.VERSION_4, algorithm, pair, created);
    }

    /** Reads an armored (or binary) unprotected secret key, as {@link #armoredSecretKey()} writes it. */
    public static TenantSigningKey fromSecretKey(String armored) throws KeyMaterialException {
        try (InputStream in = PGPUtil.getDecoderStream(
                new ByteArrayInputStream(armored.getBytes(StandardCharsets.US_ASCII)))) {
            return new TenantSigningKey(new PGPSecretKeyRing(in, new BcKeyFingerprintCalculator()));
        } catch (IOException | PGPException | RuntimeException e) {
            // The message names no key bytes: the input is secret.
            throw new KeyMaterialException("not a readable OpenPGP secret key", e);
        }
    }

    private static PGPSecretKey findSigningKey(PGPSecretKeyRing ring) throws KeyMaterialException {
        Iterator<PGPSecretKey> keys = ring.getSecretKeys();
        while (keys.hasNext()) {
            PGPSecretKey key = keys.next();
            if (key.isSigningKey() && !key.isPrivateKeyEmpty()) return key;
        }
        throw new KeyMaterialException("the secret key ring holds no usable signing key");
    }

    /**
     * Signs {@code payload} with a v4 binary-document (type 0x00) signature, SHA-256, whose creation
     * time is {@code createdAt} or the key's creation time when that is later (format §4: a tenant's
     * first key is often made after its export was requested, and GnuPG rejects a signature older
     * than its key); returns the one encoded signature packet.
     */
    public byte[] signDetached(byte[] payload, Instant createdAt) throws KeyMaterialException {
        return signDetached(out -> out.write(payload), createdAt);
    }

    /** Writes a payload to be signed, so that a large one need not be held in memory. */
    @FunctionalInterface
    public interface PayloadWriter {
        void write(java.io.OutputStream out) throws IOException;
    }

    /** As {@link #signDetached(byte[], Instant)}, over the bytes {@code payload} writes. */
    public byte[] signDetached(PayloadWriter payload, Instant createdAt) throws KeyMaterialException {
        Instant signedAt = signatureTime(createdAt);
        try {
            PGPSignatureGenerator generator = new PGPSignatureGenerator(
                    new BcPGPContentSignerBuilder(publicKey.getAlgorithm(), HashAlgorithmTags.SHA256), publicKey);
            generator.init(PGPSignature.BINARY_DOCUMENT, privateKey);
            PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
            hashed.setSignatureCreationTime(false, Date.from(signedAt));
            hashed.setIssuerFingerprint(false, publicKey);
            generator.setHashedSubpackets(hashed.generate());
            PGPSignatureSubpacketGenerator unhashed = new PGPSignatureSubpacketGenerator();
            unhashed.setIssuerKeyID(false, publicKey.getKeyID());
            generator.setUnhashedSubpackets(unhashed.generate());
            payload.write(new java.io.OutputStream() {
                @Override
                public void write(int b) {
                    generator.update((byte) b);
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    generator.update(b, off, len);
                }
            });
            return generator.generate().getEncoded();
        } catch (PGPException | IOException e) {
            throw new KeyMaterialException("cannot sign with key " + fingerprint(), e);
        }
    }

    /**
     * A key-revocation signature (0x20) by this key over itself, with the reason, dated {@code at}:
     * armored, ready for {@link Revocations#attach}. Made when the key is made, so that the key can
     * be revoked after its secret is destroyed.
     */
    public String revocation(RevocationReason reason, Instant at) throws KeyMaterialException {
        try {
            PGPSignatureGenerator generator = new PGPSignatureGenerator(
                    new BcPGPContentSignerBuilder(publicKey.getAlgorithm(), HashAlgorithmTags.SHA256), publicKey);
            generator.init(PGPSignature.KEY_REVOCATION, privateKey);
            PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
            Instant created = at.isBefore(createdAt()) ? createdAt() : at;
            hashed.setSignatureCreationTime(false, Date.from(created));
            hashed.setIssuerFingerprint(false, publicKey);
            hashed.setRevocationReason(false, reason.code(), reason.description());
            generator.setHashedSubpackets(hashed.generate());
            PGPSignatureSubpacketGenerator unhashed = new PGPSignatureSubpacketGenerator();
            unhashed.setIssuerKeyID(false, publicKey.getKeyID());
            generator.setUnhashedSubpackets(unhashed.generate());
            PGPSignature signature = generator.generateCertification(publicKey);
            return Armor.armor(signature::encode);
        } catch (PGPException | IOException e) {
            throw new KeyMaterialException("cannot make a revocation for key " + fingerprint(), e);
        }
    }

    /** The creation time a signature for a bundle created at {@code createdAt} carries (format §4). */
    public Instant signatureTime(Instant createdAt) {
        Instant keyCreated = createdAt();
        return createdAt.isBefore(keyCreated) ? keyCreated : createdAt;
    }

    /** When the key was made, to the second, as its key packet says. */
    public Instant createdAt() {
        return publicKey.getCreationTime().toInstant();
    }

    /** 40 uppercase hex digits. */
    public String fingerprint() {
        return Fingerprints.of(publicKey);
    }

    public KeyAlgorithm algorithm() {
        return publicKey.getAlgorithm() == PublicKeyAlgorithmTags.EDDSA_LEGACY ? KeyAlgorithm.ED25519 : KeyAlgorithm.RSA3072;
    }

    /** The public key (transferable public key with user id and self-signature), armored. */
    public String armoredPublicKey() throws KeyMaterialException {
        try {
            return Armor.armor(out -> secretRing.toCertificate().encode(out));
        } catch (IOException e) {
            throw new KeyMaterialException("cannot encode the public key " + fingerprint(), e);
        }
    }

    /** The unprotected secret key, armored: for the key store only, never for a log. */
    public String armoredSecretKey() throws KeyMaterialException {
        try {
            return Armor.armor(secretRing::encode);
        } catch (IOException e) {
            throw new KeyMaterialException("cannot encode the secret key " + fingerprint(), e);
        }
    }

    @Override
    public String toString() {
        return "TenantSigningKey[" + algorithm().label() + " " + fingerprint() + "]";
    }
}
