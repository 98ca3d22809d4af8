package io.frostbyte.export.testing;

import io.frostbyte.export.signing.RevocationReason;

import io.frostbyte.export.bundle.BundleSummary;
import io.frostbyte.export.export.Documents;
import io.frostbyte.export.export.ExportJob;
import io.frostbyte.export.export.ExportJobs;
import io.frostbyte.export.export.StoreException;
import io.frostbyte.export.keys.TenantKeyStore;
import io.frostbyte.export.keys.TenantKeys;
import io.frostbyte.export.keys.TenantPublicKey;
import io.frostbyte.export.queue.JobQueue;
import io.frostbyte.export.signing.KeyMaterialException;
import io.frostbyte.export.storage.BundleStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * In-memory implementations of the service's ports, with the semantics of the real adapters
 * (tenant filtering, leases, idempotency), so the services are unit-tested in milliseconds.
 */
public final class InMemory {
    /** PostgreSQL orders uuids as their text does; UUID.compareTo does not. */
    private static final java.util.Comparator<UUID> BY_TEXT = java.util.Comparator.comparing(UUID::toString);

    private InMemory() {}

    /** Documents (with their chunks) per tenant; rows are served in id order, as PostgreSQL does. */
    public static final class Docs implements Documents {
        private final Map<UUID, Map<UUID, byte[]>> documents = new HashMap<>();
        private final Map<UUID, Map<UUID, Map<UUID, byte[]>>> chunks = new HashMap<>();
        public boolean failReads;

        public UUID add(UUID tenant, String content, int chunkCount) {
            return add(tenant, UUID.randomUUID(), content, chunkCount);
        }

        public UUID add(UUID tenant, UUID id, String content, int chunkCount) {
            documents.computeIfAbsent(tenant, t -> new TreeMap<>(BY_TEXT)).put(id,
                    ("{\"id\":\"" + id + "\",\"content\":\"" + content + "\"}").getBytes(StandardCharsets.UTF_8));
            for (int i = 0; i < chunkCount; i++) {
                UUID chunk = UUID.randomUUID();
                chunks.computeIfAbsent(tenant, t -> new HashMap<>()).computeIfAbsent(id, d -> new TreeMap<>(BY_TEXT)).put(chunk,
                        ("{\"chunk_id\":\"" + chunk + "\",\"index\":" + i + "}").getBytes(StandardCharsets.UTF_8));
            }
            return id;
        }

        @Override
        public Set<UUID> existing(UUID tenant, Collection<UUID> ids) {
            Set<UUID> out = new HashSet<>(ids);
            out.retainAll(documents.getOrDefault(tenant, Map.of()).keySet());
            return out;
        }

        @Override
        public Counts count(UUID tenant, io.frostbyte.export.export.Selection selection) {
            requireAll(selection);
            long chunkCount = chunks.getOrDefault(tenant, Map.of()).values().stream().mapToLong(Map::size).sum();
            return new Counts(documents.getOrDefault(tenant, Map.of()).size(), chunkCount);
        }

        @Override
        public <T> T inSnapshot(UUID tenant, Scope scope, boolean includeChunks, SnapshotReader<T> reader) throws Exception {
            if (failReads) throw new StoreException("reading documents: connection refused", new IOException("refused"));
            Map<UUID, byte[]> docs = new TreeMap<>(BY_TEXT);
            docs.putAll(documents.getOrDefault(tenant, Map.of()));
            if (scope.selection().isEmpty()) docs.keySet().retainAll(scope.ids());
            else requireAll(scope.selection().get());
            Map<UUID, byte[]> chunkRows = new TreeMap<>(BY_TEXT);
            if (includeChunks) {
                for (UUID d : docs.keySet()) chunkRows.putAll(chunks.getOrDefault(tenant, Map.of()).getOrDefault(d, Map.of()));
            }
            java.time.Instant taken = java.time.Instant.now();
            return reader.read(new Snapshot() {
                @Override public java.time.Instant takenAt() { return taken; }
                @Override public int documentCount() { return docs.size(); }
                @Override public int chunkCount() { return chunkRows.size(); }
                @Override public void chunks(RowConsumer c) throws Exception {
                    for (var e : chunkRows.entrySet()) c.accept(new Row(e.getKey(), e.getValue()));
                }
                @Override public void documents(RowConsumer c) throws Exception {
                    for (var e : docs.entrySet()) c.accept(new Row(e.getKey(), e.getValue()));
                }
            });
        }
    }

