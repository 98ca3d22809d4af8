package io.frostbyte.export.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.frostbyte.export.signing.KeyMaterialException;
import io.frostbyte.export.signing.TrustedKeys;
import java.io.InputStream;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Key files and signatures that GnuPG refuses and we once accepted (second red-team pass): each
 * must now fail with the named code, or leave the key file with no usable key at all.
 */
class RegressionFixturesTest {
    static byte[] resource(String name) throws Exception {
        try (InputStream in = RegressionFixturesTest.class.getResourceAsStream("/regressions/" + name)) {
            if (in == null) throw new AssertionError("missing fixture " + name);
            return in.readAllBytes();
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "base, VALID",
        "sub_ok, VALID",
        "selfsig_sha1, VALID",
        "sig_noncrit_notation, VALID",
        "keyrev_under_subkey, key_revoked",                 // a revocation the parser filed under a subkey
        "subrev_under_other_subkey, key_revoked",
        "subrev_misplaced_on_primary, key_revoked",
        "designated_revoker_directsig, key_revoked",        // revoked by the key's designated revoker
        "designated_revoker_first, key_revoked",
        "two_uids_old_expiry, key_expired",                 // GnuPG's expiry, not the newest self-signature's
        "direct_expiry_old, key_expired",
        "same_ts_selfsigs, key_expired",
        "uid_revoked_newest_other_expiry, key_expired",
        "sub_binding_tie, key_expired",
        "sig_crit_unknown_hashed, signature_invalid",       // critical subpackets GnuPG does not know
        "sig_crit_unknown_unhashed, signature_invalid",
        "sig_crit_notation, signature_invalid",
        "sig_expired_subpkt, signature_expired",
        "sig_no_issuer, signature_malformed",
        "primary_certify_only, no_usable_key",              // keys and bindings GnuPG will not use
        "rsa1024_keyalg2, no_usable_key",
        "selfsig_md5, no_usable_key",
        "selfsig_crit_unknown, no_usable_key",
        "selfsig_predates_key, no_usable_key",
        "sub_binding_md5, no_usable_key",
        "sub_binding_sigexpired, no_usable_key",
        "sub_binding_unhashed_crit, no_usable_key",
        "sub_backsig_md5, no_usable_key",
        "sub_backsig_crit_unknown, no_usable_key",
        // Third review (gpg 2.2.40 as the reference):
        "nonascii_gnu_posix, VALID",                        // non-ASCII names in pax header names (tar --format=posix)
        "nonascii_bsdtar, VALID",
        "sig_crit_h26, VALID",                              // critical subpackets GnuPG does accept
        "sig_crit_h29, VALID",
        "sig_c2_23_True, signature_invalid",                // and ones it does not
        "sig_c2_28_True, signature_invalid",
        "T4_revoker_older_direct, key_revoked",             // revoker named only in an older direct-key signature
        "T6_rev_compressed, key_revoked",                   // revocation inside a compressed packet
        "T7_sha3_selfsig_unexpire, key_expired",            // a SHA3 self-signature GnuPG cannot check lifts nothing
        "T9_crit26_selfsig_expires, key_expired",           // a critical policy URL does not hide a self-signature
        "T1_uid_tie_flags, no_usable_key",                  // key flags: every self-signature in the newest second must allow signing
        "T3_binding_tie, no_usable_key",
        "T8_direct_c_uid_s, no_usable_key",
        "T10_crit26_binding_nosign, no_usable_key",
        "name_nfd, unsafe_name",                            // bsdtar writes an NFD name under its NFC form
        // Fourth review: a revoked key's material bound as a signing subkey of an attacker's key, that key first
        "T11_revoked_key_as_subkey_of_another, key_revoked",
    })
    void verify_redTeamFixture_expectedOutcome(String name, String expected) throws Exception {
        TrustedKeys keys;
        try {
            keys = TrustedKeys.fromBytes(resource(name + ".key"));
        } catch (KeyMaterialException e) {
            assertEquals("no_usable_key", expected, name + ": " + e.getMessage());
            return;
        }
        VerificationReport r = BundleVerifier.verify(new java.io.ByteArrayInputStream(resource(name + ".tar.gz")),
                VerificationPolicy.of(keys), n -> {});
        if (expected.equals("VALID")) {
            assertEquals(VerificationReport.Status.VALID, r.status(), name + ": " + r.errors());
        } else {
            assertEquals(VerificationReport.Status.INVALID, r.status(), name);
            Optional<String> code = r.errors().stream().map(VerificationError::code).filter(expected::equals).findFirst();
            assertTrue(code.isPresent() || expected.equals("no_usable_key") && r.errors().stream().anyMatch(e -> e.code().equals("signer_unknown")),
                    name + ": expected " + expected + " in " + r.errors());
        }
    }

    @org.junit.jupiter.api.Test
    void verify_numberBeyondBigDecimal_manifestInvalidNotInternal() throws Exception {
        VerificationReport r = BundleVerifier.verify(new java.io.ByteArrayInputStream(resource("j_exp_huge_neg.tar.gz")),
                VerificationPolicy.of(TrustedKeys.fromBytes(resource("base.key"))), n -> {});
        assertTrue(r.errors().stream().anyMatch(e -> e.code().equals("manifest_invalid")), r.errors().toString());
    }

    @org.junit.jupiter.api.Test
    void keyMaterial_aSmallFileExpandingToMillionsOfSignatures_refusedBeforeTheHeapFills() throws Exception {
        byte[] bomb = resource("T12_compressed_signature_bomb.asc");
        assertTrue(bomb.length < 2 * 1024 * 1024, "a 1.6 MB key file");
        KeyMaterialException e = org.junit.jupiter.api.Assertions.assertThrows(KeyMaterialException.class, () -> TrustedKeys.fromBytes(bomb));
        assertTrue(e.getMessage().contains("expands beyond"), e.getMessage());
    }
}
