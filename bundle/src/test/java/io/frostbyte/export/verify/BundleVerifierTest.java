package io.frostbyte.export.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.frostbyte.export.bundle.BundleFormat;
import io.frostbyte.export.signing.KeyMaterialException;
import io.frostbyte.export.signing.TrustedKeys;
import io.frostbyte.export.testing.BundleForge;
import io.frostbyte.export.testing.MalformedBundles;
import io.frostbyte.export.testing.TestKeys;
import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class BundleVerifierTest {

    static VerificationReport verify(byte[] bundle, VerificationPolicy policy) {
        return BundleVerifier.verify(new ByteArrayInputStream(bundle), policy, n -> {});
    }

    static VerificationPolicy trustA() throws KeyMaterialException {
        return VerificationPolicy.of(TrustedKeys.fromArmored(TestKeys.publicKey(TestKeys.a())));
    }

    static String codes(VerificationReport r) {
        return r.errors().stream().map(e -> e.rule().id() + ":" + e.code() + e.path().map(p -> "@" + p).orElse(""))
                .collect(Collectors.joining(", "));
    }

    @Test
    void verify_forgedValidBundle_isValidWithCounts() throws Exception {
        BundleForge f = BundleForge.valid(TestKeys.a(), 3, 2);
        VerificationReport r = verify(f.build(), trustA());
        assertEquals(VerificationReport.Status.VALID, r.status(), codes(r));
        assertEquals(3, r.documentCount().getAsInt());
        assertEquals(2, r.chunkCount().getAsInt());
        assertEquals(5, r.filesChecked());
        assertEquals(f.exportId.toString(), r.exportId().orElseThrow());
        assertEquals(f.tenantId.toString(), r.tenantId().orElseThrow());
        assertEquals(TestKeys.a().fingerprint(), r.signerFingerprint().orElseThrow());
    }

    static List<MalformedBundles.Case> malformed() {
        return MalformedBundles.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void verify_malformedBundle_isInvalidNamingTheRule(MalformedBundles.Case c) throws Exception {
        VerificationReport r = verify(c.bundle(), VerificationPolicy.of(TrustedKeys.fromArmored(c.trustedPublicKey())));
        assertEquals(VerificationReport.Status.INVALID, r.status(), c.name() + ": " + codes(r));
        assertTrue(r.errors().stream().anyMatch(e -> e.code().equals(c.expectedCode())),
                c.name() + ": expected " + c.expectedCode() + " among " + codes(r));
    }

    @Test
    void verify_manifestOverCap_rejectedUnread() throws Exception {
        BundleForge f = BundleForge.valid(TestKeys.a(), 3, 2);
        VerificationReport r = verify(f.build(), trustA().withMaxManifestBytes(512));
        assertEquals(VerificationReport.Status.INVALID, r.status());
        assertTrue(r.errors().stream().anyMatch(e -> e.code().equals("manifest_too_large")), codes(r));
        assertFalse(r.errors().stream().anyMatch(e -> e.code().equals("file_unlisted")), codes(r));
    }

    @Test
    void verify_severalProblems_reportsEveryOneWithItsPath() throws Exception {
        BundleForge f = BundleForge.valid(TestKeys.a(), 3, 2);
        BundleForge.Entry doc = f.entry(".json");
        byte[] data = doc.data().clone();
        data[5] ^= 1;
        f.replace(doc, BundleForge.Entry.file(doc.name(), data));
        f.entries.add(BundleForge.Entry.file(f.root() + "documents/extra.json", BundleForge.utf8("{}")));
        f.manifest.put("chunk_count", 7);
        VerificationReport r = verify(f.build(), trustA());
        assertEquals(VerificationReport.Status.INVALID, r.status());
        assertTrue(r.errors().stream().anyMatch(e -> e.code().equals("hash_mismatch") && e.path().orElse("").equals(doc.name())), codes(r));
        assertTrue(r.errors().stream().anyMatch(e -> e.code().equals("file_unlisted")
                && e.path().orElse("").equals(f.root() + "documents/extra.json")), codes(r));
        assertTrue(r.errors().stream().anyMatch(e -> e.code().equals("count_mismatch")), codes(r));
    }

    @Test
    void verify_legacyMarkerWithoutOptIn_isLegacyRejected() throws Exception {
        BundleForge f = BundleForge.valid(TestKeys.a(), 1, 0).unsigned();
        f.manifest.remove("signature_version");
        f.manifest.remove("signer_fingerprint");
        f.manifest.put("signature", "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n{}\n-----BEGIN PGP SIGNATURE-----\n");
        VerificationReport r = verify(f.build(), trustA());
        assertEquals(VerificationReport.Status.LEGACY_REJECTED, r.status(), codes(r));
        assertEquals(2, r.status().exitCode());
        assertTrue(r.errors().get(0).message().contains("--legacy-accept"));
    }

    @Test
    void verify_pins_mismatchedTenantExportAndFingerprintFail() throws Exception {
        BundleForge f = BundleForge.valid(TestKeys.a(), 2, 0);
        byte[] bundle = f.build();
        VerificationPolicy base = trustA();
        assertTrue(verify(bundle, base.withExpectTenant(f.tenantId).withExpectExport(f.exportId)
                .withFingerprintPin(TestKeys.a().fingerprint())).isValid());
        VerificationReport tenant = verify(bundle, base.withExpectTenant(UUID.randomUUID()));
        assertTrue(tenant.errors().stream().anyMatch(e -> e.code().equals("tenant_mismatch")), codes(tenant));
        VerificationReport export = verify(bundle, base.withExpectExport(UUID.randomUUID()));
        assertTrue(export.errors().stream().anyMatch(e -> e.code().equals("export_mismatch")), codes(export));
        VerificationReport pin = verify(bundle, base.withFingerprintPin(TestKeys.b().fingerprint()));
        assertTrue(pin.errors().stream().anyMatch(e -> e.code().equals("fingerprint_pin")), codes(pin));
    }

    @Test
    void verify_manifestNotLast_isAccepted() throws Exception {
        BundleForge f = BundleForge.valid(TestKeys.a(), 2, 1);
        f.entries.add(1, BundleForge.Entry.file(f.root() + BundleFormat.MANIFEST, f.manifestBytes()));
        VerificationReport r = verify(BundleForge.gzip(f.tar(null)), trustA());
        assertEquals(VerificationReport.Status.VALID, r.status(), codes(r));
    }

    @Test
    void verify_concatenatedGzipMembers_isAccepted() throws Exception {
        BundleForge f = BundleForge.valid(TestKeys.a(), 2, 1);
        byte[] tar = f.tar();
        int half = (tar.length / 2 / 512) * 512;
        byte[] bundle = MalformedBundles.concat(
                BundleForge.gzip(java.util.Arrays.copyOfRange(tar, 0, half)),
                BundleForge.gzip(java.util.Arrays.copyOfRange(tar, half, tar.length)));
        VerificationReport r = verify(bundle, trustA());
        assertEquals(VerificationReport.Status.VALID, r.status(), codes(r));
    }

    @Test
    void verify_subkeyOfTrustedKeyFileAndUnknownMembers_areCoveredBySignature() throws Exception {
        BundleForge f = BundleForge.valid(TestKeys.a(), 1, 0);
        f.manifest.put("comment", "members a reader does not know are signed too");
        byte[] bundle = f.build();
        assertTrue(verify(bundle, trustA()).isValid());
    }
}
