package io.frostbyte.export.signing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bouncycastle.bcpg.ArmoredInputStream;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPSignatureSubpacketVector;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentVerifierBuilderProvider;

/**
 * The public keys a verifier trusts: any number of key files, each armored or binary, each holding
 * any number of certificates. What counts is what GnuPG would use (format §5): a primary key with
 * a valid self-signature, and a subkey only when its primary has bound it for signing (a valid
 * 0x18 binding with the signing flag) and the subkey has signed back (a valid embedded 0x19).
 * Unbound packets, such as a key an attacker appended to a certificate on a keyserver, are
 * ignored. Every counted key is addressable by its v4 fingerprint.
 */
public final class TrustedKeys {
    /** A key file larger than this is not a key file. */
    static final int MAX_KEY_FILE_BYTES = 8 * 1024 * 1024;

    /**
     * One trusted key (primary or bound signing subkey) and the primary key that vouches for it.
     *
     * @param keyExpiry when {@code key} stops being valid, per its newest valid self- or binding signature
     * @param primaryExpiry when the primary stops being valid (the same as keyExpiry for a primary)
     * @param revoked a valid revocation of the key or its primary is in the supplied material, in
     *     any copy of the certificate
     */
    public record TrustedKey(PGPPublicKey key, PGPPublicKey primary, Optional<Instant> keyExpiry, Optional<Instant> primaryExpiry,
            boolean revoked) {
        public TrustedKey {
            java.util.Objects.requireNonNull(key, "key");
            java.util.Objects.requireNonNull(primary, "primary");
            java.util.Objects.requireNonNull(keyExpiry, "keyExpiry");
            java.util.Objects.requireNonNull(primaryExpiry, "primaryExpiry");
        }

        public String fingerprint() {
            return Fingerprints.of(key);
        }

        public String primaryFingerprint() {
            return Fingerprints.of(primary);
        }

        public boolean isSubkey() {
            return key != primary;
        }
    }

    private final Map<String, TrustedKey> byFingerprint;

    private TrustedKeys(Map<String, TrustedKey> byFingerprint) {
        // A primary revoked in any copy revokes its subkeys from every copy.
        Map<String, TrustedKey> keys = new LinkedHashMap<>(byFingerprint);
        keys.replaceAll((fpr, k) -> {
            TrustedKey primary = byFingerprint.get(k.primaryFingerprint());
            return !k.revoked() && primary != null && primary.revoked()
                    ? new TrustedKey(k.key(), k.primary(), k.keyExpiry(), k.primaryExpiry(), true) : k;
        });
        this.byFingerprint = Map.copyOf(keys);
    }

    public static TrustedKeys empty() {
        return new TrustedKeys(Map.of());
    }

    /** Reads every key in every file; a file without any public key is an error. */
    public static TrustedKeys fromFiles(List<Path> files) throws KeyMaterialException {
        Map<String, TrustedKey> keys = new LinkedHashMap<>();
        for (Path file : files) {
            byte[] bytes;
            if (!Files.isRegularFile(file)) {
                throw new KeyMaterialException("key file " + file + " does not exist or is not a regular file");
            }
            try {
                if (Files.size(file) > MAX_KEY_FILE_BYTES) {
                    throw new KeyMaterialException("key file " + file + " is larger than " + MAX_KEY_FILE_BYTES + " bytes");
                }
                bytes = Files.readAllBytes(file);
            } catch (IOException e) {
                throw new KeyMaterialException("cannot read key file " + file + ": " + e.getMessage(), e);
            }
            int before = keys.size();
            addAll(bytes, file.toString(), keys);
            if (keys.size() == before) {
                throw new KeyMaterialException("key file " + file + " holds no usable OpenPGP public key"
                        + " (a primary key with a valid self-signature)");
            }
        }
        return new TrustedKeys(keys);
    }

    /** Reads every key in the given text or binary key material. */
    public static TrustedKeys fromBytes(byte[] material) throws KeyMaterialException {
        Map<String, TrustedKey> keys = new LinkedHashMap<>();
        addAll(material, "key material", keys);
        if (keys.isEmpty()) {
            throw new KeyMaterialException("key material holds no usable OpenPGP public key (a primary key with a valid self-signature)");
        }
        return new TrustedKeys(keys);
    }

    public static TrustedKeys fromArmored(String armored) throws KeyMaterialException {
        return fromBytes(armored.getBytes(StandardCharsets.US_ASCII));
    }

