package io.frostbyte.export.verify.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.frostbyte.export.bundle.BundleFormat;
import io.frostbyte.export.testing.BundleForge;
import io.frostbyte.export.testing.Gpg;
import io.frostbyte.export.testing.MalformedBundles;
import io.frostbyte.export.testing.TestKeys;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The contract tests through the real CLI: exit codes, output, nothing written to disk, no stack traces. */
class FrostbyteVerifyIT {
    static Gpg gpg;
    static String gpgFingerprint;
    static Path peerScript;

    @TempDir Path dir;
    Path cwd;
    Path tmp;
    Path keyA;
    Path keyB;

    @BeforeAll
    static void startGpg() throws Exception {
        gpg = new Gpg();
        gpgFingerprint = gpg.generateKey("ed25519", "GnuPG Peer <peer@gpg.invalid>");
        peerScript = Files.createTempFile("make_bundle", ".py");
        try (InputStream in = FrostbyteVerifyIT.class.getResourceAsStream("/peers/make_bundle.py")) {
            Files.write(peerScript, in.readAllBytes());
        }
    }

    @AfterAll
    static void stopGpg() throws Exception {
        gpg.close();
        Files.deleteIfExists(peerScript);
    }

    @BeforeEach
    void dirs() throws Exception {
        cwd = Files.createDirectory(dir.resolve("cwd"));
        tmp = Files.createDirectory(dir.resolve("tmp"));
        keyA = Files.writeString(dir.resolve("a.asc"), TestKeys.publicKey(TestKeys.a()));
        keyB = Files.writeString(dir.resolve("b.asc"), TestKeys.publicKey(TestKeys.b()));
    }

    Cli.Run verify(String... args) throws Exception {
        Cli.Run r = Cli.run(cwd, tmp, "256m", args);
        try (Stream<Path> a = Files.list(cwd); Stream<Path> b = Files.list(tmp)) {
            assertEquals(0, a.count() + b.count(), "the verifier wrote files to disk");
        }
        return r;
    }

    Path write(String name, byte[] bytes) throws Exception {
        return Files.write(dir.resolve(name), bytes);
    }

    static JsonNode json(Cli.Run r) throws Exception {
        return new ObjectMapper().readTree(r.stdout());
    }

    @Test
    void signedRoundTrip_exitsZeroWithCountsInReport() throws Exception {
        BundleForge f = BundleForge.valid(TestKeys.a(), 3, 2);
        Path bundle = write("ok.tar.gz", f.build());
        Cli.Run r = verify(bundle.toString(), "--public-key", keyA.toString(), "--json",
                "--expect-tenant", f.tenantId.toString(), "--expect-export", f.exportId.toString(),
                "--fingerprint", TestKeys.a().fingerprint().toLowerCase());
        assertEquals(0, r.exit(), r.all());
        JsonNode report = json(r);
        assertEquals("valid", report.get("status").asText());
        assertEquals("v1", report.get("format").asText());
        assertEquals(5, report.get("files_checked").asInt());
        assertEquals(3, report.get("document_count").asInt());
        assertEquals(2, report.get("chunk_count").asInt());
        assertEquals(TestKeys.a().fingerprint(), report.get("signer_fingerprint").asText());
        assertEquals(0, report.get("errors").size());

        Cli.Run human = verify(bundle.toString(), "--public-key", keyA.toString());
        assertEquals(0, human.exit());
        assertTrue(human.stdout().startsWith("VALID"), human.stdout());
    }

    @Test
    void tamperedPayload_exitsOne() throws Exception {
        BundleForge f = BundleForge.valid(TestKeys.a(), 3, 2);
        BundleForge.Entry doc = f.entry(".json");
        byte[] data = doc.data().clone();
        data[20] ^= 1;
        f.replace(doc, BundleForge.Entry.file(doc.name(), data));
        Cli.Run r = verify(write("t.tar.gz", f.build()).toString(), "--public-key", keyA.toString());
        assertEquals(1, r.exit(), r.all());
        assertTrue(r.stdout().contains("hash_mismatch") && r.stdout().contains(doc.name()), r.stdout());
    }