    /** Filters are SQL: they are tested against PostgreSQL (SelectionIT); here only "all". */
    private static void requireAll(io.frostbyte.export.export.Selection selection) {
        if (!selection.all()) throw new UnsupportedOperationException("selection filters are tested against PostgreSQL");
    }

    /** Export jobs with the repository's lease and idempotency rules, on a caller-controlled clock. */
    public static final class Jobs implements ExportJobs {
        private final Map<UUID, ExportJob> jobs = new LinkedHashMap<>();
        private final Map<UUID, UUID> owners = new HashMap<>();
        /** The next this many calls of claim, heartbeat, complete, failAttempt or release fail as an unreachable database would. */
        public final java.util.concurrent.atomic.AtomicInteger unavailable = new java.util.concurrent.atomic.AtomicInteger();

        private void reachable() throws io.frostbyte.export.export.StoreException {
            if (unavailable.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new io.frostbyte.export.export.StoreException("database unavailable (test)", null, true);
            }
        }

        /** The next this many calls of failAttempt alone fail so. */
        public final java.util.concurrent.atomic.AtomicInteger failAttemptUnavailable = new java.util.concurrent.atomic.AtomicInteger();

        private final Map<UUID, Integer> givenBack = new HashMap<>();

        /** Each job's not_before: a failed attempt's retry is not due before it. */
        public final Map<UUID, Instant> notBefore = new HashMap<>();
        private final Map<String, UUID> byIdempotencyKey = new HashMap<>();
        private final Map<UUID, String> hashes = new HashMap<>();
        private final Clock clock;

        public Jobs(Clock clock) {
            this.clock = clock;
        }

        public ExportJob get(UUID exportId) {
            return jobs.get(exportId);
        }

        public Collection<ExportJob> all() {
            return jobs.values();
        }

        private ExportJob with(ExportJob j, ExportJob.Status status, int attempts, Optional<Instant> lease, Optional<String> error,
                Optional<BundleSummary> s, String key) {
            return new ExportJob(j.exportId(), j.tenantId(), status, j.documentIds(), j.includeChunks(), attempts, lease,
                    s.isPresent() ? Optional.of(key) : j.bundleKey(), s.map(BundleSummary::bundleSize).or(j::bundleSize),
                    s.map(BundleSummary::bundleSha256).or(j::bundleSha256), s.map(BundleSummary::signerFingerprint).or(j::signerFingerprint),
                    s.map(BundleSummary::documentCount).or(j::documentCount), s.map(BundleSummary::chunkCount).or(j::chunkCount),
                    j.filesTotal(), j.filesDone(), error, j.createdAt(), clock.instant(),
                    status == ExportJob.Status.COMPLETED ? Optional.of(clock.instant()) : j.completedAt(), j.selection(), j.snapshotAt());
        }

        @Override
        public synchronized Optional<Created> byIdempotencyKey(UUID tenant, String key) {
            UUID earlier = byIdempotencyKey.get(tenant + "/" + key);
            return earlier == null ? Optional.empty() : Optional.of(new Created(jobs.get(earlier), false, Optional.ofNullable(hashes.get(earlier))));
        }

        @Override
        public synchronized void snapshotTaken(UUID exportId, UUID owner, Instant at) {
            ExportJob j = jobs.get(exportId);
            if (j == null) return;
            jobs.put(exportId, new ExportJob(j.exportId(), j.tenantId(), j.status(), j.documentIds(), j.includeChunks(), j.attempts(),
                    j.leaseUntil(), j.bundleKey(), j.bundleSize(), j.bundleSha256(), j.signerFingerprint(), j.documentCount(), j.chunkCount(),
                    j.filesTotal(), j.filesDone(), j.error(), j.createdAt(), j.updatedAt(), j.completedAt(), j.selection(), Optional.of(at)));
        }