    private static void addAll(byte[] bytes, String source, Map<String, TrustedKey> keys) throws KeyMaterialException {
        try {
            for (byte[] binary : dearmor(bytes)) {
                BcPGPObjectFactory factory = new BcPGPObjectFactory(binary);
                Object o;
                while ((o = factory.nextObject()) != null) {
                    if (o instanceof PGPPublicKeyRing ring) {
                        add(ring.getPublicKeys(), keys);
                    } else if (o instanceof PGPSecretKeyRing ring) {
                        add(ring.getPublicKeys(), keys);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new KeyMaterialException("cannot read OpenPGP keys from " + source + ": " + describe(e), e);
        }
    }

    private static String describe(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static void add(Iterator<PGPPublicKey> ringKeys, Map<String, TrustedKey> keys) {
        if (!ringKeys.hasNext()) return;
        PGPPublicKey primary = ringKeys.next();
        Optional<PGPSignature> self = newestValidSelfSignature(primary);
        if (self.isEmpty()) return; // GnuPG will not use a primary key nobody has bound to itself
        Optional<Instant> primaryExpiry = expiry(primary, self.get());
        boolean primaryRevoked = hasValidRevocation(primary, primary, PGPSignature.KEY_REVOCATION);
        put(keys, new TrustedKey(primary, primary, primaryExpiry, primaryExpiry, primaryRevoked));
        while (ringKeys.hasNext()) {
            PGPPublicKey subkey = ringKeys.next();
            Optional<PGPSignature> binding = newestValidBinding(primary, subkey);
            if (binding.isEmpty() || !isSigningBinding(primary, subkey, binding.get())) continue;
            boolean revoked = primaryRevoked || hasValidRevocation(subkey, primary, PGPSignature.SUBKEY_REVOCATION);
            put(keys, new TrustedKey(subkey, primary, expiry(subkey, binding.get()), primaryExpiry, revoked));
        }
    }

    /** The first copy of a key wins, except that a revocation in any copy (a cert and its revocation, concatenated) sticks. */
    private static void put(Map<String, TrustedKey> keys, TrustedKey key) {
        keys.merge(key.fingerprint(), key, (old, added) -> !old.revoked() && added.revoked() ? added : old);
    }

    /** The newest user-ID certification (0x10-0x13) or direct-key signature (0x1F) by the key on itself that verifies. */
    private static Optional<PGPSignature> newestValidSelfSignature(PGPPublicKey primary) {
        PGPSignature newest = null;
        Iterator<String> ids = primary.getUserIDs();
        while (ids.hasNext()) {
            String id = ids.next();
            Iterator<PGPSignature> sigs = primary.getSignaturesForID(id);
            while (sigs != null && sigs.hasNext()) {
                PGPSignature sig = sigs.next();
                if (!sig.isCertification() || sig.getKeyID() != primary.getKeyID() && !issuedBy(sig, primary)) continue;
                if (verifies(sig, primary, () -> sig.verifyCertification(id, primary)) && newer(sig, newest)) newest = sig;
            }
        }
        Iterator<PGPSignature> direct = primary.getSignaturesOfType(PGPSignature.DIRECT_KEY);
        while (direct.hasNext()) {
            PGPSignature sig = direct.next();
            if (verifies(sig, primary, () -> sig.verifyCertification(primary)) && newer(sig, newest)) newest = sig;
        }
        return Optional.ofNullable(newest);
    }

    /** The newest subkey binding (0x18) by {@code primary} over {@code subkey} that verifies. */
    private static Optional<PGPSignature> newestValidBinding(PGPPublicKey primary, PGPPublicKey subkey) {
        PGPSignature newest = null;
        Iterator<PGPSignature> sigs = subkey.getSignaturesOfType(PGPSignature.SUBKEY_BINDING);
        while (sigs.hasNext()) {
            PGPSignature sig = sigs.next();
            if (verifies(sig, primary, () -> sig.verifyCertification(primary, subkey)) && newer(sig, newest)) newest = sig;
        }
        return Optional.ofNullable(newest);
    }

    /** The binding grants signing, and carries a primary-key binding (0x19) the subkey made (RFC 4880 §5.2.1). */
    private static boolean isSigningBinding(PGPPublicKey primary, PGPPublicKey subkey, PGPSignature binding) {
        PGPSignatureSubpacketVector hashed = binding.getHashedSubPackets();
        if (hashed == null || (hashed.getKeyFlags() & KeyFlags.SIGN_DATA) == 0) return false;
        for (PGPSignatureSubpacketVector v : new PGPSignatureSubpacketVector[] {hashed, binding.getUnhashedSubPackets()}) {
            if (v == null) continue;
            try {
                PGPSignatureList embedded = v.getEmbeddedSignatures();
                for (int i = 0; i < embedded.size(); i++) {
                    PGPSignature back = embedded.get(i);
                    if (back.getSignatureType() == PGPSignature.PRIMARYKEY_BINDING
                            && verifies(back, subkey, () -> back.verifyCertification(primary, subkey))) {
                        return true;
                    }
                }
            } catch (PGPException | RuntimeException e) {
                // An unreadable embedded signature binds nothing.
            }
        }
        return false;
    }

    private static Optional<Instant> expiry(PGPPublicKey key, PGPSignature selfOrBinding) {
        PGPSignatureSubpacketVector hashed = selfOrBinding.getHashedSubPackets();
        long seconds = hashed == null ? 0 : hashed.getKeyExpirationTime();
        return seconds <= 0 ? Optional.empty() : Optional.of(key.getCreationTime().toInstant().plusSeconds(seconds));
    }

    private static boolean issuedBy(PGPSignature sig, PGPPublicKey key) {
        PGPSignatureSubpacketVector hashed = sig.getHashedSubPackets();
        return hashed != null && hashed.getIssuerFingerprint() != null
                && java.util.Arrays.equals(hashed.getIssuerFingerprint().getFingerprint(), key.getFingerprint());
    }

    private static boolean newer(PGPSignature sig, PGPSignature than) {
        return than == null || sig.getCreationTime().after(than.getCreationTime());
    }

    private interface Check {
        boolean run() throws PGPException;
    }

    private static boolean verifies(PGPSignature sig, PGPPublicKey signer, Check check) {
        try {
            sig.init(new BcPGPContentVerifierBuilderProvider(), signer);
            return check.run();
        } catch (PGPException | RuntimeException e) {
            return false; // a malformed signature vouches for nothing
        }
    }

    /** Splits armored text into its blocks (a file may hold several); binary input is one block. */
    static List<byte[]> dearmor(byte[] bytes) throws IOException {
        List<byte[]> blocks = new ArrayList<>();
        if (!looksArmored(bytes)) {
            blocks.add(bytes);
            return blocks;
        }
        String text = new String(bytes, StandardCharsets.US_ASCII);
        int from = 0;
        while (true) {
            int begin = text.indexOf("-----BEGIN PGP ", from);
            if (begin < 0) break;
            int endMarker = text.indexOf("-----END PGP ", begin);
            if (endMarker < 0) throw new IOException("armor block without an END line");
            int lineEnd = text.indexOf('\n', endMarker);
            int end = lineEnd < 0 ? text.length() : lineEnd + 1;
            byte[] block = text.substring(begin, end).getBytes(StandardCharsets.US_ASCII);
            try (InputStream in = new ArmoredInputStream(new ByteArrayInputStream(block))) {
                blocks.add(in.readAllBytes());
            }
            from = end;
        }
        return blocks;
    }

    private static boolean looksArmored(byte[] bytes) {
        for (byte b : bytes) {
            if (b == ' ' || b == '\t' || b == '\r' || b == '\n') continue;
            return b == '-';
        }
        return false;
    }

    public Optional<TrustedKey> find(String fingerprint) {
        return Optional.ofNullable(byFingerprint.get(fingerprint));
    }

    /** Keys whose 64-bit key id is {@code keyId}; used for legacy signatures that name no fingerprint. */
    public List<TrustedKey> findByKeyId(long keyId) {
        List<TrustedKey> found = new ArrayList<>();
        for (TrustedKey k : byFingerprint.values()) {
            if (k.key().getKeyID() == keyId) found.add(k);
        }
        return found;
    }

    public List<TrustedKey> all() {
        return List.copyOf(byFingerprint.values());
    }

    public boolean isEmpty() {
        return byFingerprint.isEmpty();
    }

    /**
     * True when the supplied key material revokes {@code key}: a verified revocation of its primary
     * key, or of the subkey itself. A revocation signature that does not verify is ignored, as GnuPG
     * does.
     */
    public static boolean isRevoked(TrustedKey trusted) {
        return trusted.revoked();
    }

    private static boolean hasValidRevocation(PGPPublicKey key, PGPPublicKey primary, int type) {
        Iterator<PGPSignature> sigs = key.getSignaturesOfType(type);
        while (sigs.hasNext()) {
            PGPSignature sig = sigs.next();
            try {
                sig.init(new BcPGPContentVerifierBuilderProvider(), primary);
                boolean ok = type == PGPSignature.KEY_REVOCATION
                        ? sig.verifyCertification(primary)
                        : sig.verifyCertification(primary, key);
                if (ok) return true;
            } catch (PGPException | RuntimeException e) {
                // A malformed revocation cannot revoke; keep looking.
            }
        }
        return false;
    }
}
