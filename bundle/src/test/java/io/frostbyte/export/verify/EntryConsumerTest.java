package io.frostbyte.export.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.frostbyte.export.testing.BundleForge;
import io.frostbyte.export.testing.TestKeys;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The verifier's one pass hands the consumer exactly the bytes it hashes. */
class EntryConsumerTest {
    @Test
    void verify_withConsumer_seesEveryPayloadFileOnceWithItsBytes() throws Exception {
        BundleForge f = BundleForge.valid(TestKeys.a(), 3, 4);
        Map<String, byte[]> seen = new LinkedHashMap<>();
        VerificationReport r = BundleVerifier.verify(new ByteArrayInputStream(f.build()), BundleVerifierTest.trustA(), n -> {},
                (path, size, content) -> seen.put(path, content.readAllBytes()));
        assertTrue(r.isValid(), BundleVerifierTest.codes(r));
        assertEquals(7, seen.size());
        for (BundleForge.Entry e : f.entries) {
            if (e.type() != '0') continue;
            assertArrayEquals(e.data(), seen.get(e.name().substring(f.root().length())), e.name());
        }
    }

    @Test
    void verify_consumerReadsPart_restIsStillHashed() throws Exception {
        BundleForge f = BundleForge.valid(TestKeys.a(), 2, 0);
        BundleForge.Entry doc = f.entries.stream().filter(e -> e.name().contains("documents/")).findFirst().orElseThrow();
        byte[] tampered = doc.data().clone();
        tampered[tampered.length - 1] ^= 1;
        f.replace(doc, BundleForge.Entry.file(doc.name(), tampered));
        VerificationReport r = BundleVerifier.verify(new ByteArrayInputStream(f.build()), BundleVerifierTest.trustA(), n -> {},
                (path, size, content) -> content.read(new byte[4]));
        assertTrue(r.errors().stream().anyMatch(e -> e.code().equals("hash_mismatch")), BundleVerifierTest.codes(r));
    }

    @Test
    void verify_consumerFails_throwsWithThePath() throws Exception {
        BundleForge f = BundleForge.valid(TestKeys.a(), 2, 0);
        EntryConsumerException e = assertThrows(EntryConsumerException.class, () -> BundleVerifier.verify(
                new ByteArrayInputStream(f.build()), BundleVerifierTest.trustA(), n -> {},
                (path, size, content) -> {
                    throw new IOException("database went away");
                }));
        assertTrue(e.path().startsWith(f.root() + "documents/"), e.path());
        assertTrue(e.getMessage().contains("database went away"), e.getMessage());
    }

    @Test
    void verify_truncatedWhileConsumerReads_isAnArchiveErrorNotAConsumerFailure() throws Exception {
        BundleForge f = BundleForge.valid(TestKeys.a(), 1, 0);
        byte[] tar = f.tar();
        // Cut inside the document's data: the consumer's read is the one that hits the end.
        byte[] cut = BundleForge.gzip(Arrays.copyOf(tar, 512 * 3 + 100));
        VerificationReport r = BundleVerifier.verify(new ByteArrayInputStream(cut), BundleVerifierTest.trustA(), n -> {},
                (path, size, content) -> content.readAllBytes());
        assertEquals(VerificationReport.Status.INVALID, r.status());
        assertTrue(r.errors().stream().noneMatch(e -> e.code().equals("internal")), BundleVerifierTest.codes(r));
    }

    @Test
    void verify_consumerKeepsTheStream_itEndsWithItsEntry() throws Exception {
        BundleForge f = BundleForge.valid(TestKeys.a(), 2, 0);
        java.util.List<InputStream> kept = new java.util.ArrayList<>();
        VerificationReport r = BundleVerifier.verify(new ByteArrayInputStream(f.build()), BundleVerifierTest.trustA(), n -> {},
                (path, size, content) -> {
                    if (!kept.isEmpty()) assertEquals(-1, kept.get(0).read(), "the first entry's stream reads nothing of the second");
                    kept.add(content);
                });
        assertTrue(r.isValid(), BundleVerifierTest.codes(r));
    }
}
