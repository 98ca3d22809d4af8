package io.frostbyte.export.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.frostbyte.export.bundle.BundleWriter;
import io.frostbyte.export.signing.KeyAlgorithm;
import io.frostbyte.export.signing.TenantSigningKey;
import io.frostbyte.export.signing.TrustedKeys;
import io.frostbyte.export.testing.Corpus;
import io.frostbyte.export.testing.Gpg;
import io.frostbyte.export.testing.TestKeys;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** GnuPG is the independent peer: it verifies what we sign, and we verify what it signs. */
class GpgInteropIT {
    static Gpg gpg;
    static String gpgFingerprint;
    static final UUID TENANT = UUID.fromString("3f2b8c1d-4e5a-4b6c-8d7e-9f0a1b2c3d4e");

    @TempDir Path dir;

    @BeforeAll
    static void startGpg() throws Exception {
        Gpg.requireCommand("jq", "apt-get install jq (scripts/test installs it)");
        Gpg.requireCommand("python3", "apt-get install python3");
        gpg = new Gpg();
        gpgFingerprint = gpg.generateKey("ed25519", "GnuPG Peer <peer@gpg.invalid>");
    }

    @AfterAll
    static void stopGpg() throws Exception {
        gpg.close();
    }

    static Path resource(String name) throws Exception {
        return Path.of(GpgInteropIT.class.getResource("/peers/" + name).toURI());
    }

    Path writeBundle(TenantSigningKey key, UUID export) throws Exception {
        Path bundle = dir.resolve(export + ".tar.gz");
        Corpus corpus = new Corpus(11);
        try (OutputStream out = Files.newOutputStream(bundle);
                BundleWriter w = BundleWriter.builder().exportId(export).tenantId(TENANT).createdAt(TestKeys.CREATED)
                        .includeChunks(true).signingKey(key).open(out)) {
            UUID doc = UUID.fromString("00000000-0000-4000-8000-000000000001");
            UUID chunk = UUID.fromString("00000000-0000-4000-8000-000000000002");
            w.addChunk(chunk, corpus.chunkJson(chunk, doc, TENANT, 0, 300));
            w.addDocument(doc, corpus.documentJson(doc, TENANT, 2000));
            w.finish();
        }
        return bundle;
    }

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void gpgVerify_ourBundleThroughJqRecipe_exitsZero(KeyAlgorithm alg) throws Exception {
        TenantSigningKey key = TestKeys.a(alg);
        UUID export = UUID.randomUUID();
        Path bundle = writeBundle(key, export);
        gpg.importKey(key.armoredPublicKey());
        Path work = Files.createDirectory(dir.resolve("work"));
        Gpg.Result r = Gpg.exec(List.of("env", "GNUPGHOME=" + gpg.home(), "bash",
                resource("gpg_verify_recipe.sh").toString(), bundle.toString(), export.toString(), work.toString()), dir);
        assertEquals(0, r.exit(), r.stderr());
        assertTrue(r.stderr().contains("Good signature"), r.stderr());
        assertTrue(r.stderr().contains(key.fingerprint().substring(24)), r.stderr());
    }

    @Test
    void gpgVerify_tamperedPayload_exitsNonZero() throws Exception {
        UUID export = UUID.randomUUID();
        Path bundle = writeBundle(TestKeys.a(), export);
        gpg.importKey(TestKeys.a().armoredPublicKey());
        Path work = Files.createDirectory(dir.resolve("work"));
        // Same recipe, but the payload is altered before gpg sees it: gpg must refuse.
        Gpg.Result r = Gpg.exec(List.of("env", "GNUPGHOME=" + gpg.home(), "bash", "-c",
                "cd " + work + " && tar -xzf " + bundle + " " + export + "/manifest.json"
                        + " && jq -cjS 'del(.signature) | .chunk_count = 9' " + export + "/manifest.json > payload"
                        + " && jq -r .signature " + export + "/manifest.json | base64 -d > payload.sig"
                        + " && gpg --batch --verify payload.sig payload"), dir);
        assertTrue(r.exit() != 0, r.stderr());
    }

    Path peerBundle(String mode, UUID export, String... extra) throws Exception {
        Path bundle = dir.resolve(mode + "-" + export + ".tar.gz");
        List<String> cmd = new java.util.ArrayList<>(List.of("python3", resource("make_bundle.py").toString(), mode,
                "--gnupghome", gpg.home().toString(), "--key", gpgFingerprint, "--tenant", TENANT.toString(),
                "--export", export.toString(), "--docs", "4", "--out", bundle.toString()));
        cmd.addAll(List.of(extra));
        Gpg.Result r = Gpg.exec(cmd, dir);
        assertEquals(0, r.exit(), r.stderr());
        return bundle;
    }

    VerificationPolicy trustGpgKey() throws Exception {
        return VerificationPolicy.of(TrustedKeys.fromArmored(gpg.exportPublic(gpgFingerprint)));
    }

