package io.frostbyte.export.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.frostbyte.export.api.ApiGateway;
import io.frostbyte.export.app.Services;
import io.frostbyte.export.config.ConfigException;
import io.frostbyte.export.export.ExportService;
import io.frostbyte.export.export.ExportWorker;
import io.frostbyte.export.imports.ImportService;
import io.frostbyte.export.imports.ImportWorker;
import io.frostbyte.export.keys.KeyAdministration;
import io.frostbyte.export.storage.local.LocalBundleStore;
import io.frostbyte.export.storage.local.LocalImportStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Constructor;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import io.frostbyte.export.observability.LogFields;
import io.frostbyte.export.observability.Logging;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Serves the SAM template's API routes on 127.0.0.1 with the same handler classes, building the
 * API Gateway events the real service gets (the bearer token's tenant as the authorizer claim),
 * runs the worker on the template's schedule and right after each create, migrates the database
 * at start, and serves completed bundles through expiring signed URLs.
 *
 * <p>Over 300 lines on purpose: it stands in for API Gateway, the authorizer, EventBridge and the
 * S3 pre-signed GET at once, and each stand-in is a few dozen lines that only make sense together.
 */
public final class LocalRunner {
    private static final Logger LOG = Logger.getLogger(LocalRunner.class.getName());

    private record Bound(String method, Pattern pattern, List<String> params, String resource, String function,
            int timeoutSeconds, RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> handler) {}

    private final Services services;
    /** Who a bearer token stands for: a tenant, with or without the administrative right. */
    record Caller(UUID tenant, boolean admin, String name) {}

    private final Map<String, Caller> tokens;
    private final List<Bound> routes = new ArrayList<>();
    private final List<RequestHandler<Map<String, Object>, Map<String, Object>>> workers = new ArrayList<>();
    /** Functions that S3 would invoke on ObjectCreated, with their key prefixes. */
    private final Map<String, RequestHandler<Map<String, Object>, Map<String, Object>>> uploadHandlers = new HashMap<>();
    private final ExecutorService uploadRuns = Executors.newSingleThreadExecutor(r -> daemon(r, "local-upload-event"));
    private final ExecutorService workerRuns = Executors.newSingleThreadExecutor(r -> daemon(r, "local-worker"));
    private final ScheduledExecutorService schedule = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "local-schedule"));
    private final AtomicBoolean runQueued = new AtomicBoolean();
    private HttpServer server;
    private final java.time.Duration workerDelay;

    LocalRunner(Services services, Template template, Map<String, Caller> tokens) throws ReflectiveOperationException {
        this(services, template, tokens, java.time.Duration.ZERO);
    }

    /** {@code workerDelay}: how long after a create the worker starts, as the schedule's latency would make it in AWS. */
    LocalRunner(Services services, Template template, Map<String, Caller> tokens, java.time.Duration workerDelay)
            throws ReflectiveOperationException {
        this(services, template, tokens, workerDelay, java.util.Optional.empty());
    }

    /** {@code scheduleEvery}: run the scheduled functions this often instead of the template's rate (tests of retries use seconds). */
    LocalRunner(Services services, Template template, Map<String, Caller> tokens, java.time.Duration workerDelay,
            java.util.Optional<java.time.Duration> scheduleEvery) throws ReflectiveOperationException {
        this.services = services;
        this.workerDelay = workerDelay;
        this.tokens = Map.copyOf(tokens);
        for (Template.Function f : template.functions()) {
            if (f.routes().isEmpty() && f.schedule().isEmpty() && f.s3Prefix().isEmpty()) continue; // e.g. the deploy-time migration
            Object handler = instantiate(f.handlerClass());
            for (Template.Route r : f.routes()) routes.add(bind(r, f, handler));
            if (f.s3Prefix().isPresent()) {
                @SuppressWarnings("unchecked")
                RequestHandler<Map<String, Object>, Map<String, Object>> u = (RequestHandler<Map<String, Object>, Map<String, Object>>) handler;
                uploadHandlers.put(f.s3Prefix().get(), u);
            }
            if (f.schedule().isPresent()) {
                @SuppressWarnings("unchecked")
                RequestHandler<Map<String, Object>, Map<String, Object>> w = (RequestHandler<Map<String, Object>, Map<String, Object>>) handler;
                workers.add(w);
                long every = scheduleEvery.orElse(f.schedule().get()).toSeconds();
                int timeout = f.timeoutSeconds();
                schedule.scheduleAtFixedRate(() -> triggerWorker(timeout), every, every, TimeUnit.SECONDS);
            }
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private Object instantiate(String className) throws ReflectiveOperationException {
        Class<?> type = Class.forName(className);
        for (Constructor<?> c : type.getConstructors()) {
            Class<?>[] p = c.getParameterTypes();
            if (p.length == 1 && p[0] == ExportService.class) return c.newInstance(services.exportService());
            if (p.length == 1 && p[0] == ExportWorker.class) return c.newInstance(services.worker());
            if (p.length == 1 && p[0] == ImportService.class) return c.newInstance(services.importService());
            if (p.length == 1 && p[0] == ImportWorker.class) return c.newInstance(services.importWorker());
            if (p.length == 1 && p[0] == KeyAdministration.class) return c.newInstance(services.keyAdministration());
        }
        throw new NoSuchMethodException(className + " has no constructor taking ExportService, ExportWorker, ImportService or ImportWorker");
    }

    @SuppressWarnings("unchecked")
    private static Bound bind(Template.Route r, Template.Function f, Object handler) {
        List<String> params = new ArrayList<>();
        Matcher m = Pattern.compile("\\{([^}]+)}").matcher(r.path());
        StringBuilder regex = new StringBuilder();
        int last = 0;
        while (m.find()) {
            regex.append(Pattern.quote(r.path().substring(last, m.start()))).append("([^/]+)");
            params.add(m.group(1));
            last = m.end();
        }
        regex.append(Pattern.quote(r.path().substring(last)));
        return new Bound(r.method(), Pattern.compile(regex.toString()), params, r.path(), f.name(), f.timeoutSeconds(),
                (RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent>) handler);
    }

    /** A worker run after the configured delay (none by default), as the asynchronous invoke or the schedule would start it. */
    void workerSoon() {
        if (workerDelay.isZero()) triggerWorker(900);
        else schedule.schedule(() -> triggerWorker(900), workerDelay.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Queues one worker run unless one is already waiting; runs never overlap. */
    void triggerWorker(int timeoutSeconds) {
        if (!runQueued.compareAndSet(false, true)) return;
        workerRuns.submit(() -> {
            runQueued.set(false);
            for (var w : workers) {
                try {
                    Map<String, Object> result = w.handleRequest(Map.of("source", "local"), new LocalContext("ExportWorker", timeoutSeconds * 1000L));
                    if (!"0".equals(String.valueOf(result.get("completed"))) || !"0".equals(String.valueOf(result.get("failed")))) {
                        LogFields.log(LOG, Level.INFO, "worker run", "result", result);
                    }
                } catch (RuntimeException | Error e) {
                    LOG.log(Level.WARNING, "worker run failed", e);
                }
            }
        });
    }

    void start(String host, int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress(host, port), 64);
        server.setExecutor(Executors.newFixedThreadPool(16, r -> daemon(r, "local-http")));
        server.createContext("/", this::handle);
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    void stop() {
        if (server != null) server.stop(0);
        schedule.shutdownNow();
        workerRuns.shutdownNow();
        uploadRuns.shutdownNow();
    }

    private void handle(HttpExchange ex) throws IOException {
        // One id per request, in every problem the runner answers itself as in the handlers' (API Gateway's requestId).
        String requestId = UUID.randomUUID().toString();
        io.frostbyte.export.observability.LogContext.clear();
        io.frostbyte.export.observability.LogContext.put("request_id", requestId);
        try {
            String path = ex.getRequestURI().getRawPath();
            if (path.startsWith("/_local/bundles/")) {
                serveBundle(ex, path);
                return;
            }
            if (path.startsWith(LocalImportStore.PATH_PREFIX)) {
                acceptUpload(ex, path);
                return;
            }
            // HEAD is a GET without the body, as API Gateway answers it.
            String method = ex.getRequestMethod().equals("HEAD") ? "GET" : ex.getRequestMethod();
            java.util.TreeSet<String> allowed = new java.util.TreeSet<>();
            for (Bound b : routes) {
                Matcher m = b.pattern().matcher(path);
                if (!m.matches()) continue;
                allowed.add(b.method());
                if (b.method().equals("GET")) allowed.add("HEAD");
                if (!b.method().equals(method)) continue;
                Map<String, String> params = new HashMap<>();
                try {
                    for (int i = 0; i < b.params().size(); i++) {
                        params.put(b.params().get(i), URLDecoder.decode(m.group(i + 1), StandardCharsets.UTF_8));
                    }
                } catch (IllegalArgumentException malformedEscape) {
                    send(ex, ApiGateway.problem(404, "Not Found", "the path holds a malformed %-escape"));
                    return;
                }
                invoke(ex, b, params);
                return;
            }
            if (!allowed.isEmpty()) ex.getResponseHeaders().set("Allow", String.join(", ", allowed));
            send(ex, !allowed.isEmpty()
                    ? ApiGateway.problem(405, "Method Not Allowed", ex.getRequestMethod() + " is not allowed on " + path)
                    : ApiGateway.problem(404, "Not Found", "no route for " + path));
        } catch (RuntimeException e) {
            // The handler's own serve() may have cleared the context on its way out.
            io.frostbyte.export.observability.LogContext.put("request_id", requestId);
            LOG.log(Level.SEVERE, "local runner failed a request", e);
            send(ex, ApiGateway.problem(500, "Internal Server Error", "the local runner failed this request"));
        } finally {
            io.frostbyte.export.observability.LogContext.clear();
            ex.close();
        }
    }

    private void invoke(HttpExchange ex, Bound b, Map<String, String> params) throws IOException {
        String auth = Optional.ofNullable(ex.getRequestHeaders().getFirst("Authorization")).orElse("");
        Caller caller = auth.regionMatches(true, 0, "Bearer ", 0, 7) ? tokens.get(auth.substring(7).trim()) : null;
        if (caller == null) {
            // What API Gateway's authorizer does for a missing or unknown token.
            send(ex, ApiGateway.problem(401, "Unauthorized", "a valid bearer token is required"));
            return;
        }
        byte[] body;
        try (InputStream in = ex.getRequestBody()) {
            body = in.readNBytes(1024 * 1024 + 1);
        }
        if (body.length > 1024 * 1024) {
            send(ex, ApiGateway.problem(413, "Request body too large", "the request body is over 1 MiB; request bodies may have at most 256 KiB"));
            return;
        }
        Map<String, String> headers = new HashMap<>();
        ex.getRequestHeaders().forEach((k, v) -> headers.put(k, String.join(",", v)));
        Map<String, String> query = new HashMap<>();
        String rawQuery = ex.getRequestURI().getRawQuery();
        if (rawQuery != null) {
            try {
                for (String pair : rawQuery.split("&")) {
                    String[] kv = pair.split("=", 2);
                    query.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
                }
            } catch (IllegalArgumentException malformedEscape) {
                // API Gateway refuses such a query string before any function runs.
                send(ex, ApiGateway.problem(400, "Bad Request", "the query string holds a malformed %-escape"));
                return;
            }
        }
        APIGatewayProxyRequestEvent.ProxyRequestContext context = new APIGatewayProxyRequestEvent.ProxyRequestContext()
                .withRequestId(io.frostbyte.export.observability.LogContext.get("request_id").orElse(UUID.randomUUID().toString()))
                .withStage("local")
                .withHttpMethod(b.method())
                .withResourcePath(b.resource());
        // The claims a Cognito authorizer passes: the tenant, the user, and the groups (the administrative right).
        Map<String, Object> claims = new HashMap<>(Map.of("tenant_id", caller.tenant().toString(), "sub", caller.name()));
        if (caller.admin()) claims.put("cognito:groups", services.config().adminGroup());
        context.setAuthorizer(Map.of("claims", claims));
        String text;
        try {
            // Strictly: a lenient decode would hand the handler U+FFFD where the client sent other bytes.
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(body)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            send(ex, ApiGateway.problem(400, "Bad Request", "the request body is not valid UTF-8"));
            return;
        }
        APIGatewayProxyRequestEvent event = new APIGatewayProxyRequestEvent()
                .withHttpMethod(b.method())
                .withPath(ex.getRequestURI().getRawPath())
                .withResource(b.resource())
                .withPathParameters(params)
                .withHeaders(headers)
                .withQueryStringParameters(query.isEmpty() ? null : query)
                .withBody(body.length == 0 ? null : text)
                .withIsBase64Encoded(false)
                .withRequestContext(context);
        APIGatewayProxyResponseEvent response = b.handler().handleRequest(event, new LocalContext(b.function(), b.timeoutSeconds() * 1000L));
        send(ex, response);
        if ("POST".equals(b.method()) && response.getStatusCode() == 202) workerSoon();
    }

    private void serveBundle(HttpExchange ex, String path) throws IOException {
        Map<String, String> q = new HashMap<>();
        String raw = Optional.ofNullable(ex.getRequestURI().getRawQuery()).orElse("");
        for (String pair : raw.split("&")) {
            String[] kv = pair.split("=", 2);
            if (kv.length == 2) q.put(kv[0], kv[1]);
        }
        Optional<Path> file = services.store() instanceof LocalBundleStore local
                ? local.resolve(path, q.getOrDefault("expires", ""), q.getOrDefault("signature", ""))
                : Optional.empty();
        if (file.isEmpty() || !"GET".equals(ex.getRequestMethod())) {
            send(ex, ApiGateway.problem(403, "Forbidden", "the download URL is invalid or has expired; poll the export for a fresh one"));
            return;
        }
        String name = file.get().getFileName().toString();
        ex.getResponseHeaders().set("Content-Type", "application/gzip");
        ex.getResponseHeaders().set("Content-Disposition", "attachment; filename=\"" + name + "\"");
        ex.sendResponseHeaders(200, Files.size(file.get()));
        try (OutputStream out = ex.getResponseBody()) {
            Files.copy(file.get(), out);
        }
    }

    /** The pre-signed PUT of S3, then its ObjectCreated event to the function the template subscribes. */
    private void acceptUpload(HttpExchange ex, String path) throws IOException {
        if (!"PUT".equals(ex.getRequestMethod()) || !(services.importStore() instanceof LocalImportStore store)) {
            send(ex, ApiGateway.problem(405, "Method Not Allowed", "upload URLs take PUT"));
            return;
        }
        Map<String, String> q = new HashMap<>();
        String raw = Optional.ofNullable(ex.getRequestURI().getRawQuery()).orElse("");
        try {
            for (String pair : raw.split("&")) {
                String[] kv = pair.split("=", 2);
                if (kv.length == 2) q.put(kv[0], URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
            }
        } catch (IllegalArgumentException malformedEscape) {
            send(ex, ApiGateway.problem(400, "Bad Request", "the query string holds a malformed %-escape"));
            return;
        }
        long length = -1;
        String declared = ex.getRequestHeaders().getFirst("Content-Length");
        if (declared != null) {
            try {
                length = Long.parseLong(declared.trim());
            } catch (NumberFormatException e) {
                send(ex, ApiGateway.problem(400, "Bad Request", "Content-Length is not a number"));
                return;
            }
        }
        String key;
        try (InputStream body = ex.getRequestBody()) {
            key = store.accept(path, q, length, body);
        } catch (LocalImportStore.Refused e) {
            send(ex, ApiGateway.problem(e.status(), e.status() == 403 ? "Forbidden" : "Bad Request", e.getMessage()));
            return;
        }
        ex.sendResponseHeaders(200, -1);
        uploaded(key);
    }

    /** What S3 does after an upload: an ObjectCreated event to every function subscribed to the key's prefix. */
    void uploaded(String key) {
        uploadHandlers.forEach((prefix, handler) -> {
            if (!key.startsWith(prefix)) return;
            Map<String, Object> event = Map.of("Records", List.of(Map.of("eventSource", "aws:s3", "eventName", "ObjectCreated:Put",
                    "s3", Map.of("bucket", Map.of("name", "local"), "object", Map.of("key", key)))));
            uploadRuns.submit(() -> {
                try {
                    LOG.info("upload event " + key + ": " + handler.handleRequest(event, new LocalContext("ImportWorker", 900_000L)));
                } catch (RuntimeException | Error e) {
                    LOG.log(Level.WARNING, "upload event " + key + " failed", e);
                }
            });
        });
    }

    private static void send(HttpExchange ex, APIGatewayProxyResponseEvent r) throws IOException {
        if (r.getHeaders() != null) r.getHeaders().forEach((k, v) -> ex.getResponseHeaders().set(k, v));
        byte[] body = r.getBody() == null ? new byte[0] : r.getBody().getBytes(StandardCharsets.UTF_8);
        if (ex.getRequestMethod().equals("HEAD")) {
            ex.getResponseHeaders().set("Content-Length", String.valueOf(body.length));
            ex.sendResponseHeaders(r.getStatusCode(), -1);
            return;
        }
        ex.sendResponseHeaders(r.getStatusCode(), body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /**
     * Parses {@code token=tenant-uuid,token2=tenant-uuid:admin}: {@code :admin} gives the token the
     * administrative right (the authorizer's admin group). The audit trail names a local caller by
     * position ({@code local-token-2}), never by its token.
     */
    static Map<String, Caller> parseTokens(String spec) {
        Map<String, Caller> map = new HashMap<>();
        if (spec == null || spec.isBlank()) return map;
        int n = 0;
        for (String pair : spec.split(",")) {
            n++;
            String[] kv = pair.trim().split("=", 2);
            try {
                if (kv.length != 2 || kv[0].isBlank()) throw new IllegalArgumentException();
                String value = kv[1].trim();
                boolean admin = value.endsWith(":admin");
                UUID tenant = UUID.fromString(admin ? value.substring(0, value.length() - ":admin".length()) : value);
                map.put(kv[0].trim(), new Caller(tenant, admin, "local-token-" + n));
            } catch (IllegalArgumentException e) {
                throw new ConfigException("FROSTBYTE_LOCAL_TOKENS must be token=tenant-uuid[:admin],...; entry " + n + " is not");
            }
        }
        return map;
    }

    /** The environment the local runner gives the handlers: local storage and keys unless set otherwise. */
    static Map<String, String> localEnv(Map<String, String> env, int port) {
        Map<String, String> e = new HashMap<>(env);
        Path home = Path.of(env.getOrDefault("FROSTBYTE_LOCAL_HOME", ".local")).toAbsolutePath();
        e.putIfAbsent("FROSTBYTE_STORAGE", "local");
        e.putIfAbsent("EXPORT_STORAGE_PATH", home.resolve("bundles").toString());
        e.putIfAbsent("FROSTBYTE_KEYSTORE", "local");
        e.putIfAbsent("FROSTBYTE_KEYSTORE_DIR", home.resolve("keys").toString());
        e.putIfAbsent("FROSTBYTE_LOCAL_BASE_URL", "http://127.0.0.1:" + port);
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        e.putIfAbsent("FROSTBYTE_LOCAL_URL_SECRET", HexFormat.of().formatHex(secret));
        return e;
    }

    /** FROSTBYTE_LOCAL_PORT: 0 (any free port) to 65535. */
    static int port(String v) throws ConfigException {
        try {
            int port = Integer.parseInt(v.trim());
            if (port < 0 || port > 65_535) throw new NumberFormatException();
            return port;
        } catch (NumberFormatException e) {
            throw new ConfigException("FROSTBYTE_LOCAL_PORT must be a port number from 0 to 65535, not '" + v + "'");
        }
    }

    /** A variable of whole seconds from {@code min} to 3600; empty when unset. */
    private static java.util.Optional<java.time.Duration> seconds(Map<String, String> env, String name, long min) throws ConfigException {
        String v = env.get(name);
        if (v == null || v.isBlank()) return java.util.Optional.empty();
        try {
            long seconds = Long.parseLong(v.trim());
            if (seconds < min || seconds > 3600) throw new NumberFormatException();
            return java.util.Optional.of(java.time.Duration.ofSeconds(seconds));
        } catch (NumberFormatException e) {
            throw new ConfigException(name + " must be a whole number of seconds from " + min + " to 3600, not '" + v + "'");
        }
    }

    public static void main(String[] args) {
        // Netty (under Lettuce) would otherwise make newer JDKs print multi-line warnings about sun.misc.Unsafe
        // to standard error, outside the runner's JSON log lines; its heap buffers serve a local runner as well.
        System.setProperty("io.netty.noUnsafe", "true");
        Logging.install(System.getenv());
        try {
            Map<String, String> env = System.getenv();
            int port = port(env.getOrDefault("FROSTBYTE_LOCAL_PORT", "3000"));
            Path templateFile = Path.of(env.getOrDefault("FROSTBYTE_TEMPLATE", "template.yaml"));
            if (!Files.isRegularFile(templateFile)) {
                throw new ConfigException("template " + templateFile.toAbsolutePath() + " not found; run from the project root or set FROSTBYTE_TEMPLATE");
            }
            Map<String, Caller> tokens = parseTokens(env.get("FROSTBYTE_LOCAL_TOKENS"));
            Services services = Services.create(localEnv(env, port));
            io.frostbyte.export.db.Migrations.apply(services.database());
            try {
                services.store().check();
            } catch (IOException e) {
                throw new ConfigException(e.getMessage());
            }
            LocalRunner runner = new LocalRunner(services, Template.read(templateFile), tokens,
                    seconds(env, "FROSTBYTE_LOCAL_WORKER_DELAY_SECONDS", 0).orElse(java.time.Duration.ZERO),
                    seconds(env, "FROSTBYTE_LOCAL_SCHEDULE_SECONDS", 1));
            runner.start("127.0.0.1", port);
            LogFields.log(LOG, Level.INFO, "serving", "template", templateFile, "url", "http://127.0.0.1:" + runner.port(),
                    "routes", runner.routes.size(), "tokens", tokens.size());
            runner.workerSoon();
        } catch (ConfigException e) {
            LogFields.log(LOG, Level.SEVERE, "configuration: " + e.getMessage());
            System.exit(78);
        } catch (Exception e) {
            LOG.log(Level.SEVERE, "cannot start: " + e, e);
            System.exit(1);
        }
    }
}
