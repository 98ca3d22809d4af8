package io.frostbyte.export.bench;

import io.frostbyte.export.bundle.BundleFormat;
import io.frostbyte.export.bundle.BundleWriter;
import io.frostbyte.export.signing.TenantSigningKey;
import io.frostbyte.export.signing.TrustedKeys;
import io.frostbyte.export.testing.Corpus;
import io.frostbyte.export.testing.Gpg;
import io.frostbyte.export.testing.TestKeys;
import io.frostbyte.export.verify.BundleVerifier;
import io.frostbyte.export.verify.VerificationPolicy;
import io.frostbyte.export.verify.VerificationReport;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Throughput of the bundle writer and verifier against stock tools, in one run on one machine.
 * Not a test: run {@code scripts/bench} (arguments: [MB of corpus] [repetitions] [levels...]).
 *
 * <p>All rates are MB/s of uncompressed payload (10^6 bytes), the median of the repetitions.
 */
public final class BundleBenchmark {
    record Doc(UUID id, byte[] json) {}

    private final Path work;
    private final List<Doc> docs = new ArrayList<>();
    private final UUID export = UUID.fromString("5e0c1b7a-2f3d-4e8c-9a1b-6d7e8f9a0b1c");
    private final UUID tenant = UUID.fromString("0f1e2d3c-4b5a-4968-8776-655443322110");
    private final TenantSigningKey key = TestKeys.a();
    private long payloadBytes;
    private final int reps;

    BundleBenchmark(Path work, int reps) {
        this.work = work;
        this.reps = reps;
    }

    public static void main(String[] args) throws Exception {
        int mb = args.length > 0 ? Integer.parseInt(args[0]) : 250;
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int[] levels = args.length > 2 ? Arrays.stream(args, 2, args.length).mapToInt(Integer::parseInt).toArray() : new int[] {1, 6};
        Path work = Path.of(System.getProperty("bench.dir", "bench-work")).toAbsolutePath();
        new BundleBenchmark(work, reps).run(mb, levels);
    }

