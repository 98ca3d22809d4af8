package io.frostbyte.export.queue.redis;

import io.frostbyte.export.queue.JobQueue;
import io.lettuce.core.LMoveArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.Optional;

/**
 * Redis lists {@code {key}}, {@code {key}:processing} and {@code {key}:dead} (default key
 * {@code export:jobs}). Taking is an atomic {@code LMOVE} into the processing list.
 */
public final class RedisJobQueue implements JobQueue, AutoCloseable {
    private final io.lettuce.core.resource.ClientResources resources;
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private final RedisCommands<String, String> redis;
    private final String key;

    public RedisJobQueue(String redisUrl, String key) {
        // One I/O and one computation thread and RESP2 (no HELLO round trip): a short-lived function
        // needs a single connection, and every thread and handshake costs cold-start time.
        this.resources = io.lettuce.core.resource.DefaultClientResources.builder()
                .ioThreadPoolSize(1).computationThreadPoolSize(1).build();
        this.client = RedisClient.create(resources, redisUrl);
        client.setOptions(io.lettuce.core.ClientOptions.builder()
                .protocolVersion(io.lettuce.core.protocol.ProtocolVersion.RESP2).build());
        this.connection = client.connect();
        this.redis = connection.sync();
        this.key = key;
    }

    public String processingKey() {
        return key + ":processing";
    }

    public String deadKey() {
        return key + ":dead";
    }

    @Override
    public synchronized void push(Message m) {
        redis.rpush(key, Payloads.encode(m));
    }

    @Override
    public synchronized Optional<Taken> take() {
        return Optional.ofNullable(redis.lmove(key, processingKey(), LMoveArgs.Builder.leftRight())).map(RedisJobQueue::taken);
    }

    private static Taken taken(String payload) {
        return new Taken(Payloads.decode(payload), new Receipt(payload));
    }

    @Override
    public synchronized void ack(Receipt receipt) {
        redis.lrem(processingKey(), 1, receipt.token());
    }

    @Override
    public synchronized void dead(Receipt receipt) {
        redis.rpush(deadKey(), receipt.token());
        redis.lrem(processingKey(), 1, receipt.token());
    }

    @Override
    public synchronized List<Taken> processing() {
        return redis.lrange(processingKey(), 0, -1).stream().map(RedisJobQueue::taken).toList();
    }

    @Override
    public synchronized long pendingCount() {
        return redis.llen(key);
    }

    @Override
    public synchronized Set<Message> pending() {
        Set<Message> out = new LinkedHashSet<>();
        for (String payload : redis.lrange(key, 0, -1)) Payloads.decode(payload).ifPresent(out::add);
        return out;
    }

    @Override
    public synchronized void pushDead(Message m) {
        redis.rpush(deadKey(), Payloads.encode(m));
    }

    /** The raw dead-letter entries, for operators and tests. */
    public synchronized List<String> deadLetters() {
        return redis.lrange(deadKey(), 0, -1);
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown();
        resources.shutdown();
    }
}
