package io.frostbyte.export.queue.redis;

import io.frostbyte.export.queue.JobQueue;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.Optional;

/**
 * Redis lists {@code {key}} (the intake everyone pushes to), {@code {key}:processing} and
 * {@code {key}:dead} (default key {@code export:jobs}), plus, for fairness, one list per tenant
 * ({@code {key}:tenant:{id}}) and the rotation of tenants with work ({@code {key}:ready}).
 * Taking is one Lua script, so atomic: it moves the intake into the tenants' lists, then serves
 * the tenant at the head of the rotation that is under its limit of entries in processing, and
 * sends that tenant to the back. A tenant with thousands of queued exports thus delays another
 * tenant's export by one export per worker, not by thousands.
 */
public final class RedisJobQueue implements JobQueue, AutoCloseable {
    private final io.lettuce.core.resource.ClientResources resources;
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private final RedisCommands<String, String> redis;
    private final String key;
    private final int maxRunningPerTenant;

    /** How many intake entries one take moves into the tenants' lists (each entry moves once). */
    static final int DISTRIBUTE_BATCH = 1000;

    /** Both scripts' reading of a payload: its tenant, lower case, or nil unless it is a UUID. */
    private static final String TENANT_OF = """
            local function tenant(p)
              local ok, m = pcall(cjson.decode, p)
              if ok and type(m) == 'table' and type(m.tenant_id) == 'string'
                  and string.match(m.tenant_id, '^%x%x%x%x%x%x%x%x%-%x%x%x%x%-%x%x%x%x%-%x%x%x%x%-%x%x%x%x%x%x%x%x%x%x%x%x$') then
                return string.lower(m.tenant_id)
              end
              return nil
            end
            """;

    private static final String TAKE = TENANT_OF + """
            local intake, processing, ready = KEYS[1], KEYS[2], KEYS[3]
            local prefix, limit, batch = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
            for i = 1, batch do
              local p = redis.call('LPOP', intake)
              if not p then break end
              local t = tenant(p)
              if not t then
                redis.call('RPUSH', processing, p)
                return p
              end
              if redis.call('RPUSH', prefix .. t, p) == 1 then redis.call('RPUSH', ready, t) end
            end
            local counts = {}
            if limit > 0 then
              for _, p in ipairs(redis.call('LRANGE', processing, 0, -1)) do
                local t = tenant(p)
                if t then counts[t] = (counts[t] or 0) + 1 end
              end
            end
            local n = redis.call('LLEN', ready)
            for i = 1, n do
              local t = redis.call('LPOP', ready)
              if not t then return false end
              if limit > 0 and (counts[t] or 0) >= limit then
                redis.call('RPUSH', ready, t)
              else
                local p = redis.call('LPOP', prefix .. t)
                if p then
                  redis.call('RPUSH', processing, p)
                  if redis.call('LLEN', prefix .. t) > 0 then redis.call('RPUSH', ready, t) end
                  return p
                end
              end
            end
            return false
            """;

    /** Back to the front of its tenant's list (and its tenant to the front of the rotation), or of the intake. */
    private static final String REQUEUE = TENANT_OF + """
            local processing, intake, ready = KEYS[1], KEYS[2], KEYS[3]
            local p, prefix = ARGV[1], ARGV[2]
            if redis.call('LREM', processing, 1, p) ~= 1 then return 0 end
            local t = tenant(p)
            if t then
              if redis.call('LPUSH', prefix .. t, p) == 1 then redis.call('LPUSH', ready, t) end
            else
              redis.call('LPUSH', intake, p)
            end
            return 1
            """;

    public RedisJobQueue(String redisUrl, String key) {
        this(redisUrl, key, 0);
    }

    /** {@code maxRunningPerTenant}: at most this many of a tenant's entries in processing at once; 0 for no limit. */
    public RedisJobQueue(String redisUrl, String key, int maxRunningPerTenant) {
        if (maxRunningPerTenant < 0) throw new IllegalArgumentException("maxRunningPerTenant must be 0 (no limit) or more");
        this.maxRunningPerTenant = maxRunningPerTenant;
        // One I/O and one computation thread and RESP2 (no HELLO round trip): a short-lived function
        // needs a single connection, and every thread and handshake costs cold-start time.
        this.resources = io.lettuce.core.resource.DefaultClientResources.builder()
                .ioThreadPoolSize(1).computationThreadPoolSize(1).build();
        io.lettuce.core.RedisURI uri = io.lettuce.core.RedisURI.create(redisUrl);
        // rediss://: check the certificate chain and that it names the host, whatever the library's default.
        if (uri.isSsl()) uri.setVerifyPeer(io.lettuce.core.SslVerifyMode.FULL);
        this.client = RedisClient.create(resources, uri);
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

    String readyKey() {
        return key + ":ready";
    }

    String tenantPrefix() {
        return key + ":tenant:";
    }

    @Override
    public synchronized void push(Message m) {
        redis.rpush(key, Payloads.encode(m));
    }

    @Override
    public synchronized Optional<Taken> take() {
        String payload = redis.eval(TAKE, ScriptOutputType.VALUE, new String[] {key, processingKey(), readyKey()},
                tenantPrefix(), String.valueOf(maxRunningPerTenant), String.valueOf(DISTRIBUTE_BATCH));
        return Optional.ofNullable(payload).map(RedisJobQueue::taken);
    }

    private static Taken taken(String payload) {
        return new Taken(Payloads.decode(payload), new Receipt(payload));
    }

    @Override
    public synchronized void ack(Receipt receipt) {
        redis.lrem(processingKey(), 1, receipt.token());
    }

    @Override
    public synchronized void requeue(Receipt receipt) {
        redis.eval(REQUEUE, ScriptOutputType.INTEGER, new String[] {processingKey(), key, readyKey()}, receipt.token(), tenantPrefix());
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
        long n = redis.llen(key);
        for (String tenant : redis.lrange(readyKey(), 0, -1)) n += redis.llen(tenantPrefix() + tenant);
        return n;
    }

    /** Every entry waiting: in the intake and in the tenants' lists. */
    @Override
    public synchronized Set<Message> pending() {
        Set<Message> out = new LinkedHashSet<>();
        for (String payload : redis.lrange(key, 0, -1)) Payloads.decode(payload).ifPresent(out::add);
        for (String tenant : redis.lrange(readyKey(), 0, -1)) {
            for (String payload : redis.lrange(tenantPrefix() + tenant, 0, -1)) Payloads.decode(payload).ifPresent(out::add);
        }
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
