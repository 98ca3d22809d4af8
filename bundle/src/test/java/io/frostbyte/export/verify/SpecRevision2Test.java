package io.frostbyte.export.verify;

import static io.frostbyte.export.verify.BundleVerifierTest.codes;
import static io.frostbyte.export.verify.BundleVerifierTest.verify;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.frostbyte.export.signing.TrustedKeys;
import io.frostbyte.export.testing.BundleForge;
import io.frostbyte.export.testing.MalformedBundles;
import io.frostbyte.export.testing.RawTar;
import io.frostbyte.export.testing.TestCertificates;
import io.frostbyte.export.testing.TestKeys;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The accepting side of format §2 and §5 revision 2: what must still verify. */
class SpecRevision2Test {
    private static final TestCertificates.Cert CERT = TestCertificates.generate(TestCertificates.Spec.signingSubkey());

    /** The edited tar, gzipped and verified against key A, must be VALID. */
    private static VerificationReport assertValidWithKeyA(RawTar t) throws Exception {
        VerificationReport r = verify(BundleForge.gzip(t.bytes()), BundleVerifierTest.trustA());
        assertEquals(VerificationReport.Status.VALID, r.status(), codes(r));
        return r;
    }

    private static VerificationPolicy trust(String armored) throws Exception {
        return VerificationPolicy.of(TrustedKeys.fromArmored(armored));
    }

    @Test
    void verify_pinNamesPrimary_acceptsBundleSignedByItsValidSigningSubkey() throws Exception {
        byte[] bundle = MalformedBundles.signedBy(CERT, CERT.subkey(), TestKeys.CREATED);
        VerificationReport r = verify(bundle, trust(CERT.armoredPublicKey())
                .withFingerprintPin(TestCertificates.fingerprint(CERT.primary())));
        assertEquals(VerificationReport.Status.VALID, r.status(), codes(r));
        assertEquals(TestCertificates.fingerprint(CERT.subkey()), r.signerFingerprint().orElseThrow());
    }

    @Test
    void verify_pinNamesTheSubkeyItself_accepts() throws Exception {
        byte[] bundle = MalformedBundles.signedBy(CERT, CERT.subkey(), TestKeys.CREATED);
        VerificationReport r = verify(bundle, trust(CERT.armoredPublicKey())
                .withFingerprintPin(TestCertificates.fingerprint(CERT.subkey())));
        assertEquals(VerificationReport.Status.VALID, r.status(), codes(r));
    }

    @Test
    void verify_pinNamesAnotherPrimary_rejectsSubkeySignature() throws Exception {
        byte[] bundle = MalformedBundles.signedBy(CERT, CERT.subkey(), TestKeys.CREATED);
        TestCertificates.Cert other = TestCertificates.generate(TestCertificates.Spec.primaryOnly());
        VerificationReport r = verify(bundle, VerificationPolicy.of(TrustedKeys.fromArmored(
                CERT.armoredPublicKey() + other.armoredPublicKey())).withFingerprintPin(TestCertificates.fingerprint(other.primary())));
        assertEquals(VerificationReport.Status.INVALID, r.status());
        assertTrue(r.errors().stream().anyMatch(e -> e.code().equals("fingerprint_pin")), codes(r));
    }

    @Test
    void verify_pinNamesPrimaryButPrimarySigned_accepts() throws Exception {
        byte[] bundle = MalformedBundles.signedBy(CERT, CERT.primary(), TestKeys.CREATED);
        VerificationReport r = verify(bundle, trust(CERT.armoredPublicKey())
                .withFingerprintPin(TestCertificates.fingerprint(CERT.primary())));
        assertEquals(VerificationReport.Status.VALID, r.status(), codes(r));
    }

    @Test
    void verify_signatureAtTheKeysCreationSecond_accepts() throws Exception {
        TestCertificates.Cert late = TestCertificates.generate(TestCertificates.Spec.primaryOnly().created(TestKeys.CREATED.plusSeconds(5)));
        byte[] bundle = MalformedBundles.signedBy(late, late.primary(), TestKeys.CREATED.plusSeconds(5));
        VerificationReport r = verify(bundle, trust(late.armoredPublicKey()));
        assertEquals(VerificationReport.Status.VALID, r.status(), codes(r));
    }

    @Test
    void verify_expiringKeyUsedBeforeExpiry_accepts() throws Exception {
        TestCertificates.Cert expiring = TestCertificates.generate(TestCertificates.Spec.signingSubkey()
                .primaryExpiry(java.time.Duration.ofDays(2)).subkeyExpiry(java.time.Duration.ofDays(1)));
        byte[] bundle = MalformedBundles.signedBy(expiring, expiring.subkey(), TestKeys.CREATED.plusSeconds(3600));
        VerificationReport r = verify(bundle, trust(expiring.armoredPublicKey()));
        assertEquals(VerificationReport.Status.VALID, r.status(), codes(r));
    }

