package io.frostbyte.export.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.frostbyte.export.signing.TrustedKeys;
import io.frostbyte.export.testing.BundleMutator;
import io.frostbyte.export.testing.Extractors;
import io.frostbyte.export.testing.MalformedBundles;
import io.frostbyte.export.testing.TestKeys;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lasting fix for parser differentials (format §2 revision 2): header-level mutants of valid
 * bundles go through our verifier and through GNU tar, bsdtar and Python's tarfile (with and
 * without {@code filter='data'}). The test fails whenever we say VALID and any extractor writes a
 * file set or bytes other than the manifest's.
 *
 * <p>2,000 mutants by default, seed 20261125; {@code -Dfrostbyte.differential.mutants=N} and
 * {@code -Dfrostbyte.differential.seed=S} (or FROSTBYTE_DIFFERENTIAL_MUTANTS / _SEED) for long
 * runs and replays. A mutant is replayed from its seed and index alone.
 */
class ExtractorDifferentialIT {
    private static final long DEFAULT_SEED = 20261125L;
    private static final int DEFAULT_MUTANTS = 2000;

    @TempDir
    static Path work;
    private static Extractors extractors;
    private static VerificationPolicy policy;

    @BeforeAll
    static void tools() throws Exception {
        extractors = Extractors.find(work);
        policy = VerificationPolicy.of(TrustedKeys.fromArmored(TestKeys.publicKey(TestKeys.a())));
    }

    private static long setting(String name, long fallback) {
        String v = System.getProperty("frostbyte.differential." + name,
                System.getenv("FROSTBYTE_DIFFERENTIAL_" + name.toUpperCase()));
        return v == null || v.isBlank() ? fallback : Long.parseLong(v.trim());
    }

    private static Set<String> allowedDirs(Map<String, String> expected) {
        String root = expected.keySet().iterator().next().split("/")[0];
        return Set.of(root, root + "/documents", root + "/chunks");
    }

    @Test
    void mutants_validVerdict_matchesEveryExtractor() throws Exception {
        long seed = setting("seed", DEFAULT_SEED);
        int count = (int) setting("mutants", DEFAULT_MUTANTS);
        System.out.println("ExtractorDifferentialIT: seed " + seed + ", " + count + " mutants"
                + " (replay: -Dfrostbyte.differential.seed=" + seed + ")");
        BundleMutator mutator = new BundleMutator(BundleMutator.standardBases(), seed);
        Path dir = Files.createDirectories(work.resolve("mutants"));
        Map<String, BundleMutator.Mutant> byPath = new LinkedHashMap<>();
        Map<String, Boolean> valid = new LinkedHashMap<>();
        int validCount = 0;
        for (int i = 0; i < count; i++) {
            BundleMutator.Mutant m = mutator.mutant(i);
            Path file = dir.resolve("m" + i + ".tar.gz");
            Files.write(file, m.bundle());
            VerificationReport r = BundleVerifier.verify(new ByteArrayInputStream(m.bundle()), policy, n -> {});
            assertFalse(r.errors().stream().anyMatch(e -> e.code().equals("internal") || e.code().equals("out_of_memory")),
                    m.describe() + ": verifier crashed: " + r.errors());
            byPath.put(file.toString(), m);
            valid.put(file.toString(), r.isValid());
            if (r.isValid()) validCount++;
        }
        Map<String, List<Extractors.Result>> results = extractors.extract(byPath.keySet().stream().map(Path::of).toList());
        List<String> disagreements = new ArrayList<>();
        int extractorsDeviated = 0;
        for (var e : byPath.entrySet()) {
            BundleMutator.Mutant m = e.getValue();
            Map<String, String> expected = mutator.base(m.base()).expectedFiles();
            List<Extractors.Result> rs = results.getOrDefault(e.getKey(), List.of());
            assertEquals(4, rs.size(), m.describe() + ": not every extractor reported");
            List<String> diffs = new ArrayList<>();
            for (Extractors.Result r : rs) r.differenceFrom(expected, allowedDirs(expected)).ifPresent(diffs::add);
            if (!diffs.isEmpty()) extractorsDeviated++;
            if (valid.get(e.getKey()) && !diffs.isEmpty()) disagreements.add(m.describe() + " -> " + diffs);
        }
        System.out.printf("ExtractorDifferentialIT: %d mutants, %d VALID, %d where an extractor wrote something other than"
                + " the manifest (all of them must be INVALID), %d disagreements%n", count, validCount, extractorsDeviated,
                disagreements.size());
        assertTrue(disagreements.isEmpty(), "seed " + seed + ": our verifier said VALID where an extractor disagrees:\n"
                + String.join("\n", disagreements.subList(0, Math.min(20, disagreements.size()))));
        // The generator must exercise both sides, or the test proves nothing.
        assertTrue(validCount >= count / 20, "too few VALID mutants to mean anything: " + validCount);
        assertTrue(extractorsDeviated >= count / 20, "too few mutants that extractors read differently: " + extractorsDeviated);
    }

