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
    /** Compressed packets in key material may expand to this much in all: a small file must not fill the heap. */
    static final long MAX_EXPANDED_BYTES = 4L * MAX_KEY_FILE_BYTES;

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
        return fromMaterials(List.of(material));
    }

    /**
     * Reads every key in several pieces of key material as one set, so that a revocation or a newer
     * self-signature in one piece counts for a key in another (as {@link #fromFiles} does).
     */
    public static TrustedKeys fromMaterials(List<byte[]> materials) throws KeyMaterialException {
        Loader loader = new Loader();
        for (byte[] material : materials) loader.read(material, "key material");
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
        private long expanded;

        /** True when the material held at least one key or signature. */
        boolean read(byte[] bytes, String source) throws KeyMaterialException {
            boolean any = false;
            try {
                for (byte[] binary : dearmor(bytes)) {
                    any |= packets(new BcPGPObjectFactory(binary), 0);
                }
            } catch (IOException | PGPException | RuntimeException e) {
                throw new KeyMaterialException("cannot read OpenPGP keys from " + source + ": " + describe(e), e);
            }
            return any;
        }

        /** Keys and signatures, looking inside compressed packets as GnuPG's import does (two levels at most). */
        private boolean packets(BcPGPObjectFactory factory, int depth) throws IOException, PGPException {
            boolean any = false;
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
                } else if (o instanceof org.bouncycastle.openpgp.PGPCompressedData compressed && depth < 2) {
                    any |= packets(new BcPGPObjectFactory(bounded(compressed.getDataStream())), depth + 1);
                }
            }
            return any;
        }

        /** The decompressed bytes, counted against {@link #MAX_EXPANDED_BYTES} for the whole material. */
        private java.io.InputStream bounded(java.io.InputStream in) {
            return new java.io.FilterInputStream(in) {
                @Override
                public int read() throws IOException {
                    int b = super.read();
                    if (b >= 0) count(1);
                    return b;
                }

                @Override
                public int read(byte[] buf, int off, int len) throws IOException {
                    int n = super.read(buf, off, len);
                    if (n > 0) count(n);
                    return n;
                }
            };
        }

        private void count(int n) throws IOException {
            expanded += n;
            if (expanded > MAX_EXPANDED_BYTES) {
                throw new IOException("compressed key material expands beyond " + MAX_EXPANDED_BYTES + " bytes");
            }
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
            // Revocations wherever they arrived: loose, or filed by the parser under whichever key preceded them.
            List<PGPSignature> revocations = new ArrayList<>();
            for (PGPSignature sig : loose) if (isRevocation(sig)) revocations.add(sig);
            primaries.values().forEach(copies -> copies.forEach(k -> collectRevocations(k, revocations)));
            subkeys.values().forEach(m -> m.values().forEach(copies -> copies.forEach(k -> collectRevocations(k, revocations))));

            Map<String, TrustedKey> out = new LinkedHashMap<>();
            primaries.forEach((fpr, copies) -> {
                PGPPublicKey primary = copies.get(0);
                Optional<SelfState> self = selfState(copies);
                if (self.isEmpty() || inFuture(primary)) return; // GnuPG will not use such a primary
                boolean revoked = revokedBy(revocations, primary, primary, PGPSignature.KEY_REVOCATION)
                        || self.get().revokers().stream().anyMatch(r -> revokedByDesignated(revocations, primary, r));
                Optional<Instant> primaryExpiry = self.get().expiry();
                if (self.get().canSign() && canSign(primary)) {
                    add(out, new TrustedKey(primary, primary, primaryExpiry, primaryExpiry, revoked));
                }
                subkeys.getOrDefault(fpr, Map.of()).forEach((subFpr, subCopies) -> {
                    PGPPublicKey sub = subCopies.get(0);
                    List<PGPSignature> bindings = new ArrayList<>();
                    subCopies.forEach(c -> bindings.addAll(validBindings(primary, c)));
                    if (bindings.isEmpty() || inFuture(sub) || !canSign(sub)) return;
                    List<PGPSignature> newestBindings = newestTies(bindings);
                    if (!newestBindings.stream().allMatch(b -> isSigningBinding(primary, sub, b))) return;
                    Optional<PGPSignature> binding = Optional.of(newestOf(newestBindings));
                    boolean subRevoked = revoked || revokedBy(revocations, primary, sub, PGPSignature.SUBKEY_REVOCATION);
                    add(out, new TrustedKey(sub, primary, expiry(sub, binding.get()), primaryExpiry, subRevoked));
                });
            });
            return out;
        }

        /**
         * The first appearance of a key decides its role, but a revocation in any role counts: the same
         * key material bound as a subkey under another primary must not shed its own revocation.
         */
        private static void add(Map<String, TrustedKey> out, TrustedKey candidate) {
            out.merge(candidate.fingerprint(), candidate, (first, later) -> later.revoked() && !first.revoked()
                    ? new TrustedKey(first.key(), first.primary(), first.keyExpiry(), first.primaryExpiry(), true) : first);
        }

        /** What the valid self-signatures on all copies of a primary say. */
        private record SelfState(Optional<Instant> expiry, boolean canSign, List<byte[]> revokers) {}

        /**
         * Valid self-signatures: direct-key signatures, and certifications of user IDs that are not
         * revoked. Empty when there is none. The expiry is the earliest of the newest direct-key
         * signature's and each live user ID's newest certification's: GnuPG picks among these (the
         * direct-key one, or the primary user ID's), and the earliest is never later than its pick.
         */
        private Optional<SelfState> selfState(List<PGPPublicKey> copies) {
            PGPPublicKey primary = copies.get(0);
            Map<String, List<PGPSignature>> certs = new LinkedHashMap<>();
            Map<String, List<PGPSignature>> uidRevocations = new LinkedHashMap<>();
            List<PGPSignature> direct = new ArrayList<>();
            for (PGPPublicKey copy : copies) {
                Iterator<String> ids = copy.getUserIDs();
                while (ids.hasNext()) {
                    String id = ids.next();
                    Iterator<PGPSignature> sigs = copy.getSignaturesForID(id);
                    while (sigs != null && sigs.hasNext()) {
                        PGPSignature sig = sigs.next();
                        if (!selfIssued(sig, primary) || !acceptableSelfSignature(sig, primary)) continue;
                        if (sig.getSignatureType() == PGPSignature.CERTIFICATION_REVOCATION) {
                            if (verifies(sig, primary, () -> sig.verifyCertification(id, primary))) {
                                uidRevocations.computeIfAbsent(id, k -> new ArrayList<>()).add(sig);
                            }
                        } else if (sig.isCertification() && verifies(sig, primary, () -> sig.verifyCertification(id, primary))) {
                            certs.computeIfAbsent(id, k -> new ArrayList<>()).add(sig);
                        }
                    }
                }
                Iterator<PGPSignature> d = copy.getSignaturesOfType(PGPSignature.DIRECT_KEY);
                while (d.hasNext()) {
                    PGPSignature sig = d.next();
                    if (selfIssued(sig, primary) && acceptableSelfSignature(sig, primary)
                            && verifies(sig, primary, () -> sig.verifyCertification(primary))) {
                        direct.add(sig);
                    }
                }
            }
            // The newest certification of each unrevoked user ID, and the newest direct-key signature; all of
            // them where several share the newest second (GnuPG's choice among equals is not ours to guess).
            List<PGPSignature> ruling = new ArrayList<>();
            certs.forEach((id, list) -> {
                List<PGPSignature> newestCerts = newestTies(list);
                boolean uidRevoked = uidRevocations.getOrDefault(id, List.of()).stream()
                        .anyMatch(r -> !r.getCreationTime().before(newestCerts.get(0).getCreationTime()));
                if (!uidRevoked) ruling.addAll(newestCerts);
            });
            if (!direct.isEmpty()) ruling.addAll(newestTies(direct));
            if (ruling.isEmpty()) return Optional.empty();
            Optional<Instant> expiry = Optional.empty();
            boolean canSign = true;
            for (PGPSignature sig : ruling) {
                Optional<Instant> e = TrustedKeys.expiry(primary, sig);
                if (e.isPresent() && (expiry.isEmpty() || e.get().isBefore(expiry.get()))) expiry = e;
                // Signing only if every ruling self-signature allows it (one without key flags predates them and allows).
                canSign &= allowsSigning(sig);
            }
            // Designated revokers named by any valid self-signature count, as GnuPG collects them all.
            List<byte[]> revokers = new ArrayList<>();
            List<PGPSignature> all = new ArrayList<>(direct);
            certs.values().forEach(all::addAll);
            for (PGPSignature sig : all) {
                PGPSignatureSubpacketVector hashed = sig.getHashedSubPackets();
                if (hashed == null) continue;
                for (org.bouncycastle.bcpg.SignatureSubpacket p : hashed.getSubpackets(org.bouncycastle.bcpg.SignatureSubpacketTags.REVOCATION_KEY)) {
                    byte[] data = p.getData();
                    if (data.length >= 22) revokers.add(java.util.Arrays.copyOfRange(data, 2, 22));
                }
            }
            return Optional.of(new SelfState(expiry, canSign, revokers));
        }

        /** A key revocation (0x20) by the designated revoker {@code revokerFingerprint}, when that key is in the material. */
        private boolean revokedByDesignated(List<PGPSignature> revocations, PGPPublicKey primary, byte[] revokerFingerprint) {
            List<PGPPublicKey> revoker = primaries.get(java.util.HexFormat.of().withUpperCase().formatHex(revokerFingerprint));
            if (revoker == null) return false;
            PGPPublicKey key = revoker.get(0);
            for (PGPSignature sig : revocations) {
                if (sig.getSignatureType() == PGPSignature.KEY_REVOCATION && sig.getKeyID() == key.getKeyID()
                        && verifies(sig, key, () -> sig.verifyCertification(primary))) {
                    return true;
                }
            }
            return false;
        }
    }

    private static boolean isRevocation(PGPSignature sig) {
        return sig.getSignatureType() == PGPSignature.KEY_REVOCATION || sig.getSignatureType() == PGPSignature.SUBKEY_REVOCATION;
    }

    private static void collectRevocations(PGPPublicKey key, List<PGPSignature> into) {
        Iterator<PGPSignature> sigs = key.getSignatures();
        while (sigs.hasNext()) {
            PGPSignature sig = sigs.next();
            if (isRevocation(sig)) into.add(sig);
        }
    }

    /** A revocation of {@code target} by {@code primary}, checked only where the issuer matches (no quadratic work). */
    private static boolean revokedBy(List<PGPSignature> revocations, PGPPublicKey primary, PGPPublicKey target, int type) {
        for (PGPSignature sig : revocations) {
            if (sig.getSignatureType() != type || (sig.getKeyID() != primary.getKeyID() && !issuedBy(sig, primary))) continue;
            boolean ok = type == PGPSignature.KEY_REVOCATION
                    ? verifies(sig, primary, () -> sig.verifyCertification(primary))
                    : verifies(sig, primary, () -> sig.verifyCertification(primary, target));
            if (ok) return true;
        }
        return false;
    }

    /** The newest by creation time; among equals, the one with the earliest key expiry (the stricter reading). */
    private static PGPSignature newestOf(List<PGPSignature> sigs) {
        PGPSignature best = null;
        for (PGPSignature sig : sigs) {
            if (best == null || sig.getCreationTime().after(best.getCreationTime())) {
                best = sig;
            } else if (sig.getCreationTime().equals(best.getCreationTime()) && expirySeconds(sig) != 0
                    && (expirySeconds(best) == 0 || expirySeconds(sig) < expirySeconds(best))) {
                best = sig;
            }
        }
        return best;
    }

    private static long expirySeconds(PGPSignature sig) {
        return sig.getHashedSubPackets() == null ? 0 : sig.getHashedSubPackets().getKeyExpirationTime();
    }

    private static boolean selfIssued(PGPSignature sig, PGPPublicKey primary) {
        return sig.getKeyID() == primary.getKeyID() || issuedBy(sig, primary);
    }

    /** Key creation ahead of this machine's clock (beyond a minute's skew): GnuPG refuses such keys ("time warp"). */
    private static boolean inFuture(PGPPublicKey key) {
        return key.getCreationTime().toInstant().isAfter(Instant.now().plusSeconds(SignatureChecks.FUTURE_TOLERANCE_SECONDS));
    }

    /** The algorithm can make signatures (not an encrypt-only RSA, ElGamal or ECDH key). */
    private static boolean canSign(PGPPublicKey key) {
        int alg = key.getAlgorithm();
        return alg != org.bouncycastle.bcpg.PublicKeyAlgorithmTags.RSA_ENCRYPT
                && alg != org.bouncycastle.bcpg.PublicKeyAlgorithmTags.ELGAMAL_ENCRYPT
                && alg != org.bouncycastle.bcpg.PublicKeyAlgorithmTags.ECDH;
    }

    /**
     * A self-signature, binding or back-signature GnuPG would accept: not MD5, no critical subpacket
     * it does not understand, not older than the key it is about, not itself expired.
     */
    static boolean acceptableSelfSignature(PGPSignature sig, PGPPublicKey about) {
        int hash = sig.getHashAlgorithm();
        // MD5 GnuPG refuses; SHA3 GnuPG 2.2 cannot check, so such a self-signature changes nothing there.
        if (hash == org.bouncycastle.bcpg.HashAlgorithmTags.MD5 || hash == org.bouncycastle.bcpg.HashAlgorithmTags.SHA3_256
                || hash == org.bouncycastle.bcpg.HashAlgorithmTags.SHA3_512) {
            return false;
        }
        if (SignatureChecks.unknownCriticalSubpacket(sig).isPresent()) return false;
        if (sig.getCreationTime().before(about.getCreationTime())) return false;
        return !SignatureChecks.expiredNow(sig);
    }


    /** Every acceptable subkey binding (0x18) by {@code primary} over {@code subkey} that verifies. */
    private static List<PGPSignature> validBindings(PGPPublicKey primary, PGPPublicKey subkey) {
        List<PGPSignature> valid = new ArrayList<>();
        Iterator<PGPSignature> sigs = subkey.getSignaturesOfType(PGPSignature.SUBKEY_BINDING);
        while (sigs.hasNext()) {
            PGPSignature sig = sigs.next();
            if (acceptableSelfSignature(sig, subkey) && verifies(sig, primary, () -> sig.verifyCertification(primary, subkey))) {
                valid.add(sig);
            }
        }
        return valid;
    }

    /** The signatures made in the newest second among {@code sigs} (not empty). */
    private static List<PGPSignature> newestTies(List<PGPSignature> sigs) {
        long newest = sigs.stream().mapToLong(s -> s.getCreationTime().getTime()).max().orElseThrow();
        return sigs.stream().filter(s -> s.getCreationTime().getTime() == newest).toList();
    }

    private static boolean allowsSigning(PGPSignature selfSignature) {
        PGPSignatureSubpacketVector hashed = selfSignature.getHashedSubPackets();
        return hashed == null || !hashed.hasSubpacket(org.bouncycastle.bcpg.SignatureSubpacketTags.KEY_FLAGS)
                || (hashed.getKeyFlags() & KeyFlags.SIGN_DATA) != 0;
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
                    if (back.getSignatureType() == PGPSignature.PRIMARYKEY_BINDING && acceptableSelfSignature(back, subkey)
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
        long seconds = expirySeconds(selfOrBinding);
        return seconds <= 0 ? Optional.empty() : Optional.of(key.getCreationTime().toInstant().plusSeconds(seconds));
    }

    private static boolean issuedBy(PGPSignature sig, PGPPublicKey key) {
        PGPSignatureSubpacketVector hashed = sig.getHashedSubPackets();
        return hashed != null && hashed.getIssuerFingerprint() != null
                && java.util.Arrays.equals(hashed.getIssuerFingerprint().getFingerprint(), key.getFingerprint());
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


}
