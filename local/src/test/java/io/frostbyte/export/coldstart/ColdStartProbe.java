package io.frostbyte.export.coldstart;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import java.lang.management.ManagementFactory;
import java.util.Map;

/**
 * Runs inside a fresh JVM on one function's artifact: constructs the handler (Lambda's init) and
 * invokes it once, then prints {@code handler status jvm_ms init_ms invoke_ms first_response_ms}.
 * Not a test; {@code scripts/coldstart} drives it.
 *
 * <p>Usage: {@code ColdStartProbe HANDLER_CLASS METHOD PATH TENANT [BODY]}
 */
public final class ColdStartProbe {
    private ColdStartProbe() {}

    public static void main(String[] args) throws Exception {
        long mainStart = System.currentTimeMillis();
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        long t0 = System.nanoTime();
        @SuppressWarnings("unchecked")
        RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> handler =
                (RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent>) Class.forName(args[0]).getConstructor().newInstance();
        long t1 = System.nanoTime();
        String tenant = args[3];
        Map<String, String> params = new java.util.HashMap<>();
        String[] parts = args[2].split("/");
        params.put("tenant_id", tenant);
        if (parts.length > 4) params.put(parts[3].equals("imports") ? "import_id" : "export_id", parts[4]);
        APIGatewayProxyRequestEvent.ProxyRequestContext ctx = new APIGatewayProxyRequestEvent.ProxyRequestContext().withRequestId("coldstart");
        ctx.setAuthorizer(Map.of("claims", Map.of("tenant_id", tenant)));
        APIGatewayProxyRequestEvent event = new APIGatewayProxyRequestEvent().withHttpMethod(args[1]).withPath(args[2])
                .withPathParameters(params).withHeaders(Map.of("Content-Type", "application/json"))
                .withBody(args.length > 4 ? args[4] : null).withRequestContext(ctx);
        APIGatewayProxyResponseEvent response = handler.handleRequest(event, (Context) null);
        long t2 = System.nanoTime();
        System.out.printf("%s %d jvm_ms=%d init_ms=%d invoke_ms=%d first_response_ms=%d%n", args[0].substring(args[0].lastIndexOf('.') + 1),
                response.getStatusCode(), mainStart - jvmStart, (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000,
                System.currentTimeMillis() - jvmStart);
        if (response.getStatusCode() >= 500) System.out.println(response.getBody());
        System.exit(0);
    }
}
