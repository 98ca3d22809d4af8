package io.frostbyte.export.signing;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.bcpg.ArmoredInputStream;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPSignatureSubpacketVector;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentVerifierBuilderProvider;

/** The rules a signature and its key must obey (bundle format §4), independent of any bundle. */
public final class SignatureChecks {
    /** SHA-256 or stronger; MD5, SHA-1, RIPEMD-160 and SHA-224 are refused. */
    private static final Set<Integer> ACCEPTED_HASHES = Set.of(
            HashAlgorithmTags.SHA256, HashAlgorithmTags.SHA384, HashAlgorithmTags.SHA512,
            HashAlgorithmTags.SHA3_256, HashAlgorithmTags.SHA3_512);
    static final int MIN_RSA_BITS = 2048;
    /** Clock skew forgiven between the signer and this machine: none, as GnuPG forgives none. */
    static final long FUTURE_TOLERANCE_SECONDS = 0;
    /**
     * Subpacket types GnuPG 2.2 accepts when marked critical (its can_handle_critical, checked
     * against gpg 2.2.40 by the third review); a signature with any other critical subpacket, critical
     * notations included, is bad to GnuPG, and so to us.
     */
    private static final Set<Integer> KNOWN_CRITICAL = Set.of(2, 3, 4, 5, 6, 7, 9, 11, 12, 16, 21, 22, 24, 25, 26, 27, 29, 30, 32, 33);

    private SignatureChecks() {}

    /** Parses bytes that must hold exactly one OpenPGP signature packet and nothing else. */
    public static PGPSignature parseSingle(byte[] packet) throws SignatureException {
        try {
            BcPGPObjectFactory factory = new BcPGPObjectFactory(packet);
            Object first = factory.nextObject();
            if (!(first instanceof PGPSignatureList list)) {
                throw new SignatureException("signature_malformed", "does not decode to an OpenPGP signature packet");
            }
            if (list.size() != 1 || factory.nextObject() != null) {
                throw new SignatureException("signature_malformed", "decodes to more than one OpenPGP packet");
            }
            return list.get(0);
        } catch (IOException | RuntimeException e) {
            throw new SignatureException("signature_malformed", "is not a readable OpenPGP signature packet");
        }
    }

    public static String hashName(int algorithm) {
        return switch (algorithm) {
            case HashAlgorithmTags.MD5 -> "MD5";
            case HashAlgorithmTags.SHA1 -> "SHA-1";
            case HashAlgorithmTags.RIPEMD160 -> "RIPEMD-160";
            case HashAlgorithmTags.SHA224 -> "SHA-224";
            case HashAlgorithmTags.SHA256 -> "SHA-256";
            case HashAlgorithmTags.SHA384 -> "SHA-384";
            case HashAlgorithmTags.SHA512 -> "SHA-512";
            case HashAlgorithmTags.SHA3_256 -> "SHA3-256";
            case HashAlgorithmTags.SHA3_512 -> "SHA3-512";
            default -> "hash algorithm " + algorithm;
        };
    }