    @Test
    void verify_paxHeadersWithOnlyAllowedKeys_accepts() throws Exception {
        RawTar t = RawTar.parse(BundleForge.valid(TestKeys.a(), 3, 2).tar());
        for (int i = t.members.size() - 1; i >= 0; i--) {
            RawTar.Member m = t.members.get(i);
            Map<String, String> records = new LinkedHashMap<>();
            records.put("path", m.name());
            if (m.type() == '0') records.put("size", String.valueOf(m.size()));
            records.put("mtime", RawTar.MTIME + ".5");
            records.put("atime", String.valueOf(RawTar.MTIME));
            records.put("ctime", RawTar.MTIME + ".123456789");
            m.set(RawTar.Field.NAME, "ignored-ustar-name-" + i);
            t.members.add(i, RawTar.pax('x', records));
        }
        VerificationReport r = assertValidWithKeyA(t);
        assertEquals(5, r.filesChecked());
    }

    @Test
    void verify_gnuMagicWithEmptyPrefixArea_accepts() throws Exception {
        RawTar t = RawTar.parse(BundleForge.valid(TestKeys.a(), 2, 1).tar());
        for (RawTar.Member m : t.members) {
            m.set(RawTar.Field.MAGIC, "ustar ").set(RawTar.Field.VERSION, new byte[] {' ', 0});
        }
        assertValidWithKeyA(t);
    }

    @Test
    void verify_posixNameSplitIntoPrefix_accepts() throws Exception {
        RawTar t = RawTar.parse(BundleForge.valid(TestKeys.a(), 2, 1).tar());
        for (RawTar.Member m : t.members) {
            String name = m.name();
            int slash = name.indexOf('/');
            if (slash > 0 && slash < name.length() - 1) {
                m.set(RawTar.Field.PREFIX, name.substring(0, slash)).set(RawTar.Field.NAME, name.substring(slash + 1));
            }
        }
        assertValidWithKeyA(t);
    }

    @Test
    void verify_numericFieldsWithLeadingSpacesAndNoTerminator_accepts() throws Exception {
        RawTar t = RawTar.parse(BundleForge.valid(TestKeys.a(), 2, 1).tar());
        for (RawTar.Member m : t.members) {
            m.set(RawTar.Field.MODE, String.format("%6o ", 0644));
            m.set(RawTar.Field.SIZE, String.format("%012o", m.size()));
        }
        assertValidWithKeyA(t);
    }

    /** The forge's bundle plus one entry whose name (any text) comes in a pax path record, as tar writers put long or odd names. */
    static byte[] withPaxNamedEntry(BundleForge f, String name) {
        RawTar t = RawTar.parse(f.tar());
        t.members.add(1, RawTar.member("placeholder.json", '0', BundleForge.utf8("{}")));
        t.members.add(1, RawTar.pax('x', Map.of("path", name)));
        return BundleForge.gzip(t.bytes());
    }

    @Test
    void verify_controlCharactersInNames_areEscapedInEveryReport() throws Exception {
        BundleForge f = BundleForge.valid(TestKeys.a(), 1, 0);
        VerificationReport r = verify(withPaxNamedEntry(f, f.root() + "documents/\u001b[31mred\u202e.json"), BundleVerifierTest.trustA());
        assertEquals(VerificationReport.Status.INVALID, r.status());
        String json = r.toJson().toString();
        for (VerificationError e : r.errors()) {
            assertFalse(e.message().chars().anyMatch(c -> c == 0x1b || c == 0x202e), e.message());
            assertFalse(e.path().orElse("").chars().anyMatch(c -> c == 0x1b || c == 0x202e), e.path().orElse(""));
        }
        assertFalse(json.contains("\\u001b") || json.contains("\u001b") || json.contains("\u202e"), json);
        assertTrue(json.contains("\\\\x1b[31mred\\\\u202e"), json);
    }

    @Test
    void trustedKeys_keyCreatedInTheFuture_notUsable() {
        TestCertificates.Cert future = TestCertificates.generate(TestCertificates.Spec.primaryOnly()
                .created(java.time.Instant.now().plus(java.time.Duration.ofDays(3))));
        org.junit.jupiter.api.Assertions.assertThrows(io.frostbyte.export.signing.KeyMaterialException.class,
                () -> TrustedKeys.fromArmored(future.armoredPublicKey()));
    }

    @Test
    void verify_fileNamesLongerThanAManifestCouldList_refusedBeforeMemoryGrows() throws Exception {
        BundleForge f = BundleForge.valid(TestKeys.a(), 3, 2);
        VerificationReport r = verify(f.build(), BundleVerifierTest.trustA().withMaxManifestBytes(100));
        assertEquals(VerificationReport.Status.INVALID, r.status());
        assertTrue(r.errors().stream().anyMatch(e -> e.code().equals("too_many_entries")), codes(r));
    }
}
