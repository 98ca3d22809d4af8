package io.frostbyte.export.bench;

import io.frostbyte.export.app.Services;
import io.frostbyte.export.db.DemoRows;
import io.frostbyte.export.db.Migrations;
import io.frostbyte.export.export.CreateExportRequest;
import io.frostbyte.export.export.ExportJob;
import io.frostbyte.export.imports.ImportJob;
import io.frostbyte.export.imports.ImportRequest;
import io.frostbyte.export.imports.ImportService;
import io.frostbyte.export.keys.TenantPublicKey;
import io.frostbyte.export.signing.TrustedKeys;
import io.frostbyte.export.storage.ImportStore;
import io.frostbyte.export.storage.local.LocalBundleStore;
import io.frostbyte.export.storage.local.LocalImportStore;
import io.frostbyte.export.testing.Corpus;
import io.frostbyte.export.verify.BundleVerifier;
import io.frostbyte.export.verify.VerificationPolicy;
import io.frostbyte.export.verify.VerificationReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Export and import throughput through the real services on the local PostgreSQL and Redis, in
 * one process: the export worker (PostgreSQL → signed bundle), the import worker (bundle →
 * verified and staged → PostgreSQL), and as baselines the verifier alone and {@code gzip -dc} on
 * the same bundle. MB/s are of uncompressed payload (the documents' and chunks' JSON).
 * A further baseline is our writer alone on the same files, from memory to a file (same level and
 * threads as the worker), so that the export path's cost beyond writing (queries, JSON, storage)
 * shows as a ratio.
 * Usage: {@code scripts/bench service [MB] [repetitions] [chunks per document]} (default 100 MB, 3, 5).
 */
public final class ServiceBenchmark {
    private ServiceBenchmark() {}