    /**
     * Hash strength, key strength, key age, expiry and revocation (format §4, §5) for a signature
     * about to be checked with {@code signer}. Expiry is judged at the signature's creation time;
     * revocation at any time, since whoever holds a key can date a signature as they like.
     */
    public static void checkPolicy(PGPSignature sig, TrustedKeys.TrustedKey signer) throws SignatureException {
        if (!ACCEPTED_HASHES.contains(sig.getHashAlgorithm())) {
            throw new SignatureException("weak_hash", "uses " + hashName(sig.getHashAlgorithm())
                    + "; SHA-256 or stronger is required");
        }
        Optional<Integer> critical = unknownCriticalSubpacket(sig);
        if (critical.isPresent()) {
            throw new SignatureException("signature_invalid", "carries a critical subpacket of type " + critical.get()
                    + " that verifiers do not understand (GnuPG reports such a signature as bad)");
        }
        if (sig.getCreationTime().toInstant().isAfter(Instant.now().plusSeconds(FUTURE_TOLERANCE_SECONDS))) {
            throw new SignatureException("signature_in_future", "was made at " + sig.getCreationTime().toInstant()
                    + ", in the future of this machine's clock (GnuPG reports a time conflict)");
        }
        if (expiredNow(sig)) {
            throw new SignatureException("signature_expired", "expired (its signature-expiration time has passed)");
        }
        PGPPublicKey key = signer.key();
        int alg = key.getAlgorithm();
        boolean rsaLike = alg == PublicKeyAlgorithmTags.RSA_GENERAL || alg == PublicKeyAlgorithmTags.RSA_SIGN
                || alg == PublicKeyAlgorithmTags.RSA_ENCRYPT || alg == PublicKeyAlgorithmTags.DSA
                || alg == PublicKeyAlgorithmTags.ELGAMAL_GENERAL || alg == PublicKeyAlgorithmTags.ELGAMAL_ENCRYPT;
        if (rsaLike && key.getBitStrength() < MIN_RSA_BITS) {
            throw new SignatureException("weak_key", "signing key " + signer.fingerprint() + " has only "
                    + key.getBitStrength() + " bits; at least " + MIN_RSA_BITS + " are required");
        }
        if (signer.revoked()) {
            throw new SignatureException("key_revoked", "signing key " + signer.fingerprint() + " is revoked");
        }
        Instant made = sig.getCreationTime().toInstant();
        Instant keyCreated = key.getCreationTime().toInstant();
        if (made.isBefore(keyCreated)) {
            throw new SignatureException("signature_predates_key", "was made at " + made + ", before its key "
                    + signer.fingerprint() + " was created at " + keyCreated);
        }
        if (signer.primaryExpiry().isPresent() && !made.isBefore(signer.primaryExpiry().get())) {
            throw new SignatureException("key_expired", "was made at " + made + ", after the primary key "
                    + signer.primaryFingerprint() + " expired at " + signer.primaryExpiry().get());
        }
        if (signer.isSubkey() && signer.keyExpiry().isPresent() && !made.isBefore(signer.keyExpiry().get())) {
            throw new SignatureException("key_expired", "was made at " + made + ", after the signing subkey "
                    + signer.fingerprint() + " expired at " + signer.keyExpiry().get());
        }
    }

    /** The type of a critical subpacket, hashed or not, that GnuPG would not understand; empty when there is none. */
    public static Optional<Integer> unknownCriticalSubpacket(PGPSignature sig) {
        for (PGPSignatureSubpacketVector v : new PGPSignatureSubpacketVector[] {sig.getHashedSubPackets(), sig.getUnhashedSubPackets()}) {
            if (v == null) continue;
            for (int tag : v.getCriticalTags()) {
                if (!KNOWN_CRITICAL.contains(tag)) return Optional.of(tag);
            }
        }
        return Optional.empty();
    }

    /** The signature's own expiration time (subpacket 3) has passed. */
    public static boolean expiredNow(PGPSignature sig) {
        PGPSignatureSubpacketVector hashed = sig.getHashedSubPackets();
        long seconds = hashed == null ? 0 : hashed.getSignatureExpirationTime();
        return seconds > 0 && !sig.getCreationTime().toInstant().plusSeconds(seconds).isAfter(Instant.now());
    }

    /** Verifies a detached binary-document signature over {@code payload} with {@code signer}. */
    public static void verifyDetached(PGPSignature sig, TrustedKeys.TrustedKey signer, byte[] payload)
            throws SignatureException {
        if (sig.getVersion() != 4) {
            throw new SignatureException("signature_malformed", "is a v" + sig.getVersion() + " signature; v4 is required");
        }
        if (sig.getSignatureType() != PGPSignature.BINARY_DOCUMENT) {
            throw new SignatureException("signature_malformed", String.format(
                    "has signature type 0x%02x; 0x00 (binary document) is required", sig.getSignatureType()));
        }
        long issuer = sig.getKeyID();
        boolean namesFingerprint = (sig.getHashedSubPackets() != null && sig.getHashedSubPackets().getIssuerFingerprint() != null)
                || (sig.getUnhashedSubPackets() != null && sig.getUnhashedSubPackets().getIssuerFingerprint() != null);
        if (issuer == 0 && !namesFingerprint) {
            // GnuPG cannot find the key of such a signature (NO_PUBKEY), so the stock-tool check fails on it.
            throw new SignatureException("signature_malformed", "names no issuer (neither key id nor fingerprint)");
        }
        if (issuer != 0 && issuer != signer.key().getKeyID()) {
            throw new SignatureException("wrong_signer", "was made by key id "
                    + String.format("%016X", issuer) + ", not by " + signer.fingerprint());
        }
        checkPolicy(sig, signer);
        verifyCrypto(sig, signer.key(), payload);
    }

