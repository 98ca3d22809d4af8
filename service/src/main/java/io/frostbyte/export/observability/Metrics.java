package io.frostbyte.export.observability;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * CloudWatch metrics in the embedded metric format: each {@link #emit} writes one JSON document to
 * standard output, which Lambda hands to CloudWatch Logs and CloudWatch turns into metrics, with
 * no API call and no client on the request path. Every metric has the dimension {@code Service}
 * (the stack's name, so two stacks in one account stay apart); the tenant is a property of the
 * document, searchable in Logs Insights, and a dimension ({@code TenantId}) only when
 * {@code FROSTBYTE_METRICS_TENANT_DIMENSION=true}: each tenant then costs one metric per name.
 */
public final class Metrics {
    public enum Unit {
        COUNT("Count"), MILLISECONDS("Milliseconds"), SECONDS("Seconds"), BYTES("Bytes");

        final String cloudWatch;

        Unit(String cloudWatch) {
            this.cloudWatch = cloudWatch;
        }
    }

    /** One value of one metric. */
    public record Metric(String name, Unit unit, double value) {
        private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9]{0,254}");

        public Metric {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(unit, "unit");
            if (!NAME.matcher(name).matches()) throw new IllegalArgumentException("metric name must be alphanumeric: " + name);
            if (Double.isNaN(value) || Double.isInfinite(value)) throw new IllegalArgumentException(name + " is not a finite number");
        }

        public static Metric count(String name, long n) {
            return new Metric(name, Unit.COUNT, n);
        }
    }

    public static final String DEFAULT_NAMESPACE = "FrostbyteExport";
    public static final String DEFAULT_SERVICE = "frostbyte-export";

    private static Metrics standard;

    private final String namespace;
    private final String service;
    private final boolean tenantDimension;
    private final boolean enabled;
    private final Consumer<String> sink;
    private final Clock clock;

    private Metrics(String namespace, String service, boolean tenantDimension, boolean enabled, Consumer<String> sink, Clock clock) {
        this.namespace = Objects.requireNonNull(namespace, "namespace");
        this.service = Objects.requireNonNull(service, "service");
        this.tenantDimension = tenantDimension;
        this.enabled = enabled;
        this.sink = Objects.requireNonNull(sink, "sink");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The process's metrics, configured once from its environment, written to standard output. */
    public static synchronized Metrics standard() {
        if (standard == null) standard = fromEnv(System.getenv(), Logging::write, Clock.systemUTC());
        return standard;
    }

    /**
     * {@code FROSTBYTE_METRICS} ({@code on}|{@code off}, default on), {@code FROSTBYTE_METRICS_NAMESPACE},
     * {@code FROSTBYTE_SERVICE_NAME}, {@code FROSTBYTE_METRICS_TENANT_DIMENSION}.
     */
    public static Metrics fromEnv(Map<String, String> env, Consumer<String> sink, Clock clock) {
        String namespace = Optional.ofNullable(env.get("FROSTBYTE_METRICS_NAMESPACE")).filter(s -> !s.isBlank()).orElse(DEFAULT_NAMESPACE);
        String service = Optional.ofNullable(env.get("FROSTBYTE_SERVICE_NAME")).filter(s -> !s.isBlank()).orElse(DEFAULT_SERVICE);
        boolean tenants = "true".equalsIgnoreCase(env.getOrDefault("FROSTBYTE_METRICS_TENANT_DIMENSION", "false").trim());
        boolean on = !"off".equalsIgnoreCase(env.getOrDefault("FROSTBYTE_METRICS", "on").trim());
        return new Metrics(namespace, service, tenants, on, sink, clock);
    }

    /** Metrics written to {@code sink} (tests read them there). */
    public static Metrics to(Consumer<String> sink, boolean tenantDimension, Clock clock) {
        return new Metrics(DEFAULT_NAMESPACE, DEFAULT_SERVICE, tenantDimension, true, sink, clock);
    }

    /** Writes one document with these metrics; {@link LogContext}'s ids ride along as properties. */
    public void emit(List<Metric> metrics, Optional<UUID> tenant) {
        if (!enabled || metrics.isEmpty()) return;
        boolean byTenant = tenantDimension && tenant.isPresent();
        StringBuilder b = new StringBuilder(384).append("{\"_aws\":{\"Timestamp\":").append(clock.millis())
                .append(",\"CloudWatchMetrics\":[{\"Namespace\":");
        Json.string(b, namespace).append(",\"Dimensions\":[[\"Service\"]").append(byTenant ? ",[\"Service\",\"TenantId\"]" : "")
                .append("],\"Metrics\":[");
        for (int i = 0; i < metrics.size(); i++) {
            if (i > 0) b.append(',');
            b.append("{\"Name\":");
            Json.string(b, metrics.get(i).name()).append(",\"Unit\":");
            Json.string(b, metrics.get(i).unit().cloudWatch).append('}');
        }
        b.append("]}]},");
        Json.string(b, "Service").append(':');
        Json.string(b, service);
        if (byTenant) {
            b.append(',');
            Json.string(b, "TenantId").append(':');
            Json.string(b, tenant.get().toString());
        }
        for (Metric m : metrics) {
            b.append(',');
            Json.string(b, m.name()).append(':');
            b.append(m.value() == Math.rint(m.value()) && Math.abs(m.value()) < 1e15 ? Long.toString((long) m.value()) : Double.toString(m.value()));
        }
        tenant.ifPresent(t -> {
            b.append(',');
            Json.string(b, "tenant_id").append(':');
            Json.string(b, t.toString());
        });
        for (Map.Entry<String, String> e : LogContext.snapshot().entrySet()) {
            if (e.getKey().equals("tenant_id")) continue;
            b.append(',');
            Json.string(b, e.getKey()).append(':');
            Json.string(b, e.getValue());
        }
        sink.accept(b.append("}\n").toString());
    }

    public void emit(Metric metric, Optional<UUID> tenant) {
        emit(List.of(metric), tenant);
    }
}
