package io.frostbyte.export.queue;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The reliable work queue: a job is moved atomically from the pending list to a processing list
 * when taken, and removed from there only once PostgreSQL says it is finished.
 */
public interface JobQueue extends JobPublisher {
    /** A queued job. */
    record Message(UUID exportId, UUID tenantId) {
        public String encode() {
            return "{\"export_id\":\"" + exportId + "\",\"tenant_id\":\"" + tenantId + "\"}";
        }

        /** Parses a payload; empty for anything malformed (it is then dropped, PostgreSQL still has the job). */
        public static Optional<Message> decode(String payload) {
            try {
                var node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(payload);
                return Optional.of(new Message(UUID.fromString(node.get("export_id").asText()),
                        UUID.fromString(node.get("tenant_id").asText())));
            } catch (Exception e) {
                return Optional.empty();
            }
        }
    }

    @Override
    void push(Message m);

    /** Moves the oldest job to the processing list and returns its raw payload. */
    Optional<String> take();

    /** Removes one occurrence of {@code payload} from the processing list. */
    void ack(String payload);

    /** Moves a payload from the processing list to the dead-letter list. */
    void dead(String payload);

    List<String> processing();

    /** Payloads waiting to be taken. */
    List<String> pending();

    /** Adds a payload straight to the dead-letter list (for a job that is not in the processing list). */
    void pushDead(String payload);

    long pendingCount();
}
