package io.frostbyte.export.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.frostbyte.export.json.JsonFormatException;
import io.frostbyte.export.json.StrictJson;
import io.frostbyte.export.signing.SignatureChecks;
import io.frostbyte.export.signing.SignatureException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * §6: a legacy (PRD v0) bundle is rejected unless the caller opts in; then its clearsigned text
 * must verify with a trusted key and be exactly the manifest in the bundle.
 */
final class LegacyCheck {
    private LegacyCheck() {}

    /** Checks the clearsignature; returns its signer's fingerprint when it verified. */
    static Optional<String> check(ObjectNode manifest, VerificationPolicy policy, String path, Findings findings) {
        SignatureChecks.ClearsignedResult result;
        try {
            result = SignatureChecks.verifyClearsigned(manifest.get("signature").textValue(), policy.trustedKeys());
        } catch (SignatureException e) {
            findings.add(Rule.LEGACY, e.code(), path, "legacy signature " + e.getMessage());
            return Optional.empty();
        }
        String signer = result.signerFingerprint();
        try {
            if (policy.fingerprintPin().isPresent()
                    && !SignatureCheck.pinAllows(policy.fingerprintPin().get(), signer, policy.trustedKeys().find(signer))) {
                findings.add(Rule.SIGNATURE, "fingerprint_pin", path, "legacy signature was made by " + signer
                        + ", not the pinned fingerprint " + policy.fingerprintPin().get());
            }
            JsonNode signed = StrictJson.parse(result.text().getBytes(StandardCharsets.UTF_8));
            ObjectNode unsigned = manifest.deepCopy();
            unsigned.remove("signature");
            if (!signed.equals(unsigned)) {
                findings.add(Rule.LEGACY, "legacy_manifest_mismatch", path,
                        "the clearsigned text is a different manifest than the one in the bundle");
            }
        } catch (JsonFormatException e) {
            findings.add(Rule.LEGACY, "legacy_manifest_mismatch", path, "the clearsigned text is not I-JSON: " + e.reason());
        }
        return Optional.of(signer);
    }
}
