package io.frostbyte.export.verify;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.frostbyte.export.json.Jcs;
import io.frostbyte.export.signing.SignatureChecks;
import io.frostbyte.export.signing.SignatureException;
import io.frostbyte.export.signing.TrustedKeys;
import java.util.Arrays;
import java.util.Optional;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureSubpacketVector;

/** Rule 5: the signature over the §4 payload, by a trusted key the pin allows. */
final class SignatureCheck {
    private SignatureCheck() {}

    static void check(ObjectNode manifest, String signer, byte[] signature, VerificationPolicy policy, String path,
            Findings findings) {
        Optional<TrustedKeys.TrustedKey> key = policy.trustedKeys().find(signer);
        if (policy.fingerprintPin().isPresent() && !pinAllows(policy.fingerprintPin().get(), signer, key)) {
            findings.add(Rule.SIGNATURE, "fingerprint_pin", path, "signer_fingerprint " + signer
                    + " is neither the pinned fingerprint " + policy.fingerprintPin().get() + " nor a valid signing subkey of it");
        }
        if (key.isEmpty()) {
            findings.add(Rule.SIGNATURE, "signer_unknown", path,
                    "no trusted key (primary key or bound signing subkey) has fingerprint " + signer);
            return;
        }
        try {
            PGPSignature sig = SignatureChecks.parseSingle(signature);
            PGPSignatureSubpacketVector hashed = sig.getHashedSubPackets();
            if (hashed != null && hashed.getIssuerFingerprint() != null
                    && !Arrays.equals(hashed.getIssuerFingerprint().getFingerprint(), key.get().key().getFingerprint())) {
                throw new SignatureException("wrong_signer", "names a different issuer fingerprint than " + signer);
            }
            SignatureChecks.verifyDetached(sig, key.get(), Jcs.canonicalizeWithout(manifest, "signature"));
        } catch (SignatureException e) {
            findings.add(Rule.SIGNATURE, e.code(), path, "signature " + e.getMessage());
        }
    }

    /** The pin names the signer itself, or the primary key of the signer when that is a bound signing subkey. */
    static boolean pinAllows(String pin, String signer, Optional<TrustedKeys.TrustedKey> key) {
        if (pin.equals(signer)) return true;
        return key.isPresent() && key.get().isSubkey() && pin.equals(key.get().primaryFingerprint());
    }
}