    @Test
    void verify_bundleSignedByGpgWithGpgKey_isValid() throws Exception {
        UUID export = UUID.randomUUID();
        VerificationReport r = BundleVerifier.verify(peerBundle("v1", export), trustGpgKey()
                .withExpectExport(export).withExpectTenant(TENANT).withFingerprintPin(gpgFingerprint));
        assertEquals(VerificationReport.Status.VALID, r.status(), r.errors().toString());
        assertEquals(4, r.filesChecked());
        assertEquals(gpgFingerprint, r.signerFingerprint().orElseThrow());
    }

    @Test
    void verify_legacyBundle_rejectedByDefaultAcceptedWithFlag() throws Exception {
        Path bundle = peerBundle("legacy", UUID.randomUUID());
        VerificationReport byDefault = BundleVerifier.verify(bundle, trustGpgKey());
        assertEquals(VerificationReport.Status.LEGACY_REJECTED, byDefault.status(), byDefault.errors().toString());
        VerificationReport accepted = BundleVerifier.verify(bundle, trustGpgKey().withLegacyAccept(true));
        assertEquals(VerificationReport.Status.VALID, accepted.status(), accepted.errors().toString());
        assertEquals(VerificationReport.Format.LEGACY, accepted.format().orElseThrow());
        assertEquals(4, accepted.filesChecked());
    }

    @Test
    void verify_legacyBundleWithUnsortedFiles_isValidWithFlag() throws Exception {
        // §6 holds legacy manifests to rules 1, 2, 3, 6 and 8 only: §3's order is a v1 rule.
        Path bundle = peerBundle("legacy", UUID.randomUUID(), "--files-unsorted");
        VerificationReport r = BundleVerifier.verify(bundle, trustGpgKey().withLegacyAccept(true));
        assertEquals(VerificationReport.Status.VALID, r.status(), r.errors().toString());
        assertEquals(4, r.filesChecked());
    }

    @Test
    void verify_legacySignatureOverADifferentManifest_isInvalid() throws Exception {
        Path bundle = peerBundle("legacy", UUID.randomUUID(), "--sign-other");
        VerificationReport r = BundleVerifier.verify(bundle, trustGpgKey().withLegacyAccept(true));
        assertEquals(VerificationReport.Status.INVALID, r.status());
        assertTrue(r.errors().stream().anyMatch(e -> e.code().equals("legacy_manifest_mismatch")), r.errors().toString());
    }

    @Test
    void verify_legacyBundleWithUntrustedKey_isInvalid() throws Exception {
        Path bundle = peerBundle("legacy", UUID.randomUUID());
        VerificationReport r = BundleVerifier.verify(bundle,
                VerificationPolicy.of(TrustedKeys.fromArmored(TestKeys.a().armoredPublicKey())).withLegacyAccept(true));
        assertEquals(VerificationReport.Status.INVALID, r.status());
        assertTrue(r.errors().stream().anyMatch(e -> e.code().equals("signer_unknown")), r.errors().toString());
    }

    @Test
    void verify_keyRevokedByGpg_isInvalid() throws Exception {
        UUID export = UUID.randomUUID();
        Path bundle = peerBundle("v1", export);
        Path rev = gpg.home().resolve("openpgp-revocs.d").resolve(gpgFingerprint + ".rev");
        String cert = Files.readString(rev).replace(":-----BEGIN PGP PUBLIC KEY BLOCK-----", "-----BEGIN PGP PUBLIC KEY BLOCK-----");
        try (Gpg other = new Gpg()) {
            other.importKey(gpg.exportPublic(gpgFingerprint));
            other.importKey(cert);
            VerificationReport r = BundleVerifier.verify(bundle,
                    VerificationPolicy.of(TrustedKeys.fromArmored(other.exportPublic(gpgFingerprint))));
            assertEquals(VerificationReport.Status.INVALID, r.status());
            assertTrue(r.errors().stream().anyMatch(e -> e.code().equals("key_revoked")), r.errors().toString());
        }
    }

    /** GnuPG's revocation certificate as its own file (colon removed, preamble kept), next to the unrevoked key. */
    @Test
    void verify_gpgRevocationCertificateInItsOwnFile_isInvalid(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path bundle = peerBundle("v1", UUID.randomUUID());
        Path rev = gpg.home().resolve("openpgp-revocs.d").resolve(gpgFingerprint + ".rev");
        Path key = Files.writeString(dir.resolve("key.asc"), gpg.exportPublic(gpgFingerprint));
        Path cert = Files.writeString(dir.resolve("rev.asc"), Files.readString(rev).replace(":-----BEGIN PGP", "-----BEGIN PGP"));
        VerificationReport r = BundleVerifier.verify(bundle, VerificationPolicy.of(TrustedKeys.fromFiles(List.of(key, cert))));
        assertEquals(VerificationReport.Status.INVALID, r.status());
        assertTrue(r.errors().stream().anyMatch(e -> e.code().equals("key_revoked")), r.errors().toString());
        VerificationReport unrevoked = BundleVerifier.verify(bundle, VerificationPolicy.of(TrustedKeys.fromFiles(List.of(key))));
        assertEquals(VerificationReport.Status.VALID, unrevoked.status(), unrevoked.errors().toString());
    }
}