    public static void main(String[] args) throws Exception {
        int mb = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int chunksPerDocument = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        Path home = Files.createTempDirectory("frostbyte-bench");
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("FROSTBYTE_STORAGE", "local");
        env.put("EXPORT_STORAGE_PATH", home.resolve("bundles").toString());
        env.put("FROSTBYTE_KEYSTORE", "local");
        env.put("FROSTBYTE_KEYSTORE_DIR", home.resolve("keys").toString());
        env.put("FROSTBYTE_LOCAL_URL_SECRET", "bench-url-secret-".repeat(3));
        env.put("FROSTBYTE_QUEUE_KEY", "bench:" + UUID.randomUUID());
        List<UUID> tenants = new ArrayList<>();
        try (Services services = Services.create(env)) {
            Migrations.apply(services.database());
            UUID source = UUID.randomUUID();
            tenants.add(source);
            List<UUID> ids = seed(services, source, mb, chunksPerDocument);

            double[] export = new double[reps];
            Cpu exportCpu = new Cpu();
            UUID exportId = null;
            for (int r = 0; r < reps; r++) {
                exportCpu.start();
                long t0 = System.nanoTime();
                // The whole tenant, as a selection: the path "export everything" takes.
                exportId = services.exportService().create(source, new CreateExportRequest(io.frostbyte.export.export.Selection.everything(), true),
                        Optional.empty()).job().exportId();
                services.worker().drain(io.frostbyte.export.export.ExportWorker.TimeLeft.UNLIMITED);
                export[r] = seconds(t0);
                exportCpu.stop();
                ExportJob job = services.exportService().get(source, exportId).orElseThrow().job();
                if (job.status() != ExportJob.Status.COMPLETED) throw new IllegalStateException("export did not complete: " + job);
            }
            Path bundle = ((LocalBundleStore) services.store()).path(source, exportId);
            List<TenantPublicKey> keys = services.exportService().publicKeys(source);
            VerificationPolicy policy = VerificationPolicy.of(TrustedKeys.fromArmored(keys.get(0).armoredPublicKey()));
            AtomicLong payload = new AtomicLong();
            double[] verify = new double[reps];
            for (int r = 0; r < reps; r++) {
                payload.set(0);
                long t0 = System.nanoTime();
                VerificationReport report = BundleVerifier.verify(Files.newInputStream(bundle), policy, n -> {},
                        (path, size, content) -> payload.addAndGet(size));
                verify[r] = seconds(t0);
                if (!report.isValid()) throw new IllegalStateException("bundle invalid: " + report.errors());
            }
            double[] gunzip = new double[reps];
            for (int r = 0; r < reps; r++) {
                long t0 = System.nanoTime();
                Process p = new ProcessBuilder("gzip", "-dc", bundle.toString()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (p.waitFor() != 0) throw new IllegalStateException("gzip -dc failed");
                gunzip[r] = seconds(t0);
            }
            double[] read = new double[reps];
            Cpu readCpu = new Cpu();
            for (int r = 0; r < reps; r++) {
                readCpu.start();
                long t0 = System.nanoTime();
                readOnly(services, source);
                read[r] = seconds(t0);
                readCpu.stop();
            }
            Cpu writerCpu = new Cpu();
            double[] writer = writerAlone(bundle, home.resolve("writer.tar.gz"), services.config().compressionLevel(), reps, writerCpu);
            byte[] bytes = Files.readAllBytes(bundle);
            String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
            double[] imports = new double[reps];
            for (int r = 0; r < reps; r++) {
                UUID target = UUID.randomUUID();
                tenants.add(target);
                ImportRequest request = new ImportRequest(bytes.length, sha, List.of(keys.get(0).armoredPublicKey()), Optional.empty(),
                        Optional.empty(), Optional.of(source), false, ImportRequest.OnConflict.FAIL);
                ImportService.Created created = services.importService().create(target, request);
                ImportStore.Ref ref = new ImportStore.Ref(target, created.job().importId());
                Path upload = ((LocalImportStore) services.importStore()).path(ref);
                Files.createDirectories(upload.getParent());
                Files.copy(bundle, upload);
                long t0 = System.nanoTime();
                services.importWorker().uploaded(ImportStore.key(target, ref.importId()));
                imports[r] = seconds(t0);
                ImportJob done = services.importService().get(target, ref.importId()).orElseThrow();
                if (done.status() != ImportJob.Status.COMPLETED) throw new IllegalStateException("import did not complete: " + done);
            }
            double payloadMb = payload.get() / 1e6;
            System.out.printf(Locale.ROOT, "payload: %d documents with %d chunks each, %.1f MB of JSON; bundle %.1f MB; %d cores; median of %d%n",
                    ids.size(), chunksPerDocument, payloadMb, bytes.length / 1e6, Runtime.getRuntime().availableProcessors(), reps);
            System.out.println();
            System.out.println("| path | MB/s | vs export | CPU s per run: this JVM + PostgreSQL |");
            System.out.println("|---|---|---|---|");
            double exportMbps = payloadMb / median(export);
            row("export of the whole tenant: PostgreSQL → signed bundle (ExportWorker)", payloadMb / median(export), exportMbps, exportCpu);
            row("baseline: our writer alone, the same files from memory → bundle file (BundleWriter)", payloadMb / median(writer), exportMbps,
                    writerCpu);
            row("baseline: the export's reads alone, PostgreSQL → row JSON, nothing written (DocumentRepository)", payloadMb / median(read),
                    exportMbps, readCpu);
            System.out.printf(Locale.ROOT, "export / writer alone: %.0f%%; the writer alone keeps %.1f of %d cores busy, so every CPU-second"
                    + " the reads add (JVM + PostgreSQL on these same cores) comes out of the writer's time%n%n",
                    100 * median(writer) / median(export), (writerCpu.jvm() + writerCpu.postgres()) / median(writer),
                    Runtime.getRuntime().availableProcessors());
            System.out.println("| path | MB/s | vs export |");
            System.out.println("|---|---|---|");
            row("import: bundle → verify + stage → PostgreSQL (ImportWorker)", payloadMb / median(imports), exportMbps);
            row("baseline: verify only, no database (BundleVerifier)", payloadMb / median(verify), exportMbps);
            row("baseline: gzip -dc > /dev/null", payloadMb / median(gunzip), exportMbps);
        } finally {
            cleanup(env, tenants);
        }
    }

    /** Reads the whole tenant as the export worker does, and only that: the database's share of an export. */
    static void readOnly(Services services, UUID tenant) throws Exception {
        io.frostbyte.export.db.DocumentRepository documents = new io.frostbyte.export.db.DocumentRepository(services.database());
        long[] bytes = {0};
        documents.inSnapshot(tenant, io.frostbyte.export.export.Documents.Scope.of(io.frostbyte.export.export.Selection.everything()),
                true, snapshot -> {
                    snapshot.chunks(row -> bytes[0] += row.json().length);
                    snapshot.documents(row -> bytes[0] += row.json().length);
                    return bytes[0];
                });
    }

    /** Writes the exported bundle's files again with the writer alone, as the worker configures it; seconds per run. */
    static double[] writerAlone(Path exported, Path out, int level, int reps, Cpu cpu) throws Exception {
        List<UUID> ids = new ArrayList<>();
        List<byte[]> data = new ArrayList<>();
        List<Boolean> isChunk = new ArrayList<>();
        BundleVerifier.verify(Files.newInputStream(exported), VerificationPolicy.of(TrustedKeys.empty()), n -> {}, (path, size, content) -> {
            String name = path.substring(path.indexOf('/') + 1, path.length() - ".json".length());
            ids.add(UUID.fromString(name));
            data.add(content.readAllBytes());
            isChunk.add(path.startsWith("chunks/"));
        });
        int threads = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors())); // as WorkerWiring
        io.frostbyte.export.signing.TenantSigningKey key = io.frostbyte.export.testing.TestKeys.a();
        double[] seconds = new double[reps];
        for (int r = 0; r < reps; r++) {
            cpu.start();
            long t0 = System.nanoTime();
            try (java.io.OutputStream file = Files.newOutputStream(out);
                    io.frostbyte.export.bundle.BundleWriter w = io.frostbyte.export.bundle.BundleWriter.builder()
                            .exportId(UUID.randomUUID()).tenantId(UUID.randomUUID()).createdAt(java.time.Instant.now())
                            .includeChunks(true).signingKey(key).compressionLevel(level).threads(threads).open(file)) {
                // The worker writes chunks first, then documents (one query each); the same order here.
                for (int i = 0; i < ids.size(); i++) if (isChunk.get(i)) w.addChunk(ids.get(i), data.get(i));
                for (int i = 0; i < ids.size(); i++) if (!isChunk.get(i)) w.addDocument(ids.get(i), data.get(i));
                w.finish();
            }
            seconds[r] = seconds(t0);
            cpu.stop();
        }
        Files.deleteIfExists(out);
        return seconds;
    }

    static List<UUID> seed(Services services, UUID tenant, int mb, int chunksPerDocument) throws Exception {
        Corpus corpus = new Corpus(2026);
        int documents = 1000;
        int perDocument = (int) (mb * 1_000_000L / documents);
        List<UUID> ids = new ArrayList<>();
        List<DemoRows.Document> batch = new ArrayList<>();
        for (int i = 0; i < documents; i++) {
            UUID id = corpus.uuid();
            ids.add(id);
            List<String> chunks = new ArrayList<>();
            // Half of each document's bytes in its content, half spread over its chunks.
            for (int k = 0; k < chunksPerDocument; k++) chunks.add(corpus.text(Math.max(1, perDocument / (2 * chunksPerDocument))));
            batch.add(new DemoRows.Document(id, tenant, "Document " + i, "s3://bench/" + i, corpus.text(perDocument / 2),
                    "{\"bench\":true}", chunks));
            if (batch.size() == 100) {
                DemoRows.insert(services.database(), batch);
                batch.clear();
            }
        }
        DemoRows.insert(services.database(), batch);
        return ids;
    }

    static void cleanup(Map<String, String> env, List<UUID> tenants) throws Exception {
        if (tenants.isEmpty()) return;
        try (Services services = Services.create(env); Connection c = services.database().connection()) {
            for (String table : List.of("imported_rows", "chunks", "documents", "imports", "export_jobs", "tenant_keys")) {
                try (PreparedStatement ps = c.prepareStatement("delete from " + table + " where tenant_id = any(?)")) {
                    ps.setArray(1, c.createArrayOf("uuid", tenants.toArray()));
                    ps.executeUpdate();
                }
            }
        }
    }

    static void row(String what, double mbps, double exportMbps, Cpu cpu) {
        System.out.printf(Locale.ROOT, "| %s | %.1f | %.2fx | %.2f + %.2f |%n", what, mbps, mbps / exportMbps, cpu.jvm(), cpu.postgres());
    }

    /**
     * CPU time spent between start and stop, the median over runs: this JVM's, and every PostgreSQL
     * process's on this machine (children's times included, so a backend that ended meanwhile still
     * counts through the postmaster). On machines without /proc the database column stays 0.
     */
    static final class Cpu {
        private final com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        private final List<Double> jvm = new ArrayList<>();
        private final List<Double> postgres = new ArrayList<>();
        private long jvmAt;
        private double postgresAt;

        void start() {
            jvmAt = os.getProcessCpuTime();
            postgresAt = postgresSeconds();
        }

        void stop() {
            jvm.add((os.getProcessCpuTime() - jvmAt) / 1e9);
            postgres.add(postgresSeconds() - postgresAt);
        }

        double jvm() {
            return median(jvm.stream().mapToDouble(Double::doubleValue).toArray());
        }

        double postgres() {
            return median(postgres.stream().mapToDouble(Double::doubleValue).toArray());
        }

        /** utime + stime + cutime + cstime of every process named postgres, from /proc (clock ticks of 1/100 s). */
        static double postgresSeconds() {
            long ticks = 0;
            try (var procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
                for (Path proc : procs) {
                    try {
                        if (!Files.readString(proc.resolve("comm")).strip().equals("postgres")) continue;
                        String stat = Files.readString(proc.resolve("stat"));
                        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        // Fields 14-17 of proc(5), counted from the state field (3) after the command name.
                        for (int i = 11; i <= 14; i++) ticks += Long.parseLong(f[i]);
                    } catch (java.io.IOException | RuntimeException gone) {
                        // The process ended between listing and reading; its time is in its parent's.
                    }
                }
            } catch (java.io.IOException noProc) {
                return 0;
            }
            return ticks / 100.0;
        }
    }

    static void row(String what, double mbps, double exportMbps) {
        System.out.printf(Locale.ROOT, "| %s | %.1f | %.2fx |%n", what, mbps, mbps / exportMbps);
    }

    static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v[v.length / 2];
    }
}
