package io.frostbyte.export.signing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPObjectFactory;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.operator.bc.BcKeyFingerprintCalculator;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentVerifierBuilderProvider;

/**
 * Publishing a revocation: a key-revocation signature (0x20), made earlier by the key itself, is
 * attached to the published certificate. No private key is needed here, so a key whose secret is
 * already destroyed can still be revoked with the revocation prepared when it was made (as GnuPG
 * keeps one in {@code openpgp-revocs.d}).
 */
public final class Revocations {
    private Revocations() {}

    /**
     * The armored certificate with {@code armoredRevocation} attached to its primary key; refused
     * unless the revocation is a key revocation that verifies against that key.
     */
    public static String attach(String armoredPublicKey, String armoredRevocation) throws KeyMaterialException {
        try {
            PGPPublicKeyRing ring = new PGPPublicKeyRing(decoder(armoredPublicKey), new BcKeyFingerprintCalculator());
            PGPPublicKey primary = ring.getPublicKey();
            PGPSignature revocation = signature(armoredRevocation);
            if (revocation.getSignatureType() != PGPSignature.KEY_REVOCATION) {
                throw new KeyMaterialException("not a key revocation signature");
            }
            revocation.init(new BcPGPContentVerifierBuilderProvider(), primary);
            if (!revocation.verifyCertification(primary)) {
                throw new KeyMaterialException("the revocation was not made by key " + Fingerprints.of(primary));
            }
            PGPPublicKey revoked = PGPPublicKey.addCertification(primary, revocation);
            PGPPublicKeyRing updated = PGPPublicKeyRing.insertPublicKey(ring, revoked);
            return Armor.armor(updated::encode);
        } catch (IOException | PGPException | RuntimeException e) {
            if (e instanceof KeyMaterialException k) throw k;
            throw new KeyMaterialException("cannot attach the revocation: " + e.getMessage(), e);
        }
    }

    /** Whether the armored certificate carries a key revocation by its primary key. */
    public static boolean isRevoked(String armoredPublicKey) throws KeyMaterialException {
        try {
            PGPPublicKey primary = new PGPPublicKeyRing(decoder(armoredPublicKey), new BcKeyFingerprintCalculator()).getPublicKey();
            Iterator<PGPSignature> sigs = primary.getSignaturesOfType(PGPSignature.KEY_REVOCATION);
            while (sigs.hasNext()) {
                PGPSignature s = sigs.next();
                s.init(new BcPGPContentVerifierBuilderProvider(), primary);
                if (s.verifyCertification(primary)) return true;
            }
            return false;
        } catch (IOException | PGPException | RuntimeException e) {
            throw new KeyMaterialException("not a readable public key: " + e.getMessage(), e);
        }
    }

    private static InputStream decoder(String armored) throws IOException {
        return PGPUtil.getDecoderStream(new ByteArrayInputStream(armored.getBytes(StandardCharsets.US_ASCII)));
    }

    private static PGPSignature signature(String armored) throws IOException, KeyMaterialException {
        Object o = new PGPObjectFactory(decoder(armored), new BcKeyFingerprintCalculator()).nextObject();
        if (o instanceof PGPSignatureList list && list.size() == 1) return list.get(0);
        throw new KeyMaterialException("not one OpenPGP signature");
    }
}
