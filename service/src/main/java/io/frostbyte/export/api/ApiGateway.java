package io.frostbyte.export.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.frostbyte.export.export.ExportRequestException;
import io.frostbyte.export.imports.ImportRequestException;
import io.frostbyte.export.observability.LogContext;
import io.frostbyte.export.observability.LogFields;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/** Mapping between API Gateway proxy events and the services: caller's tenant, ids, JSON and problems. */
public final class ApiGateway {
    private static final Logger LOG = Logger.getLogger(ApiGateway.class.getName());
    public static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private ApiGateway() {}

    /** One request's work; may end in a problem. */
    public interface Route {
        APIGatewayProxyResponseEvent handle(UUID tenant) throws Exception;
    }

    /**
     * Resolves the caller's tenant (authorizer claim {@code tenant_id}), requires it to equal the
     * path's, runs the route, and turns every failure into a problem response — never a stack trace.
     */
    public static APIGatewayProxyResponseEvent serve(APIGatewayProxyRequestEvent event, Route route) {
        long started = System.nanoTime();
        LogContext.clear();
        String requestId = event.getRequestContext() == null || event.getRequestContext().getRequestId() == null
                ? "-" : event.getRequestContext().getRequestId();
        LogContext.put("request_id", requestId);
        APIGatewayProxyResponseEvent response = null;
        try {
            response = authorizeAndRun(event, route, requestId);
            return response;
        } finally {
            // One line per request: what Logs Insights groups by route, status and tenant.
            LogFields.log(LOG, Level.INFO, "request", "method", event.getHttpMethod(), "route", event.getResource(),
                    "status", response == null ? 500 : response.getStatusCode(),
                    "duration_ms", (System.nanoTime() - started) / 1_000_000);
            LogContext.clear();
        }
    }

    private static APIGatewayProxyResponseEvent authorizeAndRun(APIGatewayProxyRequestEvent event, Route route, String requestId) {
        try {
            if (!issuedToOurClient(event, ALLOWED_CLIENTS)) {
                throw new ApiProblem(403, "Forbidden", "the token was not issued to this service's app client");
            }
            Optional<String> caller = callerTenant(event);
            if (caller.isEmpty()) throw new ApiProblem(401, "Unauthorized", "no tenant_id claim in the request's authorizer context");
            UUID pathTenant = uuid(event, "tenant_id");
            if (!UUID_TEXT.matcher(caller.get()).matches() || !UUID.fromString(caller.get()).equals(pathTenant)) {
                throw new ApiProblem(403, "Forbidden", "the caller may only access its own tenant");
            }
            LogContext.put("tenant_id", pathTenant);
            for (String id : new String[] {"export_id", "import_id"}) {
                String v = event.getPathParameters() == null ? null : event.getPathParameters().get(id);
                if (v != null && UUID_TEXT.matcher(v).matches()) LogContext.put(id, v.toLowerCase(Locale.ROOT));
            }
            return route.handle(pathTenant);
        } catch (ApiProblem p) {
            return problem(p);
        } catch (ExportRequestException e) {
            return problem(problemFor(e));
        } catch (ImportRequestException e) {
            return problem(problemFor(e));
        } catch (Exception | LinkageError e) {
            // Logged for operators with the request id; the caller sees a plain 500 problem.
            LOG.log(Level.SEVERE, "request failed", e);
            return problem(new ApiProblem(500, "Internal Server Error", "the request could not be completed; request id " + requestId));
        }
    }

    /** The HTTP face of a refused request: 400 for a bad body, 413 for a large one, 422 for what the data refuses. */
    static ApiProblem problemFor(ExportRequestException e) {
        return switch (e.kind()) {
            case INVALID_BODY -> new ApiProblem(400, "Invalid request body", e.getMessage(), e.details());
            case BODY_TOO_LARGE -> new ApiProblem(413, "Request body too large", e.getMessage(), e.details());
            case UNKNOWN_DOCUMENTS -> new ApiProblem(422, "Unknown documents", e.getMessage(), e.details());
            case IDEMPOTENCY_CONFLICT -> new ApiProblem(422, "Idempotency-Key reused", e.getMessage(), e.details());
            case SELECTION_EMPTY -> new ApiProblem(422, "Empty selection", e.getMessage(), e.details());
            case SELECTION_TOO_LARGE -> new ApiProblem(422, "Selection too large", e.getMessage(), e.details());
        };
    }