        @Override
        public synchronized Created create(UUID exportId, UUID tenant, List<UUID> documentIds, Optional<String> selection,
                boolean includeChunks, Optional<String> idempotencyKey, String requestHash) {
            if (idempotencyKey.isPresent()) {
                UUID earlier = byIdempotencyKey.get(tenant + "/" + idempotencyKey.get());
                if (earlier != null) return new Created(jobs.get(earlier), false, Optional.ofNullable(hashes.get(earlier)));
                byIdempotencyKey.put(tenant + "/" + idempotencyKey.get(), exportId);
            }
            Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
            ExportJob job = new ExportJob(exportId, tenant, ExportJob.Status.PENDING, documentIds, includeChunks, 0, Optional.empty(),
                    Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty(), 0, Optional.empty(), now, now, Optional.empty(), selection, Optional.empty());
            jobs.put(exportId, job);
            hashes.put(exportId, requestHash);
            return new Created(job, true, Optional.of(requestHash));
        }

        @Override
        public synchronized Optional<ExportJob> find(UUID tenant, UUID exportId) {
            return Optional.ofNullable(jobs.get(exportId)).filter(j -> j.tenantId().equals(tenant));
        }

        @Override
        public synchronized Optional<ExportJob> claim(UUID tenant, UUID exportId, UUID owner, Duration lease, int maxAttempts)
                throws io.frostbyte.export.export.StoreException {
            reachable();
            ExportJob j = jobs.get(exportId);
            if (j == null || !j.tenantId().equals(tenant) || j.attempts() >= maxAttempts) return Optional.empty();
            boolean expired = j.status() == ExportJob.Status.RUNNING && j.leaseUntil().orElseThrow().isBefore(clock.instant());
            if (j.status() != ExportJob.Status.PENDING && !expired) return Optional.empty();
            if (notBefore.containsKey(exportId) && notBefore.get(exportId).isAfter(clock.instant())) return Optional.empty();
            ExportJob claimed = with(j, ExportJob.Status.RUNNING, j.attempts() + 1, Optional.of(clock.instant().plus(lease)),
                    j.error(), Optional.empty(), null);
            jobs.put(exportId, claimed);
            owners.put(exportId, owner);
            return Optional.of(claimed);
        }

        private boolean holds(UUID exportId, UUID owner) {
            ExportJob j = jobs.get(exportId);
            return j != null && j.status() == ExportJob.Status.RUNNING && owner.equals(owners.get(exportId));
        }

        @Override
        public synchronized boolean heartbeat(UUID exportId, UUID owner, int filesDone, Integer filesTotal, Duration lease)
                throws io.frostbyte.export.export.StoreException {
            reachable();
            if (!holds(exportId, owner)) return false;
            ExportJob j = jobs.get(exportId);
            jobs.put(exportId, with(j, j.status(), j.attempts(), Optional.of(clock.instant().plus(lease)), j.error(), Optional.empty(), null));
            return true;
        }

        @Override
        public synchronized boolean complete(UUID exportId, UUID owner, String bundleKey, BundleSummary summary)
                throws io.frostbyte.export.export.StoreException {
            reachable();
            if (!holds(exportId, owner)) return false;
            ExportJob j = jobs.get(exportId);
            jobs.put(exportId, with(j, ExportJob.Status.COMPLETED, j.attempts(), Optional.empty(), Optional.empty(), Optional.of(summary),
                    bundleKey));
            return true;
        }

