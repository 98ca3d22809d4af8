package io.frostbyte.export.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.frostbyte.export.signing.KeyAlgorithm;
import io.frostbyte.export.signing.TenantSigningKey;
import io.frostbyte.export.signing.TrustedKeys;
import io.frostbyte.export.testing.BundleForge;
import io.frostbyte.export.testing.Corpus;
import io.frostbyte.export.testing.TestKeys;
import io.frostbyte.export.verify.BundleVerifier;
import io.frostbyte.export.verify.VerificationPolicy;
import io.frostbyte.export.verify.VerificationReport;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;
import java.util.UUID;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class BundleWriterTest {
    static final UUID EXPORT = UUID.fromString("6f1c2a8e-3b7d-4c1e-9a2f-0d5e8b7c6a41");
    static final UUID TENANT = UUID.fromString("0b8f5d2c-7e4a-4f3b-8c9d-1a2b3c4d5e6f");

    record Written(byte[] bytes, BundleSummary summary) {}

    static Written write(TenantSigningKey key, int docs, int chunks, int threads, int level) throws Exception {
        Corpus corpus = new Corpus(7);
        TreeMap<UUID, byte[]> documents = new TreeMap<>((a, b) -> a.toString().compareTo(b.toString()));
        TreeMap<UUID, byte[]> chunkMap = new TreeMap<>((a, b) -> a.toString().compareTo(b.toString()));
        for (int i = 0; i < docs; i++) {
            UUID id = corpus.uuid();
            documents.put(id, corpus.documentJson(id, TENANT, 3000));
            for (int c = 0; c < chunks; c++) {
                UUID cid = corpus.uuid();
                chunkMap.put(cid, corpus.chunkJson(cid, id, TENANT, c, 500));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (BundleWriter w = BundleWriter.builder().exportId(EXPORT).tenantId(TENANT).createdAt(TestKeys.CREATED)
                .includeChunks(chunks > 0).signingKey(key).threads(threads).compressionLevel(level).open(out)) {
            for (var e : chunkMap.entrySet()) w.addChunk(e.getKey(), e.getValue());
            for (var e : documents.entrySet()) w.addDocument(e.getKey(), e.getValue());
            BundleSummary s = w.finish();
            return new Written(out.toByteArray(), s);
        }
    }

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void finish_signedRoundTrip_verifiesWithCountsInReport(KeyAlgorithm alg) throws Exception {
        TenantSigningKey key = TestKeys.a(alg);
        Written w = write(key, 20, 3, 2, 6);
        VerificationReport r = BundleVerifier.verify(new ByteArrayInputStream(w.bytes()),
                VerificationPolicy.of(TrustedKeys.fromArmored(key.armoredPublicKey())), n -> {});
        assertEquals(VerificationReport.Status.VALID, r.status(), r.errors().toString());
        assertEquals(20, r.documentCount().getAsInt());
        assertEquals(60, r.chunkCount().getAsInt());
        assertEquals(80, r.filesChecked());
        assertEquals(20, w.summary().documentCount());
        assertEquals(60, w.summary().chunkCount());
        assertEquals(w.bytes().length, w.summary().bundleSize());
        assertEquals(HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(w.bytes())),
                w.summary().bundleSha256());
    }

    @Test
    void finish_sameInputs_sameBytesWhateverTheThreadCount() throws Exception {
        Written one = write(TestKeys.a(), 900, 1, 1, 1);
        Written two = write(TestKeys.a(), 900, 1, 2, 1);
        Written again = write(TestKeys.a(), 900, 1, 2, 1);
        long inflated = new StrictGzipInputStream(new ByteArrayInputStream(one.bytes())).readAllBytes().length;
        assertTrue(inflated > 2L * ParallelGzipOutputStream.DEFAULT_BLOCK_SIZE, "spans several blocks: " + inflated);
        assertArrayEquals(one.bytes(), two.bytes());
        assertArrayEquals(two.bytes(), again.bytes());
    }

    @Test
    void finish_layout_isSortedReproducibleUstar() throws Exception {
        Written w = write(TestKeys.a(), 3, 1, 1, 6);
        byte[] b = w.bytes();
        // gzip header: mtime 0, no name flag.
        assertEquals(0, b[3]);
        assertArrayEquals(new byte[4], java.util.Arrays.copyOfRange(b, 4, 8));
        List<String> names = new ArrayList<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(new ByteArrayInputStream(b)))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                names.add(e.getName());
                assertEquals(0, e.getLongUserId());
                assertEquals(0, e.getLongGroupId());
                assertEquals("", e.getUserName());
                assertEquals("", e.getGroupName());
                assertEquals(TestKeys.CREATED.getEpochSecond(), e.getModTime().toInstant().getEpochSecond());
                assertEquals(e.isDirectory() ? 0755 : 0644, e.getMode() & 07777, e.getName());
            }
        }
        assertEquals(EXPORT + "/", names.get(0));
        assertEquals(EXPORT + "/manifest.json", names.get(names.size() - 1));
        List<String> sorted = new ArrayList<>(names);
        sorted.sort(String::compareTo);
        assertEquals(sorted, names);
        assertTrue(names.contains(EXPORT + "/chunks/"));
        assertTrue(names.contains(EXPORT + "/documents/"));
    }

    @Test
    void addDocument_outOfOrder_rejected() throws Exception {
        try (BundleWriter w = BundleWriter.builder().exportId(EXPORT).tenantId(TENANT).createdAt(TestKeys.CREATED)
                .signingKey(TestKeys.a()).open(new ByteArrayOutputStream())) {
            w.addDocument(UUID.fromString("ffffffff-0000-4000-8000-000000000000"), BundleForge.utf8("{}"));
            assertThrows(IllegalArgumentException.class,
                    () -> w.addDocument(UUID.fromString("00000000-0000-4000-8000-000000000000"), BundleForge.utf8("{}")));
        }
    }

    @Test
    void addFile_shortStream_failsWithContext() throws Exception {
        try (BundleWriter w = BundleWriter.builder().exportId(EXPORT).tenantId(TENANT).createdAt(TestKeys.CREATED)
                .signingKey(TestKeys.a()).open(new ByteArrayOutputStream())) {
            BundleWriteException e = assertThrows(BundleWriteException.class,
                    () -> w.addFile("documents/a.json", new ByteArrayInputStream(new byte[3]), 10));
            assertTrue(e.getMessage().contains(EXPORT.toString()), e.getMessage());
        }
    }

    @Test
    void addChunk_withoutIncludeChunks_rejected() throws Exception {
        try (BundleWriter w = BundleWriter.builder().exportId(EXPORT).tenantId(TENANT).createdAt(TestKeys.CREATED)
                .signingKey(TestKeys.a()).open(new ByteArrayOutputStream())) {
            assertThrows(IllegalStateException.class, () -> w.addChunk(UUID.randomUUID(), new byte[1]));
        }
    }

    @org.junit.jupiter.api.Test
    void fitsOneManifest_boundsTheWritersCompactEntries() throws Exception {
        java.util.UUID id = java.util.UUID.randomUUID();
        String hex = "a".repeat(64);
        // One listed file exactly as the writer lays it out, with the largest sizes the estimate allows.
        String document = "{\"path\":\"documents/" + id + ".json\",\"sha256\":\"" + hex + "\",\"size\":99999999},";
        String chunk = "{\"path\":\"chunks/" + id + ".json\",\"sha256\":\"" + hex + "\",\"size\":999999},";
        org.junit.jupiter.api.Assertions.assertTrue(document.length() <= 96 + 51 + 8, document.length() + " bytes");
        org.junit.jupiter.api.Assertions.assertTrue(chunk.length() <= 96 + 48 + 6, chunk.length() + " bytes");
        org.junit.jupiter.api.Assertions.assertTrue(BundleFormat.fitsOneManifest(20_000, 200_000), "a 20k/200k tenant fits");
        org.junit.jupiter.api.Assertions.assertFalse(BundleFormat.fitsOneManifest(225_000, 0), "225,000 documents do not");
    }

    @org.junit.jupiter.api.Test
    void finish_pathOutsideTheBmp_signedPayloadIsJcsAndVerifies() throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (BundleWriter w = BundleWriter.builder().exportId(java.util.UUID.randomUUID()).tenantId(java.util.UUID.randomUUID())
                .createdAt(io.frostbyte.export.testing.TestKeys.CREATED).signingKey(io.frostbyte.export.testing.TestKeys.a()).open(out)) {
            byte[] data = "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            w.addFile("documents/x\uD83D\uDE00.json", new java.io.ByteArrayInputStream(data), data.length);
            w.finish();
        }
        var report = io.frostbyte.export.verify.BundleVerifier.verify(new java.io.ByteArrayInputStream(out.toByteArray()),
                io.frostbyte.export.verify.VerificationPolicy.of(io.frostbyte.export.signing.TrustedKeys.fromArmored(
                        io.frostbyte.export.testing.TestKeys.a().armoredPublicKey())), n -> {});
        org.junit.jupiter.api.Assertions.assertTrue(report.isValid(), report.errors().toString());
    }
}
