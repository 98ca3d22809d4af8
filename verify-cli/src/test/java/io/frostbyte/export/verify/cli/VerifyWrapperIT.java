package io.frostbyte.export.verify.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.frostbyte.export.testing.BundleForge;
import io.frostbyte.export.testing.TestKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/frostbyte-verify as users run it: its start-up cache is created without any step of theirs,
 * is reused, and never changes what the verifier says (exit code, stdout, stderr), not even when
 * the cache file is damaged.
 */
class VerifyWrapperIT {
    private static final Path WRAPPER = Path.of("bin", "frostbyte-verify").toAbsolutePath();

    @TempDir Path dir;
    Path cache;
    List<List<String>> cases = new ArrayList<>();

    record Run(int exit, String stdout, String stderr) {}

    @BeforeEach
    void bundles() throws Exception {
        cache = dir.resolve("cache");
        Path key = Files.writeString(dir.resolve("a.asc"), TestKeys.publicKey(TestKeys.a()));
        BundleForge f = BundleForge.valid(TestKeys.a(), 3, 2);
        Path valid = Files.write(dir.resolve("valid.tar.gz"), f.build());
        BundleForge.Entry doc = f.entry(".json");
        byte[] data = doc.data().clone();
        data[20] ^= 1;
        f.replace(doc, BundleForge.Entry.file(doc.name(), data));
        Path tampered = Files.write(dir.resolve("tampered.tar.gz"), f.build());
        cases.add(List.of(valid.toString(), "--public-key", key.toString()));
        cases.add(List.of(tampered.toString(), "--public-key", key.toString(), "--json"));
        cases.add(List.of(valid.toString(), "--public-key", dir.resolve("missing.asc").toString()));
        cases.add(List.of("--public-key", key.toString()));
    }

    private Run run(String aot, List<String> args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(WRAPPER.toString()));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        Map<String, String> env = pb.environment();
        env.put("FROSTBYTE_VERIFY_JAR", Cli.jar().toString());
        env.put("FROSTBYTE_VERIFY_CACHE_DIR", cache.toString());
        env.put("FROSTBYTE_VERIFY_AOT", aot);
        env.remove("FROSTBYTE_VERIFY_JAVA_OPTS");
        Process p = pb.start();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        String out = read(p.getInputStream());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "frostbyte-verify did not finish");
        return new Run(p.exitValue(), out, err.join());
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private List<Path> cacheFiles() throws IOException {
        if (!Files.isDirectory(cache)) return List.of();
        try (Stream<Path> s = Files.list(cache)) {
            return s.filter(p -> p.toString().endsWith(".aot") || p.toString().endsWith(".jsa")).toList();
        }
    }

    @Test
    void cache_createdReusedOrDamaged_neverChangesTheOutcome() throws Exception {
        List<Run> plain = new ArrayList<>();
        for (List<String> args : cases) plain.add(run("off", args));
        assertEquals(List.of(0, 1, 1, 64), plain.stream().map(Run::exit).toList(), plain.toString());
        assertEquals(List.of(), cacheFiles(), "FROSTBYTE_VERIFY_AOT=off writes no cache");

        // wait: trains in the foreground when there is no cache, then runs with it.
        for (int i = 0; i < cases.size(); i++) assertEquals(plain.get(i), run("wait", cases.get(i)), "with a new cache: " + cases.get(i));
        List<Path> files = cacheFiles();
        assertEquals(1, files.size(), "one cache for one jar and JDK: " + files);
        assertTrue(Files.size(files.get(0)) > 1_000_000, "the cache holds the trained classes");

        byte[] garbage = new byte[200_000];
        new Random(7).nextBytes(garbage);
        Files.write(files.get(0), garbage);
        for (int i = 0; i < cases.size(); i++) assertEquals(plain.get(i), run("on", cases.get(i)), "with a damaged cache: " + cases.get(i));
        Files.write(files.get(0), new byte[] {1});
        for (int i = 0; i < cases.size(); i++) assertEquals(plain.get(i), run("on", cases.get(i)), "with a truncated cache: " + cases.get(i));
    }

    @Test
    void firstRun_trainsInTheBackground_withoutDelayingOrChangingTheOutcome() throws Exception {
        Run plain = run("off", cases.get(0));
        assertEquals(plain, run("on", cases.get(0)));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (cacheFiles().isEmpty() && System.nanoTime() < deadline) Thread.sleep(200);
        assertEquals(1, cacheFiles().size(), "the background training wrote no cache within 90 s");
        assertEquals(plain, run("on", cases.get(0)));
    }

    @Test
    void cacheDirectoryOthersCanWrite_neverUsedNorWritten() throws Exception {
        Run plain = run("off", cases.get(0));
        Files.createDirectories(cache);
        Files.setPosixFilePermissions(cache, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        assertEquals(plain, run("wait", cases.get(0)));
        assertEquals(List.of(), cacheFiles(), "a cache in a directory others can write to could be swapped under us");
        Files.setPosixFilePermissions(cache, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        assertEquals(plain, run("wait", cases.get(0)));
        assertEquals(1, cacheFiles().size(), "a private directory holds the cache");
    }
}
