package io.frostbyte.export.app;

import io.frostbyte.export.keys.TenantKeyStore;
import io.frostbyte.export.queue.JobQueue;
import io.frostbyte.export.storage.BundleStore;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** Port implementations that build their real adapter on first call. */
final class LazyAdapters {
    private LazyAdapters() {}

    record Queue(Lazy<? extends JobQueue> q) implements JobQueue {
        @Override public void push(Message m) { q.get().push(m); }
        @Override public Optional<Taken> take() { return q.get().take(); }
        @Override public void ack(Receipt r) { q.get().ack(r); }
        @Override public void dead(Receipt r) { q.get().dead(r); }
        @Override public List<Taken> processing() { return q.get().processing(); }
        @Override public Set<Message> pending() { return q.get().pending(); }
        @Override public void pushDead(Message m) { q.get().pushDead(m); }
        @Override public long pendingCount() { return q.get().pendingCount(); }
    }

    record Store(Lazy<? extends BundleStore> s) implements BundleStore {
        @Override public Upload begin(UUID tenant, UUID export) throws IOException { return s.get().begin(tenant, export); }
        @Override public DownloadUrl downloadUrl(UUID tenant, UUID export, Duration ttl) throws IOException {
            return s.get().downloadUrl(tenant, export, ttl);
        }
        @Override public void check() throws IOException { s.get().check(); }
    }

    record Keys(Lazy<? extends TenantKeyStore> k) implements TenantKeyStore {
        @Override public Optional<String> get(UUID tenant) throws IOException { return k.get().get(tenant); }
        @Override public String putIfAbsent(UUID tenant, String armoredSecretKey) throws IOException {
            return k.get().putIfAbsent(tenant, armoredSecretKey);
        }
    }
}
