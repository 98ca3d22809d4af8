package io.frostbyte.export.local;

import io.frostbyte.export.db.Database;
import io.frostbyte.export.queue.redis.RedisJobQueue;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The real local runner jar in its own process, against the real PostgreSQL and Redis named by the
 * environment ({@code eval "$(scripts/services env)"}), with its own queue key and directories.
 */
final class LocalStack implements AutoCloseable {
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    final int port;
    final Path home;
    final String queueKey;
    final Map<String, UUID> tokens;
    final Map<String, String> env;
    private Process process;
    final Path log;

    private LocalStack(Path home, String queueKey, Map<String, UUID> tokens, Map<String, String> extra) throws IOException {
        this.port = freePort();
        this.home = home;
        this.queueKey = queueKey;
        this.tokens = Map.copyOf(tokens);
        // Kept after the test (target/runner-logs), so scripts/test can scan every runner's log for key material.
        Path logs = Path.of("target", "runner-logs");
        Files.createDirectories(logs);
        this.log = logs.resolve("runner-" + port + "-" + UUID.randomUUID() + ".log");
        Map<String, String> e = new HashMap<>(System.getenv());
        e.put("DATABASE_URL", requireEnv("DATABASE_URL"));
        e.put("REDIS_URL", requireEnv("REDIS_URL"));
        e.put("FROSTBYTE_LOCAL_PORT", String.valueOf(port));
        e.put("FROSTBYTE_LOCAL_HOME", home.toString());
        e.put("FROSTBYTE_QUEUE_KEY", queueKey);
        e.put("FROSTBYTE_TEMPLATE", root().resolve("template.yaml").toString());
        e.put("FROSTBYTE_LOCAL_TOKENS", tokens.entrySet().stream().map(t -> t.getKey() + "=" + t.getValue()).collect(Collectors.joining(",")));
        e.putAll(extra);
        this.env = e;
    }

    static LocalStack start(Path home, Map<String, UUID> tokens, Map<String, String> extra) throws Exception {
        LocalStack s = new LocalStack(home, "test:" + UUID.randomUUID(), tokens, extra);
        s.launch();
        return s;
    }

    /** Another runner on the same database, queue and directories (a second container). */
    LocalStack sibling(Map<String, String> extra) throws Exception {
        Map<String, String> merged = new HashMap<>(extra);
        LocalStack s = new LocalStack(home, queueKey, tokens, merged);
        s.launch();
        return s;
    }

    void launch() throws Exception {
        Path jar = Path.of(System.getProperty("frostbyte.local.jar", "target/frostbyte-local.jar"));
        if (!Files.isRegularFile(jar)) throw new AssertionError("local runner jar missing: " + jar + "; run mvn package first");
        String heap = env.getOrDefault("TEST_RUNNER_HEAP", "512m");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + heap,
                "-jar", jar.toString()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().clear();
        pb.environment().putAll(env);
        process = pb.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) throw new AssertionError("local runner exited: " + Files.readString(log));
            try {
                HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(), HttpResponse.BodyHandlers.discarding());
                return;
            } catch (IOException notYet) {
                Thread.sleep(200);
            }
        }
        throw new AssertionError("local runner did not start in 60 s: " + Files.readString(log));
    }

    Process process() {
        return process;
    }

    static Path root() {
        return Path.of(System.getProperty("frostbyte.root", "..")).toAbsolutePath().normalize();
    }

    static String requireEnv(String name) {
        return io.frostbyte.export.testing.TestDatabase.env(name);
    }

    /** The real PostgreSQL, migrated; fails with how to start it. */
    static Database database() {
        return io.frostbyte.export.testing.TestDatabase.migrated();
    }

    RedisJobQueue queue() {
        return new RedisJobQueue(requireEnv("REDIS_URL"), queueKey);
    }

    String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    HttpResponse<String> send(String method, String path, String token, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) b.header("Authorization", "Bearer " + token);
        if (body != null) b.header("Content-Type", "application/json");
        for (int i = 0; i + 1 < headers.length; i += 2) b.setHeader(headers[i], headers[i + 1]);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws Exception {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) process.destroyForcibly();
        }
    }
}