        @Override
        public synchronized Optional<ExportJob.Status> failAttempt(UUID exportId, UUID owner, String error, int maxAttempts, Instant retryAt)
                throws io.frostbyte.export.export.StoreException {
            reachable();
            if (failAttemptUnavailable.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new io.frostbyte.export.export.StoreException("database unavailable (test)", null, true);
            }
            if (!holds(exportId, owner)) return Optional.empty();
            ExportJob j = jobs.get(exportId);
            ExportJob.Status status = j.attempts() >= maxAttempts ? ExportJob.Status.FAILED : ExportJob.Status.PENDING;
            if (status == ExportJob.Status.PENDING) notBefore.put(exportId, retryAt); else notBefore.remove(exportId);
            jobs.put(exportId, with(j, status, j.attempts(), Optional.empty(), Optional.of(error), Optional.empty(), null));
            owners.remove(exportId);
            return Optional.of(status);
        }

        @Override
        public synchronized boolean release(UUID exportId, UUID owner) throws io.frostbyte.export.export.StoreException {
            reachable();
            if (!holds(exportId, owner)) return false;
            ExportJob j = jobs.get(exportId);
            int given = givenBack.merge(exportId, 1, Integer::sum);
            int attempts = given <= ExportJobs.REFUNDED_GIVE_BACKS ? Math.max(0, j.attempts() - 1) : j.attempts();
            jobs.put(exportId, with(j, ExportJob.Status.PENDING, attempts, Optional.empty(), j.error(), Optional.empty(), null));
            owners.remove(exportId);
            notBefore.remove(exportId);
            return true;
        }

        @Override
        public synchronized Optional<Instant> oldestPending() {
            return jobs.values().stream().filter(j -> j.status() == ExportJob.Status.PENDING).map(ExportJob::createdAt).min(Instant::compareTo);
        }

        @Override
        public synchronized List<Stale> stale(Duration pendingFor, int limit) {
            List<Stale> out = new ArrayList<>();
            for (ExportJob j : jobs.values()) {
                Instant due = notBefore.get(j.exportId());
                boolean lost = j.status() == ExportJob.Status.PENDING && (due == null
                        ? j.updatedAt().isBefore(clock.instant().minus(pendingFor)) : !due.isAfter(clock.instant()));
                boolean expired = j.status() == ExportJob.Status.RUNNING && j.leaseUntil().orElseThrow().isBefore(clock.instant());
                if (lost || expired) out.add(new Stale(j.exportId(), j.tenantId(), j.status(), j.attempts()));
            }
            return out.subList(0, Math.min(limit, out.size()));
        }

        @Override
        public synchronized boolean failExpired(UUID exportId, int maxAttempts, String error) {
            ExportJob j = jobs.get(exportId);
            if (j == null || j.status() != ExportJob.Status.RUNNING || !j.leaseUntil().orElseThrow().isBefore(clock.instant())
                    || j.attempts() < maxAttempts) {
                return false;
            }
            jobs.put(exportId, with(j, ExportJob.Status.FAILED, j.attempts(), Optional.empty(), Optional.of(error), Optional.empty(), null));
            return true;
        }

        @Override
        public synchronized Optional<ExportJob.Status> status(UUID tenant, UUID exportId) {
            return find(tenant, exportId).map(ExportJob::status);
        }
    }

    /** Tenant key rows; the lock is a monitor. */
    public static final class Keys implements TenantKeys {
        private final List<TenantPublicKey> rows = new ArrayList<>();
        private final Map<String, Map<RevocationReason, String>> prepared = new HashMap<>();
        public final List<Audit> audit = new ArrayList<>();
        private final Clock clock;

        public Keys(Clock clock) {
            this.clock = clock;
        }

        @Override
        public synchronized Optional<TenantPublicKey> active(UUID tenant) {
            return rows.stream().filter(r -> r.tenantId().equals(tenant) && r.status() == TenantPublicKey.Status.ACTIVE).findFirst();
        }

        @Override
        public synchronized List<TenantPublicKey> all(UUID tenant) {
            List<TenantPublicKey> out = new ArrayList<>(rows.stream().filter(r -> r.tenantId().equals(tenant)).toList());
            out.sort((a, b) -> a.status() != b.status() ? a.status().compareTo(b.status()) : b.createdAt().compareTo(a.createdAt()));
            return out;
        }

