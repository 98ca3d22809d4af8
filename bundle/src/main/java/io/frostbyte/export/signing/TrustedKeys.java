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
  *
 * <p>Over 300 lines on purpose: which OpenPGP packets count (self-signatures, bindings,
 * back-signatures, expiry, revocations, merged copies) is one decision and reads best in one place.
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
        this.byFingerprint = Map.copyOf(byFingerprint);
    }

    public static TrustedKeys empty() {
        return new TrustedKeys(Map.of());
    }

    /** Reads every key in every file; a file with neither a public key nor a revocation is an error. */
    public static TrustedKeys fromFiles(List<Path> files) throws KeyMaterialException {
        Loader loader = new Loader();
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
            if (!loader.read(bytes, file.toString())) {
                throw new KeyMaterialException("key file " + file + " holds no OpenPGP public key or revocation");
            }
        }
        Map<String, TrustedKey> keys = loader.build();
        if (keys.isEmpty()) {
            throw new KeyMaterialException("the key files hold no usable OpenPGP public key (a primary key with a valid self-signature)");
        }
        return new TrustedKeys(keys);
    }

    /** Reads every key in the given text or binary key material. */
    public static TrustedKeys fromBytes(byte[] material) throws KeyMaterialException {
        Loader loader = new Loader();
        loader.read(material, "key material");
        Map<String, TrustedKey> keys = loader.build();
        if (keys.isEmpty()) {
            throw new KeyMaterialException("key material holds no usable OpenPGP public key (a primary key with a valid self-signature)");
        }
        return new TrustedKeys(keys);
    }

    public static TrustedKeys fromArmored(String armored) throws KeyMaterialException {
        return fromBytes(armored.getBytes(StandardCharsets.US_ASCII));
    }

    private static String describe(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /**
     * Gathers every copy of every certificate, and loose revocation signatures (GnuPG's revocation
     * certificates), before judging any key: as GnuPG merges what it imports, a revocation or a newer
     * self-signature counts in whichever copy or file it arrives.
     */
    private static final class Loader {
        private final Map<String, List<PGPPublicKey>> primaries = new LinkedHashMap<>();
        /** Per primary fingerprint, the copies of each of its subkeys, by subkey fingerprint. */
        private final Map<String, Map<String, List<PGPPublicKey>>> subkeys = new LinkedHashMap<>();
        private final List<PGPSignature> loose = new ArrayList<>();

        /** True when the material held at least one key or signature. */
        boolean read(byte[] bytes, String source) throws KeyMaterialException {
            boolean any = false;
            try {
                for (byte[] binary : dearmor(bytes)) {
                    BcPGPObjectFactory factory = new BcPGPObjectFactory(binary);
                    Object o;
                    while ((o = factory.nextObject()) != null) {
                        if (o instanceof PGPPublicKeyRing ring) {
                            ring(ring.getPublicKeys());
                            any = true;
                        } else if (o instanceof PGPSecretKeyRing ring) {
                            ring(ring.getPublicKeys());
                            any = true;
                        } else if (o instanceof PGPSignatureList list) {
                            for (PGPSignature sig : list) loose.add(sig);
                            any = true;
                        }
                    }
                }
            } catch (IOException | RuntimeException e) {
                throw new KeyMaterialException("cannot read OpenPGP keys from " + source + ": " + describe(e), e);
            }
            return any;
        }

        private void ring(Iterator<PGPPublicKey> keys) {
            if (!keys.hasNext()) return;
            PGPPublicKey primary = keys.next();
            String fpr = Fingerprints.of(primary);
            primaries.computeIfAbsent(fpr, f -> new ArrayList<>()).add(primary);
            while (keys.hasNext()) {
                PGPPublicKey sub = keys.next();
                subkeys.computeIfAbsent(fpr, f -> new LinkedHashMap<>())
                        .computeIfAbsent(Fingerprints.of(sub), f -> new ArrayList<>()).add(sub);
            }
        }

        Map<String, TrustedKey> build() {
            Map<String, TrustedKey> out = new LinkedHashMap<>();
            primaries.forEach((fpr, copies) -> {
                PGPPublicKey primary = copies.get(0);
                Optional<PGPSignature> self = newest(copies, TrustedKeys::newestValidSelfSignature);
                if (self.isEmpty()) return; // GnuPG will not use a primary key nobody has bound to itself
                Optional<Instant> primaryExpiry = expiry(primary, self.get());
                boolean revoked = copies.stream().anyMatch(c -> hasValidRevocation(c, c, PGPSignature.KEY_REVOCATION))
                        || loose.stream().anyMatch(sig -> sig.getSignatureType() == PGPSignature.KEY_REVOCATION
                                && verifies(sig, primary, () -> sig.verifyCertification(primary)));
                out.putIfAbsent(fpr, new TrustedKey(primary, primary, primaryExpiry, primaryExpiry, revoked));
                subkeys.getOrDefault(fpr, Map.of()).forEach((subFpr, subCopies) -> {
                    Optional<PGPSignature> binding = newest(subCopies, sub -> newestValidBinding(primary, sub));
                    if (binding.isEmpty()) return;
                    PGPPublicKey sub = subCopies.get(0);
                    if (!isSigningBinding(primary, sub, binding.get())) return;
                    boolean subRevoked = revoked
                            || subCopies.stream().anyMatch(c -> hasValidRevocation(c, primary, PGPSignature.SUBKEY_REVOCATION))
                            || loose.stream().anyMatch(sig -> sig.getSignatureType() == PGPSignature.SUBKEY_REVOCATION
                                    && verifies(sig, primary, () -> sig.verifyCertification(primary, sub)));
                    out.putIfAbsent(subFpr, new TrustedKey(sub, primary, expiry(sub, binding.get()), primaryExpiry, subRevoked));
                });
            });
            return out;
        }

        private static Optional<PGPSignature> newest(List<PGPPublicKey> copies,
                java.util.function.Function<PGPPublicKey, Optional<PGPSignature>> valid) {
            PGPSignature newest = null;
            for (PGPPublicKey copy : copies) {
                Optional<PGPSignature> sig = valid.apply(copy);
                if (sig.isPresent() && newer(sig.get(), newest)) newest = sig.get();
            }
            return Optional.ofNullable(newest);
        }
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
            int begin = armorStart(text, from);
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

    /**
     * Armored text: a BEGIN line at the start of a line, as GnuPG reads it, after any preamble (a
     * revocation certificate's explanation, say). Binary OpenPGP never starts with text like that.
     */
    private static boolean looksArmored(byte[] bytes) {
        int first = 0;
        while (first < bytes.length && (bytes[first] == ' ' || bytes[first] == '\t' || bytes[first] == '\r' || bytes[first] == '\n')) first++;
        if (first < bytes.length && bytes[first] == '-') return true;
        // Binary packets start with a byte that has its top bit set; text does not.
        return first < bytes.length && (bytes[first] & 0x80) == 0 && armorStart(new String(bytes, StandardCharsets.ISO_8859_1), 0) >= 0;
    }

    /** Where the next "-----BEGIN PGP " line starts (at the start of a line), or -1. */
    private static int armorStart(String text, int from) {
        for (int i = text.indexOf("-----BEGIN PGP ", from); i >= 0; i = text.indexOf("-----BEGIN PGP ", i + 1)) {
            if (i == 0 || text.charAt(i - 1) == '\n') return i;
        }
        return -1;
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