    @Test
    void wrongSigner_exitsOne() throws Exception {
        Path bundle = write("w.tar.gz", BundleForge.valid(TestKeys.a(), 2, 0).build());
        Cli.Run r = verify(bundle.toString(), "--public-key", keyB.toString());
        assertEquals(1, r.exit(), r.all());
        assertTrue(r.stdout().contains("signer_unknown"), r.stdout());
    }

    @Test
    void missingSignature_exitsOne() throws Exception {
        Path bundle = write("m.tar.gz", BundleForge.valid(TestKeys.a(), 2, 0).unsigned().build());
        Cli.Run r = verify(bundle.toString(), "--public-key", keyA.toString(), "--json");
        assertEquals(1, r.exit(), r.all());
        assertEquals("invalid", json(r).get("status").asText());
    }

    Path legacyBundle(String... extra) throws Exception {
        Path bundle = dir.resolve("legacy-" + UUID.randomUUID() + ".tar.gz");
        List<String> cmd = new java.util.ArrayList<>(List.of("python3", peerScript.toString(), "legacy",
                "--gnupghome", gpg.home().toString(), "--key", gpgFingerprint, "--tenant", UUID.randomUUID().toString(),
                "--export", UUID.randomUUID().toString(), "--out", bundle.toString()));
        cmd.addAll(List.of(extra));
        Gpg.Result r = Gpg.exec(cmd, dir);
        assertEquals(0, r.exit(), r.stderr());
        return bundle;
    }

    Path gpgKey() throws Exception {
        return Files.writeString(dir.resolve("gpg.asc"), gpg.exportPublic(gpgFingerprint));
    }

    @Test
    void legacy_rejectedByDefault_acceptedWithFlag_mismatchInvalid() throws Exception {
        Path bundle = legacyBundle();
        Path key = gpgKey();
        Cli.Run byDefault = verify(bundle.toString(), "--public-key", key.toString());
        assertEquals(2, byDefault.exit(), byDefault.all());
        assertTrue(byDefault.stdout().contains("--legacy-accept"), byDefault.stdout());
        Cli.Run json = verify(bundle.toString(), "--public-key", key.toString(), "--json");
        assertEquals("legacy_rejected", json(json).get("status").asText());

        Cli.Run accepted = verify(bundle.toString(), "--public-key", key.toString(), "--legacy-accept", "--json");
        assertEquals(0, accepted.exit(), accepted.all());
        assertEquals("legacy", json(accepted).get("format").asText());

        Cli.Run other = verify(legacyBundle("--sign-other").toString(), "--public-key", key.toString(), "--legacy-accept");
        assertEquals(1, other.exit(), other.all());
        assertTrue(other.stdout().contains("legacy_manifest_mismatch"), other.stdout());
    }

    @Test
    void gpgSignedBundle_exitsZero() throws Exception {
        Path bundle = dir.resolve("peer.tar.gz");
        Gpg.Result made = Gpg.exec(List.of("python3", peerScript.toString(), "v1", "--gnupghome", gpg.home().toString(),
                "--key", gpgFingerprint, "--tenant", UUID.randomUUID().toString(), "--export", UUID.randomUUID().toString(),
                "--out", bundle.toString()), dir);
        assertEquals(0, made.exit(), made.stderr());
        Cli.Run r = verify(bundle.toString(), "--public-key", gpgKey().toString(), "--public-key", keyA.toString());
        assertEquals(0, r.exit(), r.all());
    }