        public final Set<String> destroyed = new HashSet<>();

        @Override
        public synchronized List<String> secretsToDestroy(UUID tenant) {
            return rows.stream().filter(r -> r.tenantId().equals(tenant) && r.status() != TenantPublicKey.Status.ACTIVE
                    && !destroyed.contains(r.fingerprint())).map(TenantPublicKey::fingerprint).toList();
        }

        @Override
        public synchronized void secretDestroyed(UUID tenant, String fingerprint) {
            destroyed.add(fingerprint);
        }

        @Override
        public synchronized <T> T underTenantLock(UUID tenant, Locked<T> work) throws StoreException, IOException, KeyMaterialException {
            List<TenantPublicKey> before = new ArrayList<>(rows);
            int audited = audit.size();
            try {
                return work.run(new Locked.Tx() {
                    @Override public Optional<TenantPublicKey> active() { return Keys.this.active(tenant); }
                    @Override public Optional<TenantPublicKey> find(String fingerprint) {
                        return rows.stream().filter(r -> r.tenantId().equals(tenant) && r.fingerprint().equals(fingerprint)).findFirst();
                    }
                    @Override public void retire(String fingerprint) {
                        rows.replaceAll(r -> r.tenantId().equals(tenant) && r.fingerprint().equals(fingerprint)
                                ? new TenantPublicKey(r.tenantId(), r.fingerprint(), r.algorithm(), r.armoredPublicKey(),
                                        TenantPublicKey.Status.RETIRED, r.createdAt(), Optional.of(clock.instant()))
                                : r);
                    }
                    @Override public void insertActive(String fingerprint, String algorithm, String armored,
                            Map<RevocationReason, String> revocations) {
                        rows.add(new TenantPublicKey(tenant, fingerprint, algorithm, armored, TenantPublicKey.Status.ACTIVE,
                                clock.instant(), Optional.empty()));
                        prepared.put(fingerprint, Map.copyOf(revocations));
                    }
                    @Override public void prepareRevocations(String fingerprint, Map<RevocationReason, String> revocations) {
                        prepared.putIfAbsent(fingerprint, Map.copyOf(revocations));
                    }
                    @Override public Optional<String> preparedRevocation(String fingerprint, RevocationReason reason) {
                        return Optional.ofNullable(prepared.getOrDefault(fingerprint, Map.of()).get(reason));
                    }
                    @Override public void revoke(String fingerprint, RevocationReason reason, String revokedPublicKey) {
                        rows.replaceAll(r -> r.tenantId().equals(tenant) && r.fingerprint().equals(fingerprint)
                                ? new TenantPublicKey(r.tenantId(), r.fingerprint(), r.algorithm(), revokedPublicKey,
                                        TenantPublicKey.Status.REVOKED, r.createdAt(), r.retiredAt(), Optional.of(clock.instant()),
                                        Optional.of(reason))
                                : r);
                    }
                    @Override public void audit(Audit entry) {
                        audit.add(entry);
                    }
                });
            } catch (StoreException | IOException | KeyMaterialException | RuntimeException e) {
                rows.clear();
                rows.addAll(before); // rolled back
                while (audit.size() > audited) audit.remove(audit.size() - 1);
                throw e;
            }
        }
    }

    /** Tenants' secret keys in a map, by tenant and fingerprint. */
    public static final class SecretKeys implements TenantKeyStore {
        public final Map<String, String> secrets = new HashMap<>();

        private static String name(UUID tenant, String fingerprint) {
            return tenant + "/" + fingerprint;
        }

        @Override
        public synchronized Optional<String> get(UUID tenant, String fingerprint) {
            return Optional.ofNullable(secrets.get(name(tenant, fingerprint)));
        }

        @Override
        public synchronized void put(UUID tenant, String fingerprint, String armoredSecretKey) {
            secrets.putIfAbsent(name(tenant, fingerprint), armoredSecretKey);
        }