    void run(int mb, int[] levels) throws Exception {
        Gpg.requireCommand("pigz", "apt-get install pigz (scripts/bench installs it)");
        deleteTree(work);
        Files.createDirectories(work);
        buildCorpus(mb * 1_000_000L);
        System.out.printf(Locale.ROOT, "corpus: %d documents, %.1f MB of JSON; %d cores; %s%n", docs.size(),
                payloadBytes / 1e6, Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.version"));
        warmUp();
        Path src = work.resolve("src");
        writeTree(src);
        System.out.println();
        System.out.println("| what | level | MB/s | ratio | vs baseline |");
        System.out.println("|---|---|---|---|---|");
        Path bundle = null;
        for (int level : levels) {
            double gzip = median(() -> shell("tar -cf - -C " + src + " . | gzip -" + level + " > " + work.resolve("gz.tar.gz")));
            double pigz = median(() -> shell("tar -cf - -C " + src + " . | pigz -p 2 -" + level + " > " + work.resolve("pigz.tar.gz")));
            long gzSize = Files.size(work.resolve("gz.tar.gz"));
            row("tar \\| gzip", level, gzip, gzSize, "1.00x (baseline)");
            row("tar \\| pigz -p 2", level, pigz, Files.size(work.resolve("pigz.tar.gz")), ratio(pigz, gzip) + " of gzip");
            for (int threads : new int[] {1, 2}) {
                Path out = work.resolve("bundle-l" + level + "-t" + threads + ".tar.gz");
                double secs = median(() -> write(out, level, threads));
                row("BundleWriter, " + threads + " thread" + (threads > 1 ? "s" : ""), level, secs, Files.size(out),
                        ratio(secs, gzip) + " of gzip");
                if (bundle == null || (level == BundleWriter.DEFAULT_LEVEL && threads == 2)) bundle = out;
            }
        }
        zlibBuilds(src, levels);
        Path verifyBundle = bundle;
        System.out.println();
        System.out.println("| verifying " + verifyBundle.getFileName() + " | MB/s | vs ours |");
        System.out.println("|---|---|---|");
        VerificationPolicy policy = VerificationPolicy.of(TrustedKeys.fromArmored(key.armoredPublicKey()));
        double ours = median(() -> {
            VerificationReport r = BundleVerifier.verify(verifyBundle, policy);
            if (!r.isValid()) throw new IllegalStateException("benchmark bundle invalid: " + r.errors());
        });
        double gunzip = median(() -> shell("gzip -dc " + verifyBundle + " > /dev/null"));
        double naive;
        try (Gpg gpg = new Gpg()) {
            gpg.importKey(key.armoredPublicKey());
            naive = median(() -> shell(naivePipeline(verifyBundle, gpg.home())));
        }
        System.out.printf(Locale.ROOT, "| frostbyte-verify (in process) | %.1f | 1.00x |%n", mbps(ours));
        System.out.printf(Locale.ROOT, "| gzip -dc > /dev/null | %.1f | ours is %s |%n", mbps(gunzip), ratio(ours, gunzip));
        System.out.printf(Locale.ROOT, "| tar -xzf + sha256sum -c + gpg --verify | %.1f | ours is %s |%n", mbps(naive), ratio(ours, naive));
        deleteTree(work);
    }

    /**
     * The writer and pigz both spend nearly all their time in zlib's deflate, but not the same zlib:
     * the JDK may carry its own build while pigz links the system's. This compares the two builds
     * alone, one thread, raw deflate of the same tar in 128 KiB steps, so that a writer-vs-pigz gap
     * can be told apart from the writer's own costs. The system zlib is driven through python3's
     * zlib module, which links it; its timing is taken inside python, around the deflate loop only.
     */
    private void zlibBuilds(Path src, int[] levels) throws Exception {
        Path tar = work.resolve("corpus.tar");
        shell("tar -cf " + tar + " -C " + src + " .");
        byte[] data = Files.readAllBytes(tar);
        System.out.println();
        System.out.println("| zlib build, one thread, raw deflate of the same tar | level | MB/s | compressed bytes | vs system zlib |");
        System.out.println("|---|---|---|---|---|");
        String python = "import sys, time, zlib\n"
                + "d = open(sys.argv[1], 'rb').read(); level = int(sys.argv[2]); times = []\n"
                + "for _ in range(int(sys.argv[3])):\n"
                + "    t = time.perf_counter(); c = zlib.compressobj(level, zlib.DEFLATED, -15); n = 0\n"
                + "    for i in range(0, len(d), 131072): n += len(c.compress(d[i:i + 131072]))\n"
                + "    n += len(c.flush()); times.append(time.perf_counter() - t)\n"
                + "print(sorted(times)[len(times) // 2], n, zlib.ZLIB_RUNTIME_VERSION)\n";
        for (int level : levels) {
            long[] size = {0};
            double jdk = median(() -> size[0] = jdkDeflate(data, level));
            Process p = new ProcessBuilder("python3", "-c", python, tar.toString(), Integer.toString(level), Integer.toString(reps))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String[] out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).strip().split(" ");
            if (p.waitFor() != 0 || out.length != 3) throw new IllegalStateException("python3 zlib baseline failed");
            double system = Double.parseDouble(out[0]);
            double tarMb = data.length / 1e6;
            System.out.printf(Locale.ROOT, "| system zlib %s (python3 zlib module; pigz links it) | %d | %.1f | %d | 1.00x |%n",
                    out[2], level, tarMb / system, Long.parseLong(out[1]));
            System.out.printf(Locale.ROOT, "| this JDK's zlib %s (java.util.zip.Deflater; the writer uses it) | %d | %.1f | %d | %s |%n",
                    zlibVersion(), level,
                    tarMb / jdk, size[0], ratio(jdk, system));
        }
        Files.delete(tar);
    }

    /** Raw deflate of {@code data} in 128 KiB steps, as the writer feeds zlib; returns the compressed size. */
    private static long jdkDeflate(byte[] data, int level) {
        java.util.zip.Deflater d = new java.util.zip.Deflater(level, true);
        byte[] out = new byte[1 << 20];
        long total = 0;
        try {
            for (int off = 0; off < data.length; off += 128 * 1024) {
                d.setInput(data, off, Math.min(128 * 1024, data.length - off));
                int n;
                while ((n = d.deflate(out, 0, out.length, java.util.zip.Deflater.NO_FLUSH)) > 0) total += n;
            }
            d.finish();
            while (!d.finished()) total += d.deflate(out);
            return total;
        } finally {
            d.end();
        }
    }