    static List<MalformedBundles.Case> malformed() {
        return MalformedBundles.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedBundle_exitsOneNamingTheRule(MalformedBundles.Case c) throws Exception {
        Path bundle = write("bad.tar.gz", c.bundle());
        Path key = Files.writeString(dir.resolve("trusted.asc"), c.trustedPublicKey());
        Cli.Run r = verify(bundle.toString(), "--public-key", key.toString());
        assertEquals(1, r.exit(), c.name() + ": " + r.all());
        assertTrue(r.stdout().contains("[" + c.expectedCode() + "]"), c.name() + ": " + r.stdout());
        assertTrue(r.stdout().contains("FAILED rule "), r.stdout());
        Cli.Run json = verify(bundle.toString(), "--public-key", key.toString(), "--json");
        assertEquals(1, json.exit());
        assertTrue(json(json).get("errors").findValuesAsText("code").contains(c.expectedCode()), json.stdout());
    }

    @Test
    void manifestOverTheCap_exitsOneUnread() throws Exception {
        BundleForge f = BundleForge.valid(TestKeys.a(), 1, 0);
        byte[] signed = f.manifestBytes();
        // Whitespace is legal JSON, so only the cap can refuse this manifest.
        byte[] huge = new byte[BundleFormat.MAX_MANIFEST_BYTES + 1];
        java.util.Arrays.fill(huge, (byte) ' ');
        System.arraycopy(signed, 0, huge, 0, signed.length);
        f.entries.add(BundleForge.Entry.file(f.root() + BundleFormat.MANIFEST, huge));
        Path bundle = write("huge.tar.gz", BundleForge.gzip(f.tar(null)));
        Cli.Run r = verify(bundle.toString(), "--public-key", keyA.toString(), "--json");
        assertEquals(1, r.exit(), r.all());
        assertTrue(json(r).get("errors").findValuesAsText("code").contains("manifest_too_large"), r.stdout());
    }

    @Test
    void unreadableInputs_exitOneWithOneLine() throws Exception {
        Path bundle = write("ok.tar.gz", BundleForge.valid(TestKeys.a(), 1, 0).build());
        Cli.Run noBundle = verify(dir.resolve("absent.tar.gz").toString(), "--public-key", keyA.toString());
        assertEquals(1, noBundle.exit(), noBundle.all());
        Cli.Run noKey = verify(bundle.toString(), "--public-key", dir.resolve("absent.asc").toString());
        assertEquals(1, noKey.exit(), noKey.all());
        assertEquals(1, noKey.stderr().strip().lines().count(), noKey.stderr());
        Path junk = Files.writeString(dir.resolve("junk.asc"), "this is not a key");
        Cli.Run badKey = verify(bundle.toString(), "--public-key", junk.toString());
        assertEquals(1, badKey.exit(), badKey.all());
        // --json: the report has every member a report has, even when the key cannot be read.
        Cli.Run badKeyJson = verify(bundle.toString(), "--public-key", junk.toString(), "--json");
        assertEquals(1, badKeyJson.exit(), badKeyJson.all());
        com.fasterxml.jackson.databind.JsonNode report = json(badKeyJson);
        for (String member : java.util.List.of("status", "format", "export_id", "tenant_id", "signer_fingerprint", "files_checked",
                "document_count", "chunk_count", "errors")) {
            assertTrue(report.has(member), member + " missing: " + badKeyJson.stdout());
        }
        assertEquals("key_unreadable", report.at("/errors/0/code").asText(), badKeyJson.stdout());
    }

    @Test
    void usageErrors_exitSixtyFour() throws Exception {
        Path bundle = write("ok.tar.gz", BundleForge.valid(TestKeys.a(), 1, 0).build());
        assertEquals(64, verify().exit());
        assertEquals(64, verify(bundle.toString()).exit());
        assertEquals(64, verify(bundle.toString(), "--public-key", keyA.toString(), "--bogus").exit());
        assertEquals(64, verify(bundle.toString(), "--public-key").exit());
        assertEquals(64, verify(bundle.toString(), "--public-key", keyA.toString(), "--fingerprint", "xyz").exit());
        assertEquals(64, verify(bundle.toString(), "--public-key", keyA.toString(), "--expect-tenant", "nope").exit());
        Cli.Run help = verify("--help");
        assertEquals(0, help.exit());
        assertTrue(help.stdout().contains("--legacy-accept"));
    }

    /** 400,000 empty regular files under one directory: ~2.9 MB of gzip, ~200 MB of tar headers. */
    static void writeManyEmptyEntries(Path file, int count) throws Exception {
        try (var out = new java.util.zip.GZIPOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(file)), 1 << 16)) {
            String root = UUID.randomUUID() + "/documents/";
            for (int i = 0; i < count; i++) {
                io.frostbyte.export.testing.RawTar.Member m = io.frostbyte.export.testing.RawTar.member(
                        root + String.format("%08d.json", i), '0', new byte[0]);
                io.frostbyte.export.testing.RawTar.fixChecksum(m.header);
                out.write(m.header);
            }
            out.write(new byte[1024]);
        }
    }

    @Test
    void fourHundredThousandEmptyEntries_underSixtyFourMiB_exitOneWithOneLineQuickly() throws Exception {
        Path bundle = dir.resolve("many.tar.gz");
        writeManyEmptyEntries(bundle, 400_000);
        long started = System.nanoTime();
        Cli.Run r = Cli.run(cwd, tmp, "64m", bundle.toString(), "--public-key", keyA.toString(), "--json");
        double seconds = (System.nanoTime() - started) / 1e9;
        assertEquals(1, r.exit(), r.all());
        assertEquals(1, r.stdout().strip().lines().count(), r.stdout());
        assertEquals("", r.stderr().strip(), r.stderr());
        assertTrue(json(r).get("errors").findValuesAsText("code").contains("too_many_entries"), r.stdout());
        assertTrue(seconds < 30, "took " + seconds + " s");
        Cli.Run human = Cli.run(cwd, tmp, "64m", bundle.toString(), "--public-key", keyA.toString());
        assertEquals(1, human.exit(), human.all());
        assertTrue(human.stdout().startsWith("INVALID: "), human.stdout());
        assertTrue(human.stdout().contains("[too_many_entries]"), human.stdout());
    }

    @Test
    void heapTooSmallForTheBundle_exitOneWithOneLine() throws Exception {
        Path bundle = dir.resolve("many.tar.gz");
        writeManyEmptyEntries(bundle, 240_000);
        Cli.Run r = Cli.run(cwd, tmp, "12m", bundle.toString(), "--public-key", keyA.toString(), "--json");
        assertEquals(1, r.exit(), r.all());
        assertTrue(r.stdout().contains("out_of_memory") || r.stderr().contains("out of memory"), r.all());
        assertTrue(r.all().strip().lines().count() == 1, r.all());
    }

    @Test
    void controlCharactersFromTheBundle_escapedInHumanAndJsonOutput() throws Exception {
        BundleForge f = BundleForge.valid(TestKeys.a(), 1, 0);
        io.frostbyte.export.testing.RawTar t = io.frostbyte.export.testing.RawTar.parse(f.tar());
        t.members.add(1, io.frostbyte.export.testing.RawTar.member("placeholder.json", '0', BundleForge.utf8("{}")));
        t.members.add(1, io.frostbyte.export.testing.RawTar.pax('x',
                java.util.Map.of("path", f.root() + "documents/\u001b]0;owned\u0007\u001b[2J.json")));
        Path bundle = write("escape.tar.gz", BundleForge.gzip(t.bytes()));
        for (String mode : List.of("--json", "--public-key")) {
            Cli.Run r = mode.equals("--json")
                    ? verify(bundle.toString(), "--public-key", keyA.toString(), "--json")
                    : verify(bundle.toString(), "--public-key", keyA.toString());
            assertEquals(1, r.exit(), r.all());
            assertTrue(r.all().chars().noneMatch(c -> c == 0x1b || c == 0x07), "raw control character in output: " + r.all());
            assertTrue(r.stdout().contains("x1b]0;owned"), r.stdout());
        }
    }
}