        @Override
        public synchronized void destroy(UUID tenant, String fingerprint) {
            secrets.remove(name(tenant, fingerprint));
        }
    }

    /** The three Redis lists, in memory. */
    public static final class Queue implements JobQueue {
        public final Deque<String> pending = new ArrayDeque<>();
        public final List<String> processing = new ArrayList<>();
        public final List<String> dead = new ArrayList<>();
        public boolean failPush;

        public static String payload(Message m) {
            return m.exportId() + "/" + m.tenantId();
        }

        private static Optional<Message> decode(String payload) {
            String[] p = payload.split("/");
            try {
                return Optional.of(new Message(UUID.fromString(p[0]), UUID.fromString(p[1])));
            } catch (RuntimeException e) {
                return Optional.empty();
            }
        }

        @Override
        public synchronized void push(Message m) {
            if (failPush) throw new IllegalStateException("queue unreachable");
            pending.addLast(payload(m));
        }

        @Override
        public synchronized Optional<Taken> take() {
            String p = pending.pollFirst();
            if (p == null) return Optional.empty();
            processing.add(p);
            return Optional.of(new Taken(decode(p), new Receipt(p)));
        }

        @Override
        public synchronized void ack(Receipt r) {
            processing.remove(r.token());
        }

        @Override
        public synchronized void requeue(Receipt r) {
            if (processing.remove(r.token())) pending.addFirst(r.token());
        }

        @Override
        public synchronized void dead(Receipt r) {
            dead.add(r.token());
            processing.remove(r.token());
        }

        @Override
        public synchronized List<Taken> processing() {
            return processing.stream().map(p -> new Taken(decode(p), new Receipt(p))).toList();
        }

        @Override
        public synchronized Set<Message> pending() {
            Set<Message> out = new LinkedHashSet<>();
            pending.forEach(p -> decode(p).ifPresent(out::add));
            return out;
        }

        @Override
        public synchronized void pushDead(Message m) {
            dead.add(payload(m));
        }

        @Override
        public synchronized long pendingCount() {
            return pending.size();
        }
    }

    /** Bundles in a map; an upload can be told to fail half-way. */
    public static final class Store implements BundleStore {
        public final Map<String, byte[]> bundles = new HashMap<>();
        public boolean failWrites;
        /** Uploads given up before their commit. */
        public final java.util.concurrent.atomic.AtomicInteger aborted = new java.util.concurrent.atomic.AtomicInteger();

        @Override
        public Upload begin(UUID tenant, UUID export) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            return new Upload() {
                private boolean committed;

                @Override
                public OutputStream stream() {
                    return new OutputStream() {
                        @Override public void write(int b) throws IOException { write(new byte[] {(byte) b}, 0, 1); }
                        @Override public void write(byte[] b, int off, int len) throws IOException {
                            if (failWrites) throw new IOException("store unavailable");
                            bytes.write(b, off, len);
                        }
                    };
                }

                @Override
                public void commit(String sha256) {
                    synchronized (Store.this) {
                        bundles.put(BundleStore.key(tenant, export), bytes.toByteArray());
                    }
                    committed = true;
                }

                @Override
                public void abort() {
                    if (!committed && bytes.size() >= 0) {
                        bytes.reset();
                        aborted.incrementAndGet();
                    }
                }
            };
        }

        @Override
        public DownloadUrl downloadUrl(UUID tenant, UUID export, Duration ttl) {
            return new DownloadUrl(URI.create("https://bundles.invalid/" + BundleStore.key(tenant, export)), Instant.EPOCH.plus(ttl));
        }
    }

    /** A clock the test moves. */
    public static final class MutableClock extends Clock {
        private Instant now;

        public MutableClock(Instant start) {
            this.now = start;
        }

        public void advance(Duration d) {
            now = now.plus(d);
        }

        @Override public java.time.ZoneId getZone() { return java.time.ZoneOffset.UTC; }
        @Override public Clock withZone(java.time.ZoneId zone) { return this; }
        @Override public Instant instant() { return now; }
    }
}
