package io.frostbyte.export.testing;

import io.frostbyte.export.signing.Fingerprints;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyPacket;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.crypto.generators.Ed25519KeyPairGenerator;
import org.bouncycastle.crypto.params.Ed25519KeyGenerationParameters;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPKeyPair;
import org.bouncycastle.openpgp.PGPKeyRingGenerator;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSecretKey;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.PGPSignatureSubpacketGenerator;
import org.bouncycastle.openpgp.operator.bc.BcPBESecretKeyDecryptorBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPDigestCalculatorProvider;
import org.bouncycastle.openpgp.operator.bc.BcPGPKeyPair;

/**
 * OpenPGP certificates with the shapes format §5 is about, which the product never makes: signing
 * subkeys (bound or not, with or without the signing flag or back-signature), expiring primaries
 * and subkeys, revoked subkeys, and keys appended to someone else's certificate.
 */
public final class TestCertificates {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** What to generate. */
    public record Spec(Instant created, Optional<Duration> primaryExpiry, boolean subkey, boolean subkeySignFlag,
            boolean subkeyBackSignature, Optional<Duration> subkeyExpiry) {
        public static Spec primaryOnly() {
            return new Spec(TestKeys.CREATED, Optional.empty(), false, false, false, Optional.empty());
        }

        public static Spec signingSubkey() {
            return new Spec(TestKeys.CREATED, Optional.empty(), true, true, true, Optional.empty());
        }

        public Spec created(Instant v) { return new Spec(v, primaryExpiry, subkey, subkeySignFlag, subkeyBackSignature, subkeyExpiry); }
        public Spec primaryExpiry(Duration v) { return new Spec(created, Optional.of(v), subkey, subkeySignFlag, subkeyBackSignature, subkeyExpiry); }
        public Spec subkeySignFlag(boolean v) { return new Spec(created, primaryExpiry, subkey, v, subkeyBackSignature, subkeyExpiry); }
        public Spec subkeyBackSignature(boolean v) { return new Spec(created, primaryExpiry, subkey, subkeySignFlag, v, subkeyExpiry); }
        public Spec subkeyExpiry(Duration v) { return new Spec(created, primaryExpiry, subkey, subkeySignFlag, subkeyBackSignature, Optional.of(v)); }
    }

    /** A generated certificate and its secret keys. */
    public record Cert(PGPSecretKeyRing secret, PGPPublicKeyRing publicRing) {
        public PGPSecretKey primary() {
            return secret.getSecretKey();
        }

        /** The first subkey; fails when there is none. */
        public PGPSecretKey subkey() {
            Iterator<PGPSecretKey> keys = secret.getSecretKeys();
            keys.next();
            return keys.next();
        }

        public String armoredPublicKey() {
            return armor(publicRing);
        }

        /** A detached binary-document signature, SHA-256, made by {@code key} at {@code at}. */
        public byte[] sign(PGPSecretKey key, byte[] payload, Instant at) {
            try {
                PGPSignatureGenerator gen = generator(key, PGPSignature.BINARY_DOCUMENT, HashAlgorithmTags.SHA256);
                PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
                hashed.setSignatureCreationTime(false, Date.from(at));
                hashed.setIssuerFingerprint(false, key.getPublicKey());
                gen.setHashedSubpackets(hashed.generate());
                gen.update(payload);
                return gen.generate().getEncoded();
            } catch (PGPException | IOException e) {
                throw new IllegalStateException(e);
            }
        }

        /**
         * A second copy of the primary key alone, carrying a newer self-signature (made at {@code at}) that
         * sets a key expiry of {@code validFor}: what a key holder publishes to shorten the key's life.
         */
        public String armoredCopyWithNewSelfSignature(Instant at, Duration validFor) {
            try {
                PGPSecretKey primary = primary();
                PGPPublicKey pub = primary.getPublicKey();
                String uid = pub.getUserIDs().next();
                PGPSignatureGenerator gen = generator(primary, PGPSignature.POSITIVE_CERTIFICATION, HashAlgorithmTags.SHA256);
                PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
                hashed.setSignatureCreationTime(false, Date.from(at));
                hashed.setKeyFlags(false, KeyFlags.CERTIFY_OTHER | KeyFlags.SIGN_DATA);
                hashed.setKeyExpirationTime(false, Duration.between(pub.getCreationTime().toInstant(), at.plus(validFor)).toSeconds());
                gen.setHashedSubpackets(hashed.generate());
                PGPSignature self = gen.generateCertification(uid, pub);
                PGPPublicKey copy = PGPPublicKey.addCertification(pub, uid, self);
                return armor(new PGPPublicKeyRing(List.of(copy)));
            } catch (PGPException e) {
                throw new IllegalStateException(e);
            }
        }

        /** A copy of the primary key with no user id and a key revocation (0x20): GnuPG merges it into the key. */
        public String armoredBareRevokedPrimary(Instant at) {
            PGPPublicKey pub = primary().getPublicKey();
            List<String> ids = new ArrayList<>();
            pub.getUserIDs().forEachRemaining(ids::add);
            for (String id : ids) pub = PGPPublicKey.removeCertification(pub, id);
            return armor(new PGPPublicKeyRing(List.of(PGPPublicKey.addCertification(pub, keyRevocation(at)))));
        }

        /** A revocation certificate as GnuPG writes one: the key revocation signature alone. */
        public String armoredRevocationCertificate(Instant at) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (ArmoredOutputStream armored = ArmoredOutputStream.builder().clearHeaders().build(out)) {
                keyRevocation(at).encode(armored);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return out.toString(java.nio.charset.StandardCharsets.US_ASCII);
        }

