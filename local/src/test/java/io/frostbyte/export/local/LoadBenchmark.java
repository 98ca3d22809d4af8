package io.frostbyte.export.local;

import io.frostbyte.export.db.Database;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Load on the local runner (a separate process, as `scripts/run` starts it, with its one worker):
 * N clients create exports for T tenants as fast as the API answers, then every export is awaited.
 * Prints creates/s, create latency p50/p99, and exports/s end to end; as a baseline from the same
 * run, the latency of polling (GET of an export) under the same clients.
 * Usage: {@code scripts/bench load [clients] [tenants] [exports per client]} (default 20 10 10).
 */
public final class LoadBenchmark {
    private LoadBenchmark() {}

    static double percentile(List<Long> sortedNanos, double p) {
        if (sortedNanos.isEmpty()) return 0;
        int i = (int) Math.ceil(p / 100.0 * sortedNanos.size()) - 1;
        return sortedNanos.get(Math.max(0, Math.min(i, sortedNanos.size() - 1))) / 1e6;
    }

    public static void main(String[] args) throws Exception {
        int clients = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int tenantCount = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int perClient = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        Database db = LocalStack.database();
        Map<String, UUID> tokens = new HashMap<>();
        Map<UUID, List<UUID>> docs = new HashMap<>();
        List<UUID> tenants = new ArrayList<>();
        for (int t = 0; t < tenantCount; t++) {
            UUID tenant = UUID.randomUUID();
            tenants.add(tenant);
            tokens.put("t" + t, tenant);
            docs.put(tenant, DemoData.seed(db, tenant, 5, 500 + t));
        }
        Path home = Files.createTempDirectory("frostbyte-load");
        try (LocalStack stack = LocalStack.start(home, tokens, Map.of("TEST_RUNNER_HEAP", "1g"))) {
            ConcurrentLinkedQueue<Long> createNanos = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<Long> pollNanos = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<UUID[]> created = new ConcurrentLinkedQueue<>();
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            long start = System.nanoTime();
            List<Future<?>> work = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int client = c;
                work.add(pool.submit(() -> {
                    for (int i = 0; i < perClient; i++) {
                        int t = (client + i) % tenantCount;
                        UUID tenant = tenants.get(t);
                        long t0 = System.nanoTime();
                        HttpResponse<String> r = stack.send("POST", "/tenants/" + tenant + "/exports", "t" + t,
                                Flows.createBody(docs.get(tenant), true));
                        createNanos.add(System.nanoTime() - t0);
                        if (r.statusCode() != 202) throw new IllegalStateException("create answered " + r.statusCode() + ": " + r.body());
                        UUID export = UUID.fromString(Flows.json(r).get("export_id").asText());
                        created.add(new UUID[] {tenant, export, new UUID(0, t)});
                        long p0 = System.nanoTime();
                        stack.send("GET", "/tenants/" + tenant + "/exports/" + export, "t" + t, null);
                        pollNanos.add(System.nanoTime() - p0);
                    }
                    return null;
                }));
            }
            for (Future<?> f : work) f.get();
            long createsDone = System.nanoTime();
            pool.shutdown();
            int completed = 0;
            for (UUID[] e : created) {
                String token = "t" + e[2].getLeastSignificantBits();
                if ("completed".equals(Flows.await(stack, token, e[0], e[1], 600).get("status").asText())) completed++;
            }
            long allDone = System.nanoTime();
            List<Long> creates = new ArrayList<>(createNanos);
            List<Long> polls = new ArrayList<>(pollNanos);
            Collections.sort(creates);
            Collections.sort(polls);
            double createSeconds = (createsDone - start) / 1e9;
            double totalSeconds = (allDone - start) / 1e9;
            System.out.printf("%nLoad on the local runner: %d clients, %d tenants, %d exports (5 documents with chunks each), %d cores%n",
                    clients, tenantCount, creates.size(), Runtime.getRuntime().availableProcessors());
            System.out.println("| figure | value |");
            System.out.println("|---|---|");
            System.out.printf("| creates/s | %.1f |%n", creates.size() / createSeconds);
            System.out.printf("| create p50 / p99 | %.1f ms / %.1f ms |%n", percentile(creates, 50), percentile(creates, 99));
            System.out.printf("| baseline: poll (GET export) p50 / p99, same clients | %.1f ms / %.1f ms |%n", percentile(polls, 50), percentile(polls, 99));
            System.out.printf("| exports/s, first create to last completion | %.1f (%d of %d completed in %.1f s) |%n",
                    completed / totalSeconds, completed, creates.size(), totalSeconds);
        }
    }
}
