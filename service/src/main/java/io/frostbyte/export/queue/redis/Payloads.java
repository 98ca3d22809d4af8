package io.frostbyte.export.queue.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.frostbyte.export.queue.JobQueue;
import java.util.Optional;
import java.util.UUID;

/** The JSON text of a job in the Redis lists: {@code {"export_id": ..., "tenant_id": ...}}. */
public final class Payloads {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Payloads() {}

    public static String encode(JobQueue.Message m) {
        return "{\"export_id\":\"" + m.exportId() + "\",\"tenant_id\":\"" + m.tenantId() + "\"}";
    }

    /** Parses a payload; empty for anything malformed (it is then dead-lettered; PostgreSQL still has the job). */
    public static Optional<JobQueue.Message> decode(String payload) {
        try {
            JsonNode node = JSON.readTree(payload);
            return Optional.of(new JobQueue.Message(UUID.fromString(node.get("export_id").asText()),
                    UUID.fromString(node.get("tenant_id").asText())));
        } catch (Exception e) {
            return Optional.empty();
        }
    }
}
