package io.frostbyte.export.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.frostbyte.export.queue.redis.Payloads;
import io.frostbyte.export.queue.redis.RedisJobQueue;
import io.frostbyte.export.testing.TestDatabase;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Against the real Redis: atomic move to processing, ack, dead letter. */
class RedisJobQueueIT {
    @Test
    void takeAckDead_movesBetweenTheThreeLists() {
        try (RedisJobQueue q = new RedisJobQueue(TestDatabase.env("REDIS_URL"), "test:" + UUID.randomUUID())) {
            JobQueue.Message a = new JobQueue.Message(UUID.randomUUID(), UUID.randomUUID());
            JobQueue.Message b = new JobQueue.Message(UUID.randomUUID(), UUID.randomUUID());
            q.push(a);
            q.push(b);
            assertEquals(2, q.pendingCount());
            JobQueue.Taken first = q.take().orElseThrow();
            assertEquals(Optional.of(a), first.message());
            assertEquals(List.of(first), q.processing());
            assertEquals(1, q.pendingCount());
            q.ack(first.receipt());
            assertTrue(q.processing().isEmpty());
            JobQueue.Taken second = q.take().orElseThrow();
            q.dead(second.receipt());
            assertTrue(q.processing().isEmpty());
            assertEquals(List.of(Payloads.encode(b)), q.deadLetters());
            assertTrue(q.take().isEmpty());
            assertEquals(Optional.of(b), Payloads.decode(second.receipt().token()));
            assertTrue(Payloads.decode("{not json").isEmpty());
        }
    }

    @Test
    void respPublisher_pushes_whatTheWorkerQueueTakes() {
        String key = "test:" + UUID.randomUUID();
        try (RedisJobQueue q = new RedisJobQueue(TestDatabase.env("REDIS_URL"), key);
                io.frostbyte.export.queue.redis.RespJobPublisher p =
                        new io.frostbyte.export.queue.redis.RespJobPublisher(TestDatabase.env("REDIS_URL"), key)) {
            JobQueue.Message m = new JobQueue.Message(UUID.randomUUID(), UUID.randomUUID());
            p.push(m);
            p.push(m);
            assertEquals(2, q.pendingCount());
            assertEquals(Optional.of(m), q.take().orElseThrow().message());
        }
    }

    @Test
    void respPublisher_unreachable_failsWithHostAndPort() {
        io.frostbyte.export.queue.redis.RespJobPublisher p = new io.frostbyte.export.queue.redis.RespJobPublisher("redis://127.0.0.1:1/0", "k");
        var e = org.junit.jupiter.api.Assertions.assertThrows(java.io.UncheckedIOException.class,
                () -> p.push(new JobQueue.Message(UUID.randomUUID(), UUID.randomUUID())));
        assertTrue(e.getMessage().contains("127.0.0.1:1"), e.getMessage());
    }
}
