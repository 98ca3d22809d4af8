package io.frostbyte.export.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.frostbyte.export.bundle.StrictGzipInputStream;
import io.frostbyte.export.signing.TrustedKeys;
import io.frostbyte.export.testing.BundleForge;
import io.frostbyte.export.testing.TestKeys;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Flips, cuts and inserts bytes of a valid bundle at random (seeded): no mutant may verify unless it
 * still decompresses to the very same archive (a flip in the gzip header's mtime or OS byte, or in
 * deflate padding bits, changes nothing that is signed), and none may escape as an exception.
 */
class MutationTest {
    static final int MUTANTS = 1500;

    @Test
    void verify_randomMutants_neverValidUnlessContentIdentical() throws Exception {
        BundleForge forge = BundleForge.valid(TestKeys.a(), 4, 3);
        byte[] original = forge.build();
        byte[] originalTar = forge.tar();
        VerificationPolicy policy = VerificationPolicy.of(TrustedKeys.fromArmored(TestKeys.publicKey(TestKeys.a())));
        assertTrue(BundleVerifier.verify(new ByteArrayInputStream(original), policy, n -> {}).isValid());

        SplittableRandom random = new SplittableRandom(20261123L);
        int verifiedEquivalent = 0;
        int[] byKind = new int[3];
        for (int i = 0; i < MUTANTS; i++) {
            int kind = random.nextInt(3);
            byKind[kind]++;
            byte[] mutant = mutate(original, kind, random);
            if (Arrays.equals(mutant, original)) continue;
            VerificationReport r = BundleVerifier.verify(new ByteArrayInputStream(mutant), policy, n -> {});
            if (r.isValid()) {
                assertArrayEquals(originalTar, inflate(mutant), "mutant " + i + " (kind " + kind + ") verified with different content");
                verifiedEquivalent++;
            } else {
                assertTrue(!r.errors().isEmpty());
                assertTrue(r.errors().stream().noneMatch(e -> e.code().equals("internal")), "mutant " + i + ": " + r.errors());
            }
        }
        assertEquals(MUTANTS, byKind[0] + byKind[1] + byKind[2]);
        // Only header metadata and padding bits are unprotected; they are a small share of the bytes.
        assertTrue(verifiedEquivalent < MUTANTS / 20, "too many equivalent mutants: " + verifiedEquivalent);
    }

    static byte[] mutate(byte[] in, int kind, SplittableRandom random) {
        switch (kind) {
            case 0 -> { // flip one to eight bits of one byte
                byte[] out = in.clone();
                int at = random.nextInt(out.length);
                out[at] ^= (byte) (1 + random.nextInt(255));
                return out;
            }
            case 1 -> { // cut: drop a range, or truncate
                int from = random.nextInt(in.length);
                int len = 1 + random.nextInt(Math.min(64, in.length - from));
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                out.write(in, 0, from);
                if (random.nextBoolean()) out.write(in, from + len, in.length - from - len);
                return out.toByteArray();
            }
            default -> { // insert random bytes
                int at = random.nextInt(in.length + 1);
                byte[] extra = new byte[1 + random.nextInt(16)];
                random.nextBytes(extra);
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                out.write(in, 0, at);
                out.writeBytes(extra);
                out.write(in, at, in.length - at);
                return out.toByteArray();
            }
        }
    }

    static byte[] inflate(byte[] gz) throws IOException {
        return new StrictGzipInputStream(new ByteArrayInputStream(gz)).readAllBytes();
    }
}
