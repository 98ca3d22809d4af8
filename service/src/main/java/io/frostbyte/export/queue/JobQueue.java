package io.frostbyte.export.queue;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Port: the reliable work queue. A job is moved atomically from the pending list to a processing
 * list when taken, and removed from there only once the source of truth says it is finished.
 */
public interface JobQueue extends JobPublisher {
    /** A queued job. */
    record Message(UUID exportId, UUID tenantId) {
        public Message {
            Objects.requireNonNull(exportId, "exportId");
            Objects.requireNonNull(tenantId, "tenantId");
        }
    }

    /** The handle of one queue entry, for acknowledging it; only the queue reads it. */
    record Receipt(String token) {
        public Receipt {
            Objects.requireNonNull(token, "token");
        }
    }

    /** A taken (or in-process) entry: its job, empty when the entry is unreadable, and its receipt. */
    record Taken(Optional<Message> message, Receipt receipt) {
        public Taken {
            Objects.requireNonNull(message, "message");
            Objects.requireNonNull(receipt, "receipt");
        }
    }

    @Override
    void push(Message m);

    /** Moves the oldest entry to the processing list and returns it. */
    Optional<Taken> take();

    /** Removes the entry from the processing list: its job is done with. */
    void ack(Receipt receipt);

    /** Moves the entry from the processing list to the dead-letter list. */
    void dead(Receipt receipt);

    /** Puts a taken entry back at the front of the queue, unprocessed (the worker could not start it now). */
    void requeue(Receipt receipt);

    /** The entries taken and not yet acknowledged. */
    List<Taken> processing();

    /** The jobs waiting to be taken. */
    Set<Message> pending();

    /** Dead-letters a job that is not in the processing list. */
    void pushDead(Message m);

    long pendingCount();
}