    static ApiProblem problemFor(ImportRequestException e) {
        return switch (e.kind()) {
            case INVALID_BODY -> new ApiProblem(400, "Invalid request body", e.getMessage(), e.details());
            case BODY_TOO_LARGE -> new ApiProblem(413, "Request body too large", e.getMessage(), e.details());
            case BUNDLE_TOO_LARGE -> new ApiProblem(413, "Bundle too large", e.getMessage(), e.details());
        };
    }

    /** The request body as text, decoding API Gateway's base64 form. */
    public static String body(APIGatewayProxyRequestEvent event) throws ApiProblem {
        String body = event.getBody();
        if (body != null && Boolean.TRUE.equals(event.getIsBase64Encoded())) {
            try {
                body = new String(java.util.Base64.getDecoder().decode(body), java.nio.charset.StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new ApiProblem(400, "Invalid request body", "the body is marked base64 but is not valid base64");
            }
        }
        return body;
    }

    /** The body of a request that must carry JSON: a body of another media type is 415. */
    public static String jsonBody(APIGatewayProxyRequestEvent event) throws ApiProblem {
        String body = body(event);
        if (body != null && !body.isEmpty()) {
            String[] parts = header(event, "Content-Type").orElse("").split(";");
            String media = parts[0].trim().toLowerCase(Locale.ROOT);
            // Exactly the one media type the API documents: a +json type (merge-patch, problem) says the
            // body means something else, and acting on it as a plain create would be a guess.
            if (!media.equals("application/json")) {
                throw new ApiProblem(415, "Unsupported Media Type", "send the body as application/json"
                        + (media.isEmpty() ? " (no Content-Type was given)" : ", not " + io.frostbyte.export.bundle.BundleFormat.escapeControls(media, 100)));
            }
            // Its one parameter is charset, and the body is read as UTF-8 only: any other claim would be ignored.
            for (int i = 1; i < parts.length; i++) {
                String p = parts[i].trim();
                if (p.isEmpty()) continue;
                int eq = p.indexOf('=');
                String name = (eq < 0 ? p : p.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
                String value = eq < 0 ? "" : p.substring(eq + 1).trim();
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) value = value.substring(1, value.length() - 1);
                if (!name.equals("charset") || !value.equalsIgnoreCase("utf-8")) {
                    throw new ApiProblem(415, "Unsupported Media Type", "send the body as application/json in UTF-8; the parameter "
                            + io.frostbyte.export.bundle.BundleFormat.escapeControls(p, 100) + " is not accepted");
                }
            }
        }
        return body;
    }

    /**
     * The Cognito app clients whose ID tokens may name a tenant ({@code FROSTBYTE_COGNITO_CLIENT_IDS},
     * comma-separated; the template sets its own client, which cannot write {@code custom:tenant_id}).
     * Empty: no check (the local runner, whose claims come from its own tokens).
     */
    static final java.util.Set<String> ALLOWED_CLIENTS = java.util.Arrays.stream(
            Optional.ofNullable(System.getenv("FROSTBYTE_COGNITO_CLIENT_IDS")).orElse("").split(","))
            .map(String::trim).filter(c -> !c.isEmpty()).collect(java.util.stream.Collectors.toUnmodifiableSet());

    /** The token's audience ({@code aud} of an ID token, {@code client_id} of an access token) is one of {@code allowed}. */
    @SuppressWarnings("unchecked")
    static boolean issuedToOurClient(APIGatewayProxyRequestEvent event, java.util.Set<String> allowed) {
        if (allowed.isEmpty()) return true;
        if (event.getRequestContext() == null || event.getRequestContext().getAuthorizer() == null) return false;
        Object claims = event.getRequestContext().getAuthorizer().get("claims");
        if (!(claims instanceof Map<?, ?> map)) return false;
        for (String name : new String[] {"aud", "client_id"}) {
            Object v = ((Map<String, Object>) map).get(name);
            if (v != null && allowed.contains(v.toString())) return true;
        }
        return false;
    }

    @SuppressWarnings("unchecked")
    static Optional<String> callerTenant(APIGatewayProxyRequestEvent event) {
        if (event.getRequestContext() == null || event.getRequestContext().getAuthorizer() == null) return Optional.empty();
        Map<String, Object> authorizer = event.getRequestContext().getAuthorizer();
        Object claims = authorizer.get("claims");
        if (claims instanceof Map<?, ?> map) {
            for (String name : new String[] {"tenant_id", "custom:tenant_id"}) {
                Object v = ((Map<String, Object>) map).get(name);
                if (v != null) return Optional.of(v.toString());
            }
        }
        Object direct = authorizer.get("tenant_id");
        return direct == null ? Optional.empty() : Optional.of(direct.toString());
    }

    /**
     * The caller's name for the audit trail, if the authorizer grants the administrative right:
     * {@code adminGroup} among the claim {@code cognito:groups} (Cognito sends a list, or its text
     * form {@code [a, b]}), or {@code adminGroup} as a scope in {@code scope}. Otherwise a 403.
     */
    @SuppressWarnings("unchecked")
    public static String requireAdmin(APIGatewayProxyRequestEvent event, String adminGroup) throws ApiProblem {
        Map<String, Object> claims = Map.of();
        if (event.getRequestContext() != null && event.getRequestContext().getAuthorizer() != null
                && event.getRequestContext().getAuthorizer().get("claims") instanceof Map<?, ?> m) {
            claims = (Map<String, Object>) m;
        }
        boolean admin = false;
        Object groups = claims.get("cognito:groups");
        if (groups instanceof java.util.Collection<?> list) {
            admin = list.stream().anyMatch(g -> adminGroup.equals(String.valueOf(g)));
        } else if (groups != null) {
            for (String g : groups.toString().replace("[", "").replace("]", "").split("[,\\s]+")) admin |= g.equals(adminGroup);
        }
        Object scope = claims.get("scope");
        if (scope != null) {
            for (String s : scope.toString().split("\\s+")) admin |= s.equals(adminGroup);
        }
        if (!admin) throw new ApiProblem(403, "Forbidden", "changing keys needs the administrative right (group " + adminGroup + ")");
        for (String name : new String[] {"sub", "cognito:username", "username", "email"}) {
            Object v = claims.get(name);
            if (v != null && !v.toString().isBlank()) return v.toString();
        }
        return "unknown-admin";
    }

    /** A path parameter that must be a UUID; anything else is a 404 (no such resource). */
    public static UUID uuid(APIGatewayProxyRequestEvent event, String name) throws ApiProblem {
        String v = event.getPathParameters() == null ? null : event.getPathParameters().get(name);
        if (v == null || !UUID_TEXT.matcher(v).matches()) {
            throw new ApiProblem(404, "Not Found", name + " must be a UUID");
        }
        return UUID.fromString(v);
    }

    public static Optional<String> header(APIGatewayProxyRequestEvent event, String name) {
        if (event.getHeaders() == null) return Optional.empty();
        for (Map.Entry<String, String> h : event.getHeaders().entrySet()) {
            if (h.getKey().equalsIgnoreCase(name)) return Optional.ofNullable(h.getValue());
        }
        return Optional.empty();
    }

    public static APIGatewayProxyResponseEvent json(int status, Object body) throws Exception {
        return new APIGatewayProxyResponseEvent().withStatusCode(status)
                .withHeaders(Map.of("Content-Type", "application/json", "Cache-Control", "no-store"))
                .withBody(JSON.writeValueAsString(body));
    }

    public static APIGatewayProxyResponseEvent problem(ApiProblem p) {
        ObjectNode body = JSON.createObjectNode();
        body.put("type", "about:blank");
        body.put("title", p.title());
        body.put("status", p.status());
        body.put("detail", p.detail());
        // A stable code to branch on (the title, as an identifier), and the id that finds this request in the log.
        body.put("code", code(p.title()));
        LogContext.get("request_id").filter(id -> !id.equals("-")).ifPresent(id -> body.put("request_id", id));
        p.extensions().forEach((k, v) -> body.set(k, JSON.valueToTree(v)));
        return new APIGatewayProxyResponseEvent().withStatusCode(p.status())
                .withHeaders(Map.of("Content-Type", "application/problem+json", "Cache-Control", "no-store"))
                .withBody(body.toString());
    }

    /** For requests refused before routing (e.g. a method the route does not have). */
    public static APIGatewayProxyResponseEvent problem(int status, String title, String detail) {
        return problem(new ApiProblem(status, title, detail));
    }

    /** "Invalid request body" -> "invalid_request_body": the code each problem title stands for. */
    static String code(String title) {
        return title.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_|_$", "");
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
