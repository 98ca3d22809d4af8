package io.frostbyte.export.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MetricsTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T04:00:00Z"), ZoneOffset.UTC);
    final List<String> lines = new ArrayList<>();

    @AfterEach
    void clear() {
        LogContext.clear();
    }

    @Test
    void emit_embeddedMetricFormat_everyDeclaredMetricAndDimensionIsAMember() throws Exception {
        UUID tenant = UUID.randomUUID();
        LogContext.put("export_id", "e-1");
        Metrics.to(lines::add, false, CLOCK).emit(List.of(Metrics.Metric.count("ExportsCompleted", 1),
                new Metrics.Metric("ExportDuration", Metrics.Unit.MILLISECONDS, 1234), new Metrics.Metric("ExportBytes", Metrics.Unit.BYTES, 5.5e9)),
                Optional.of(tenant));
        assertEquals(1, lines.size());
        assertTrue(lines.get(0).endsWith("}\n") && lines.get(0).indexOf('\n') == lines.get(0).length() - 1);
        JsonNode doc = JSON.readTree(lines.get(0));
        assertEquals(CLOCK.millis(), doc.at("/_aws/Timestamp").asLong());
        JsonNode directive = doc.at("/_aws/CloudWatchMetrics/0");
        assertEquals(Metrics.DEFAULT_NAMESPACE, directive.get("Namespace").asText());
        assertEquals(1, directive.get("Dimensions").size(), "no tenant dimension unless asked for");
        for (JsonNode set : directive.get("Dimensions")) for (JsonNode d : set) assertTrue(doc.get(d.asText()).isTextual(), d.asText());
        for (JsonNode m : directive.get("Metrics")) assertTrue(doc.get(m.get("Name").asText()).isNumber(), m.toString());
        assertEquals("Milliseconds", directive.at("/Metrics/1/Unit").asText());
        assertEquals(1234, doc.get("ExportDuration").asLong());
        assertEquals(5_500_000_000L, doc.get("ExportBytes").asLong());
        assertEquals(tenant.toString(), doc.get("tenant_id").asText());
        assertEquals("e-1", doc.get("export_id").asText());
        assertFalse(doc.has("TenantId"));
    }

    @Test
    void emit_tenantDimensionOn_addsTheTenantDimensionSet() throws Exception {
        UUID tenant = UUID.randomUUID();
        Metrics.to(lines::add, true, CLOCK).emit(Metrics.Metric.count("ExportsCreated", 1), Optional.of(tenant));
        Metrics.to(lines::add, true, CLOCK).emit(Metrics.Metric.count("QueueDepth", 3), Optional.empty());
        JsonNode byTenant = JSON.readTree(lines.get(0));
        assertEquals("[[\"Service\"],[\"Service\",\"TenantId\"]]", byTenant.at("/_aws/CloudWatchMetrics/0/Dimensions").toString());
        assertEquals(tenant.toString(), byTenant.get("TenantId").asText());
        assertEquals(1, JSON.readTree(lines.get(1)).at("/_aws/CloudWatchMetrics/0/Dimensions").size(), "no tenant, no tenant dimension");
    }

    @Test
    void fromEnv_offNamespaceAndService_honoured() throws Exception {
        Metrics.fromEnv(Map.of("FROSTBYTE_METRICS", "off"), lines::add, CLOCK).emit(Metrics.Metric.count("X", 1), Optional.empty());
        assertTrue(lines.isEmpty());
        Metrics.fromEnv(Map.of("FROSTBYTE_METRICS_NAMESPACE", "Acme/Exports", "FROSTBYTE_SERVICE_NAME", "prod-stack"), lines::add, CLOCK)
                .emit(Metrics.Metric.count("X", 1), Optional.empty());
        JsonNode doc = JSON.readTree(lines.get(0));
        assertEquals("Acme/Exports", doc.at("/_aws/CloudWatchMetrics/0/Namespace").asText());
        assertEquals("prod-stack", doc.get("Service").asText());
    }

    @Test
    void metric_badNameOrValue_refused() {
        assertThrows(IllegalArgumentException.class, () -> Metrics.Metric.count("has space", 1));
        assertThrows(IllegalArgumentException.class, () -> new Metrics.Metric("X", Metrics.Unit.COUNT, Double.NaN));
    }
}