        private PGPSignature keyRevocation(Instant at) {
            try {
                PGPSecretKey primary = primary();
                PGPPublicKey pub = primary.getPublicKey();
                PGPSignatureGenerator gen = generator(primary, PGPSignature.KEY_REVOCATION, HashAlgorithmTags.SHA256);
                PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
                hashed.setSignatureCreationTime(false, Date.from(at));
                gen.setHashedSubpackets(hashed.generate());
                return gen.generateCertification(pub);
            } catch (PGPException e) {
                throw new IllegalStateException(e);
            }
        }

        /** This certificate with a subkey revocation (0x28) of its first subkey, dated {@code at}. */
        public String armoredWithSubkeyRevoked(Instant at) {
            try {
                PGPSecretKey primary = primary();
                PGPPublicKey sub = subkey().getPublicKey();
                PGPSignatureGenerator gen = generator(primary, PGPSignature.SUBKEY_REVOCATION, HashAlgorithmTags.SHA256);
                PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
                hashed.setSignatureCreationTime(false, Date.from(at));
                gen.setHashedSubpackets(hashed.generate());
                PGPSignature revocation = gen.generateCertification(primary.getPublicKey(), sub);
                return armor(PGPPublicKeyRing.insertPublicKey(publicRing, PGPPublicKey.addCertification(sub, revocation)));
            } catch (PGPException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private TestCertificates() {}

    /** A signature generator for {@code signer} (an unprotected secret key), initialised for {@code type}. */
    static PGPSignatureGenerator generator(PGPSecretKey signer, int type, int hashAlgorithm) throws PGPException {
        PGPPublicKey pub = signer.getPublicKey();
        PGPSignatureGenerator gen = new PGPSignatureGenerator(new BcPGPContentSignerBuilder(pub.getAlgorithm(), hashAlgorithm), pub);
        gen.init(type, signer.extractPrivateKey(new BcPBESecretKeyDecryptorBuilder(new BcPGPDigestCalculatorProvider()).build(new char[0])));
        return gen;
    }

    public static Cert generate(Spec spec) {
        try {
            Date created = Date.from(spec.created());
            PGPKeyPair primary = ed25519(created);
            PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
            hashed.setKeyFlags(false, KeyFlags.CERTIFY_OTHER | KeyFlags.SIGN_DATA);
            hashed.setSignatureCreationTime(false, created);
            hashed.setIssuerFingerprint(false, primary.getPublicKey());
            spec.primaryExpiry().ifPresent(d -> hashed.setKeyExpirationTime(false, d.toSeconds()));
            PGPKeyRingGenerator gen = new PGPKeyRingGenerator(PGPSignature.POSITIVE_CERTIFICATION, primary,
                    "Test certificate <test@tenant.invalid>", new BcPGPDigestCalculatorProvider().get(HashAlgorithmTags.SHA1),
                    hashed.generate(), null,
                    new BcPGPContentSignerBuilder(PublicKeyAlgorithmTags.EDDSA_LEGACY, HashAlgorithmTags.SHA256), null);
            if (spec.subkey()) {
                PGPKeyPair sub = ed25519(created);
                PGPSignatureSubpacketGenerator subHashed = new PGPSignatureSubpacketGenerator();
                subHashed.setKeyFlags(false, spec.subkeySignFlag() ? KeyFlags.SIGN_DATA : KeyFlags.AUTHENTICATION);
                subHashed.setSignatureCreationTime(false, created);
                subHashed.setIssuerFingerprint(false, primary.getPublicKey());
                spec.subkeyExpiry().ifPresent(d -> subHashed.setKeyExpirationTime(false, d.toSeconds()));
                if (spec.subkeyBackSignature()) {
                    gen.addSubKey(sub, subHashed.generate(), null,
                            new BcPGPContentSignerBuilder(PublicKeyAlgorithmTags.EDDSA_LEGACY, HashAlgorithmTags.SHA256));
                } else {
                    gen.addSubKey(sub, subHashed.generate(), null);
                }
            }
            return new Cert(gen.generateSecretKeyRing(), gen.generatePublicKeyRing());
        } catch (PGPException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * {@code victim}'s certificate with {@code attacker}'s signing subkey appended, as a keyserver
     * lets anyone do: with its signatures stripped ({@code keepAttackerBinding} false), or with the
     * binding the attacker's own primary made, which does not verify for the victim's primary.
     */
    public static String appendForeignSubkey(Cert victim, Cert attacker, boolean keepAttackerBinding) {
        PGPPublicKey sub = attacker.subkey().getPublicKey();
        if (!keepAttackerBinding) {
            List<PGPSignature> sigs = new ArrayList<>();
            sub.getSignatures().forEachRemaining(sigs::add);
            for (PGPSignature s : sigs) sub = PGPPublicKey.removeCertification(sub, s);
        }
        return armor(PGPPublicKeyRing.insertPublicKey(victim.publicRing(), sub));
    }

    public static String fingerprint(PGPSecretKey key) {
        return Fingerprints.of(key.getPublicKey());
    }

    private static PGPKeyPair ed25519(Date created) throws PGPException {
        Ed25519KeyPairGenerator g = new Ed25519KeyPairGenerator();
        g.init(new Ed25519KeyGenerationParameters(RANDOM));
        return new BcPGPKeyPair(PublicKeyPacket.VERSION_4, PublicKeyAlgorithmTags.EDDSA_LEGACY, g.generateKeyPair(), created);
    }

    private static String armor(PGPPublicKeyRing ring) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ArmoredOutputStream armored = ArmoredOutputStream.builder().clearHeaders().build(out)) {
            ring.encode(armored);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(java.nio.charset.StandardCharsets.US_ASCII);
    }
}