    /** The zlib version the JDK's native library carries, from its copyright string; "bundled or system" when unknown. */
    private static String zlibVersion() {
        Path lib = Path.of(System.getProperty("java.home"), "lib", "libzip.so");
        try {
            String text = new String(Files.readAllBytes(lib), java.nio.charset.StandardCharsets.ISO_8859_1);
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("deflate (\\d+\\.\\d+(?:\\.\\d+)*) Copyright").matcher(text);
            return m.find() ? m.group(1) + " (bundled)" : "(the system's)";
        } catch (IOException e) {
            return "(unknown build)";
        }
    }

    private String naivePipeline(Path bundle, Path gnupghome) {
        Path fresh = work.resolve("naive");
        return "rm -rf " + fresh + " && mkdir " + fresh + " && tar -xzf " + bundle + " -C " + fresh
                + " && cd " + fresh + "/" + export
                + " && jq -r '.files[] | \"\\(.sha256)  \\(.path)\"' manifest.json > ../sums"
                + " && sha256sum --quiet -c ../sums"
                + " && jq -cjS 'del(.signature)' manifest.json > ../payload"
                + " && jq -r .signature manifest.json | base64 -d > ../payload.sig"
                + " && GNUPGHOME=" + gnupghome + " gpg --batch -q --verify ../payload.sig ../payload 2>/dev/null";
    }

    private void row(String what, int level, double secs, long size, String vs) {
        System.out.printf(Locale.ROOT, "| %s | %d | %.1f | %.2f | %s |%n", what, level, mbps(secs), (double) payloadBytes / size, vs);
    }

    private double mbps(double secs) {
        return payloadBytes / 1e6 / secs;
    }

    /** How many times faster the first timing is than the second. */
    private static String ratio(double secs, double baselineSecs) {
        return String.format(Locale.ROOT, "%.2fx", baselineSecs / secs);
    }

    interface Step {
        void run() throws Exception;
    }

    private double median(Step step) throws Exception {
        double[] t = new double[reps];
        for (int i = 0; i < reps; i++) {
            long start = System.nanoTime();
            step.run();
            t[i] = (System.nanoTime() - start) / 1e9;
        }
        Arrays.sort(t);
        return t[reps / 2];
    }

    private void buildCorpus(long target) {
        Corpus corpus = new Corpus(2026);
        List<Doc> list = new ArrayList<>();
        long total = 0;
        while (total < target) {
            UUID id = corpus.uuid();
            // Documents of 2-60 KB, like the mix of notes, reports and contracts a tenant holds.
            byte[] json = corpus.documentJson(id, tenant, 2_000 + (int) (Math.abs(id.getLeastSignificantBits()) % 58_000));
            list.add(new Doc(id, json));
            total += json.length;
        }
        list.sort((a, b) -> a.id().toString().compareTo(b.id().toString()));
        docs.addAll(list);
        payloadBytes = total;
    }

    private void writeTree(Path src) throws IOException {
        Path dir = Files.createDirectories(src.resolve(export.toString()).resolve(BundleFormat.DOCUMENTS));
        for (Doc d : docs) Files.write(dir.resolve(d.id() + ".json"), d.json());
    }

    private void warmUp() throws Exception {
        Path out = work.resolve("warmup.tar.gz");
        for (int i = 0; i < 2; i++) {
            write(out, 6, 2, docs.subList(0, Math.min(docs.size(), 300)));
            BundleVerifier.verify(out, VerificationPolicy.of(TrustedKeys.fromArmored(key.armoredPublicKey())));
        }
        Files.delete(out);
    }

    private void write(Path out, int level, int threads) throws Exception {
        write(out, level, threads, docs);
    }

    private void write(Path out, int level, int threads, List<Doc> which) throws Exception {
        try (OutputStream o = new BufferedOutputStream(Files.newOutputStream(out), 1 << 16);
                BundleWriter w = BundleWriter.builder().exportId(export).tenantId(tenant).createdAt(TestKeys.CREATED)
                        .signingKey(key).compressionLevel(level).threads(threads).open(o)) {
            for (Doc d : which) w.addDocument(d.id(), d.json());
            w.finish();
        }
    }

    private static void shell(String script) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("bash", "-c", "set -o pipefail; " + script).inheritIO().start();
        if (p.waitFor() != 0) throw new IllegalStateException("failed: " + script);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
