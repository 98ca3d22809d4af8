package io.frostbyte.export.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.frostbyte.export.bundle.BundleFormat;
import io.frostbyte.export.testing.BundleForge;
import io.frostbyte.export.testing.MalformedBundles;
import io.frostbyte.export.testing.TestKeys;
import io.frostbyte.export.signing.TrustedKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class PendingVerificationTest {
    @TempDir
    Path dir;

    private VerificationReport early(Path bundle, VerificationPolicy policy) {
        try (PendingVerification pending = BundleVerifier.start(bundle, BundleFormat.MAX_MANIFEST_BYTES, n -> {})) {
            return pending.finish(policy);
        }
    }

    @Test
    void finish_validBundle_sameReportAsVerify() throws Exception {
        Path bundle = Files.write(dir.resolve("b.tar.gz"), BundleForge.valid(TestKeys.a(), 4, 3).build());
        VerificationReport r = early(bundle, BundleVerifierTest.trustA());
        assertEquals(VerificationReport.Status.VALID, r.status(), BundleVerifierTest.codes(r));
        assertEquals(BundleVerifier.verify(bundle, BundleVerifierTest.trustA()), r);
    }

    static List<MalformedBundles.Case> malformed() {
        return MalformedBundles.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void finish_malformedBundle_sameReportAsVerify(MalformedBundles.Case c) throws Exception {
        Path bundle = Files.write(dir.resolve("m.tar.gz"), c.bundle());
        VerificationPolicy policy = VerificationPolicy.of(TrustedKeys.fromArmored(c.trustedPublicKey()));
        assertEquals(BundleVerifier.verify(bundle, policy), early(bundle, policy), c.name());
    }

    @Test
    void finish_missingFile_unreadableLikeVerify() throws Exception {
        Path missing = dir.resolve("missing.tar.gz");
        VerificationReport r = early(missing, BundleVerifierTest.trustA());
        assertEquals(VerificationReport.Status.INVALID, r.status());
        assertEquals("unreadable", r.errors().get(0).code());
        assertEquals(BundleVerifier.verify(missing, BundleVerifierTest.trustA()), r);
    }

    @Test
    void finish_policyWithAnotherManifestCap_refused() throws Exception {
        Path bundle = Files.write(dir.resolve("b.tar.gz"), BundleForge.valid(TestKeys.a(), 1, 0).build());
        try (PendingVerification pending = BundleVerifier.start(bundle, BundleFormat.MAX_MANIFEST_BYTES, n -> {})) {
            VerificationPolicy smaller = BundleVerifierTest.trustA().withMaxManifestBytes(512);
            assertThrows(IllegalArgumentException.class, () -> pending.finish(smaller));
        }
    }

    @Test
    void start_nonPositiveCap_refused() {
        assertThrows(IllegalArgumentException.class, () -> BundleVerifier.start(dir.resolve("x"), 0, n -> {}));
    }

    @Test
    void finish_calledTwice_refused() throws Exception {
        Path bundle = Files.write(dir.resolve("b.tar.gz"), BundleForge.valid(TestKeys.a(), 1, 0).build());
        try (PendingVerification pending = BundleVerifier.start(bundle, BundleFormat.MAX_MANIFEST_BYTES, n -> {})) {
            pending.finish(BundleVerifierTest.trustA());
            assertThrows(IllegalStateException.class, () -> pending.finish(BundleVerifierTest.trustA()));
        }
    }

    @Test
    void judge_noArchiveAndNoReason_invalidNeverSilent() throws Exception {
        VerificationReport r = BundleVerifier.judge(java.util.Optional.empty(), BundleVerifierTest.trustA(), new Findings());
        assertEquals(VerificationReport.Status.INVALID, r.status());
        assertEquals("internal", r.errors().get(0).code());
    }
}