    private static void verifyCrypto(PGPSignature sig, PGPPublicKey key, byte[] data) throws SignatureException {
        boolean ok;
        try {
            sig.init(new BcPGPContentVerifierBuilderProvider(), key);
            sig.update(data);
            ok = sig.verify();
        } catch (PGPException | RuntimeException e) {
            ok = false;
        }
        if (!ok) {
            throw new SignatureException("signature_invalid", "does not verify over the manifest payload with key "
                    + Fingerprints.of(key));
        }
    }

    /** The text and signature of a verified clearsigned message. */
    public record ClearsignedResult(String text, String signerFingerprint) {}

    /**
     * Verifies an ASCII-armored clearsigned message ({@code gpg --clearsign}) with any of the trusted
     * keys and returns the signed text (line endings as {@code \n}, no trailing newline).
     */
    public static ClearsignedResult verifyClearsigned(String message, TrustedKeys keys) throws SignatureException {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream clear = new ByteArrayOutputStream();
        PGPSignature sig;
        try (ArmoredInputStream in = new ArmoredInputStream(new ByteArrayInputStream(bytes))) {
            if (!in.isClearText()) {
                throw new SignatureException("signature_malformed", "is not a clearsigned message");
            }
            int c;
            // The stream hands out the first byte of the signature armor before it leaves clear-text mode.
            while ((c = in.read()) >= 0 && in.isClearText()) {
                clear.write(c);
            }
            BcPGPObjectFactory factory = new BcPGPObjectFactory(in);
            Object o = factory.nextObject();
            if (!(o instanceof PGPSignatureList list) || list.size() != 1) {
                throw new SignatureException("signature_malformed", "clearsigned message must carry exactly one signature");
            }
            sig = list.get(0);
        } catch (IOException | RuntimeException e) {
            throw new SignatureException("signature_malformed", "is not a readable clearsigned message");
        }
        String text = canonicalText(clear.toString(StandardCharsets.UTF_8));
        if (sig.getSignatureType() != PGPSignature.CANONICAL_TEXT_DOCUMENT
                && sig.getSignatureType() != PGPSignature.BINARY_DOCUMENT) {
            throw new SignatureException("signature_malformed", "clearsigned signature has an unexpected type");
        }
        var candidates = keys.findByKeyId(sig.getKeyID());
        if (candidates.isEmpty()) {
            throw new SignatureException("signer_unknown", String.format(
                    "clearsigned message was made by key id %016X, which is not among the trusted keys", sig.getKeyID()));
        }
        // RFC 4880 §7.1: trailing spaces/tabs are not signed; lines are joined with CRLF.
        byte[] signed = text.lines().map(SignatureChecks::stripTrailingWhitespace)
                .reduce((a, b) -> a + "\r\n" + b).orElse("").getBytes(StandardCharsets.UTF_8);
        SignatureException last = null;
        for (TrustedKeys.TrustedKey signer : candidates) {
            try {
                checkPolicy(sig, signer);
                verifyCrypto(sig, signer.key(), signed);
                return new ClearsignedResult(text, signer.fingerprint());
            } catch (SignatureException e) {
                last = e;
            }
        }
        throw last;
    }

    /** The cleartext as read, with CRLF folded to LF and the line ending before the signature removed. */
    private static String canonicalText(String raw) {
        String text = raw.replace("\r\n", "\n");
        if (text.endsWith("\n")) text = text.substring(0, text.length() - 1);
        return text;
    }

    private static String stripTrailingWhitespace(String line) {
        int end = line.length();
        while (end > 0 && (line.charAt(end - 1) == ' ' || line.charAt(end - 1) == '\t')) end--;
        return line.substring(0, end);
    }
}