    /** What the bundle's own manifest promises (read with commons-compress, not our reader): path to SHA-256. */
    static Map<String, String> signedFileSet(byte[] bundle) {
        Map<String, String> out = new LinkedHashMap<>();
        try (var tar = new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(
                new java.util.zip.GZIPInputStream(new ByteArrayInputStream(bundle)))) {
            org.apache.commons.compress.archivers.tar.TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                if (!entry.getName().endsWith("/manifest.json")) continue;
                byte[] manifest = tar.readAllBytes();
                String top = entry.getName().substring(0, entry.getName().indexOf('/'));
                out.clear();
                var files = io.frostbyte.export.testing.BundleForge.JSON.readTree(manifest).get("files");
                if (files == null) continue;
                for (var f : files) {
                    out.put(top + "/" + f.get("path").asText(), f.get("sha256").asText());
                }
                out.put(entry.getName(), io.frostbyte.export.testing.BundleForge.sha256(manifest));
            }
        } catch (Exception e) {
            return out; // what was read so far
        }
        return out;
    }

    /** The oracle has teeth: for the published attacks, real extractors do write other bytes, and we say INVALID. */
    @Test
    void knownAttacks_extractorsDeviate_verifierRejects() throws Exception {
        Set<String> attacks = Set.of(
                "directory entry with data hiding a header (GNU tar and tarfile extract it)",
                "pax global header setting path",
                "two pax headers before one entry",
                "regular file whose name ends in '/'",
                "pax header name opening a gzip stream (bsdtar unpacks a hidden archive)",
                "a file that is also a directory of another listed file");
        List<MalformedBundles.Case> cases = MalformedBundles.all().stream().filter(c -> attacks.contains(c.name())).toList();
        assertEquals(attacks.size(), cases.size());
        Map<String, MalformedBundles.Case> byPath = new LinkedHashMap<>();
        for (MalformedBundles.Case c : cases) {
            Path file = work.resolve("attack-" + byPath.size() + ".tar.gz");
            Files.write(file, c.bundle());
            byPath.put(file.toString(), c);
            assertFalse(BundleVerifier.verify(new ByteArrayInputStream(c.bundle()), policy, n -> {}).isValid(), c.name());
        }
        Map<String, List<Extractors.Result>> results = extractors.extract(byPath.keySet().stream().map(Path::of).toList());
        Set<String> deviating = new HashSet<>();
        for (var e : results.entrySet()) {
            Map<String, String> expected = signedFileSet(byPath.get(e.getKey()).bundle());
            // A reader may stop before the manifest of a hostile archive; the cases are built on the "ustar" base.
            if (expected.isEmpty()) expected = new BundleMutator(BundleMutator.standardBases(), 1).base("ustar").expectedFiles();
            for (Extractors.Result r : e.getValue()) {
                Optional<String> diff = r.differenceFrom(expected, allowedDirs(expected));
                if (diff.isPresent()) deviating.add(byPath.get(e.getKey()).name());
            }
        }
        assertEquals(attacks, deviating, "each attack must make at least one real extractor write something else");
    }
}
