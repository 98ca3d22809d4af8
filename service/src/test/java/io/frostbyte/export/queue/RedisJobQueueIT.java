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

    static JobQueue.Message job(UUID tenant) {
        return new JobQueue.Message(UUID.randomUUID(), tenant);
    }

    @Test
    void take_oneTenantsHundredThenAnother_theOtherIsServedNext_andTenantsAlternate() {
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        try (RedisJobQueue q = new RedisJobQueue(TestDatabase.env("REDIS_URL"), "test:" + UUID.randomUUID())) {
            for (int i = 0; i < 100; i++) q.push(job(a));
            JobQueue.Message bJob = job(b);
            q.push(bJob);
            assertEquals(101, q.pendingCount());
            assertEquals(a, q.take().orElseThrow().message().orElseThrow().tenantId(), "A queued first");
            assertEquals(Optional.of(bJob), q.take().orElseThrow().message(), "B's one job comes second, not 101st");
            assertEquals(99, q.pendingCount());
            assertEquals(99, q.pending().size(), "the tenants' lists count as pending (the sweep must see them)");
            int taken = 0;
            while (q.take().isPresent()) taken++;
            assertEquals(99, taken, "every entry is taken once");
            assertEquals(101, q.processing().size());
        }
    }

    @Test
    void take_tenantAtItsRunningLimit_skippedUntilOneFinishes() {
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        try (RedisJobQueue q = new RedisJobQueue(TestDatabase.env("REDIS_URL"), "test:" + UUID.randomUUID(), 2)) {
            for (int i = 0; i < 5; i++) q.push(job(a));
            JobQueue.Taken a1 = q.take().orElseThrow();
            JobQueue.Taken a2 = q.take().orElseThrow();
            assertTrue(q.take().isEmpty(), "A has 2 in processing, its limit; nobody else waits");
            q.push(job(b));
            assertEquals(b, q.take().orElseThrow().message().orElseThrow().tenantId(), "B is not held back by A's limit");
            q.ack(a1.receipt());
            assertEquals(a, q.take().orElseThrow().message().orElseThrow().tenantId(), "a slot freed: A again");
            assertTrue(q.take().isEmpty());
            assertEquals(2, q.pendingCount());
            q.ack(a2.receipt());
        }
    }

    @Test
    void requeue_putsTheEntryBackAtTheFront_andMalformedEntriesPassThroughToTheWorker() {
        UUID a = UUID.randomUUID();
        String key = "test:" + UUID.randomUUID();
        try (RedisJobQueue q = new RedisJobQueue(TestDatabase.env("REDIS_URL"), key)) {
            JobQueue.Message first = job(a);
            q.push(first);
            q.push(job(a));
            JobQueue.Taken t = q.take().orElseThrow();
            q.requeue(t.receipt());
            assertTrue(q.processing().isEmpty());
            assertEquals(Optional.of(first), q.take().orElseThrow().message(), "back at the front");
            io.lettuce.core.RedisClient raw = io.lettuce.core.RedisClient.create(TestDatabase.env("REDIS_URL"));
            try (var c = raw.connect()) {
                c.sync().rpush(key, "{\"export_id\":\"x\",\"tenant_id\":\"../../etc\"}");
            } finally {
                raw.shutdown();
            }
            JobQueue.Taken bad = q.take().orElseThrow();
            assertTrue(bad.message().isEmpty(), "handed to the worker, which dead-letters it");
        }
    }
}
