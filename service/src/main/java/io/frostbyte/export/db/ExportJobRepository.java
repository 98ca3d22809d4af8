package io.frostbyte.export.db;

import io.frostbyte.export.bundle.BundleSummary;
import io.frostbyte.export.export.ExportJob;
import java.sql.Array;
import io.frostbyte.export.export.ExportJobs;
import io.frostbyte.export.export.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The export_jobs table. Reads by the API filter by tenant; the worker claims jobs with a
 * compare-and-set on status and lease, and every later write checks it still holds the lease.
 */
public final class ExportJobRepository implements ExportJobs {
    private static final String COLUMNS = "export_id, tenant_id, status, document_ids, include_chunks, attempts, lease_until,"
            + " bundle_key, bundle_size, bundle_sha256, signer_fingerprint, document_count, chunk_count, files_total,"
            + " files_done, error, created_at, updated_at, completed_at, selection::text as selection, snapshot_at";

    private final Database db;

    public ExportJobRepository(Database db) {
        this.db = db;
    }


    @Override
    public Created create(UUID exportId, UUID tenant, List<UUID> documentIds, Optional<String> selection, boolean includeChunks,
            Optional<String> idempotencyKey, String requestHash) throws StoreException {
        return Sql.run("create (export_jobs)", () -> createSql(exportId, tenant, documentIds, selection, includeChunks, idempotencyKey,
                requestHash));
    }

    private Created createSql(UUID exportId, UUID tenant, List<UUID> documentIds, Optional<String> selection, boolean includeChunks,
            Optional<String> idempotencyKey, String requestHash) throws SQLException {
        try (Connection c = db.connection();
                PreparedStatement ps = c.prepareStatement("insert into export_jobs (export_id, tenant_id, status, document_ids,"
                        + " include_chunks, idempotency_key, request_hash, selection) values (?, ?, 'pending', ?, ?, ?, ?, ?::jsonb)"
                        + " on conflict (tenant_id, idempotency_key) do nothing returning " + COLUMNS)) {
            ps.setObject(1, exportId);
            ps.setObject(2, tenant);
            ps.setArray(3, c.createArrayOf("uuid", documentIds.toArray()));
            ps.setBoolean(4, includeChunks);
            ps.setString(5, idempotencyKey.orElse(null));
            ps.setString(6, requestHash);
            ps.setString(7, selection.orElse(null));
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) return new Created(map(rs), true, Optional.of(requestHash));
            }
            try (PreparedStatement q = c.prepareStatement("select " + COLUMNS + ", request_hash from export_jobs"
                    + " where tenant_id = ? and idempotency_key = ?")) {
                q.setObject(1, tenant);
                q.setString(2, idempotencyKey.orElseThrow());
                try (ResultSet rs = q.executeQuery()) {
                    if (!rs.next()) throw new SQLException("idempotent insert conflicted but no row was found");
                    return new Created(map(rs), false, Optional.ofNullable(rs.getString("request_hash")));
                }
            }
        }
    }

    @Override
    public Optional<ExportJob> find(UUID tenant, UUID exportId) throws StoreException {
        return Sql.run("find (export_jobs)", () -> findSql(tenant, exportId));
    }

    private Optional<ExportJob> findSql(UUID tenant, UUID exportId) throws SQLException {
        try (Connection c = db.connection();
                PreparedStatement ps = c.prepareStatement("select " + COLUMNS + " from export_jobs where tenant_id = ? and export_id = ?")) {
            ps.setObject(1, tenant);
            ps.setObject(2, exportId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(map(rs)) : Optional.empty();
            }
        }
    }

    /**
     * Claims a job for {@code owner}: pending, or running with an expired lease, becomes running
     * with a fresh lease and one more attempt. Empty when another worker holds it or it is done.
     */
    @Override
    public Optional<ExportJob> claim(UUID tenant, UUID exportId, UUID owner, Duration lease, int maxAttempts) throws StoreException {
        return Sql.run("claim (export_jobs)", () -> claimSql(tenant, exportId, owner, lease, maxAttempts));
    }

    private Optional<ExportJob> claimSql(UUID tenant, UUID exportId, UUID owner, Duration lease, int maxAttempts) throws SQLException {
        try (Connection c = db.connection();
                PreparedStatement ps = c.prepareStatement("update export_jobs set status = 'running', attempts = attempts + 1,"
                        + " lease_owner = ?, lease_until = now() + ?::interval, files_done = 0, updated_at = now()"
                        + " where tenant_id = ? and export_id = ?"
                        // A retried claim whose first try committed (the reply was lost) finds its own lease.
                        + " and (status = 'pending' or (status = 'running' and (lease_until < now() or lease_owner = ?)))"
                        + " and (not_before is null or not_before <= now())"
                        // A stale duplicate queue entry must not run attempt N+1; the sweep fails such a job.
                        + " and attempts < ?"
                        + " returning " + COLUMNS)) {
            ps.setObject(1, owner);
            ps.setString(2, lease.toSeconds() + " seconds");
            ps.setObject(3, tenant);
            ps.setObject(4, exportId);
            ps.setObject(5, owner);
            ps.setInt(6, maxAttempts);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(map(rs)) : Optional.empty();
            }
        }
    }

    /** Extends the lease and records progress; false when the lease was lost. */
    @Override
    public boolean heartbeat(UUID exportId, UUID owner, int filesDone, Integer filesTotal, Duration lease) throws StoreException {
        return Sql.run("heartbeat (export_jobs)", () -> heartbeatSql(exportId, owner, filesDone, filesTotal, lease));
    }

    private boolean heartbeatSql(UUID exportId, UUID owner, int filesDone, Integer filesTotal, Duration lease) throws SQLException {
        try (Connection c = db.connection();
                PreparedStatement ps = c.prepareStatement("update export_jobs set lease_until = now() + ?::interval,"
                        + " files_done = ?, files_total = coalesce(?, files_total), updated_at = now()"
                        + " where export_id = ? and lease_owner = ? and status = 'running'")) {
            ps.setString(1, lease.toSeconds() + " seconds");
            ps.setInt(2, filesDone);
            ps.setObject(3, filesTotal);
            ps.setObject(4, exportId);
            ps.setObject(5, owner);
            return ps.executeUpdate() == 1;
        }
    }

    /** Marks the job completed, if {@code owner} still holds it. */
    @Override
    public boolean complete(UUID exportId, UUID owner, String bundleKey, BundleSummary s) throws StoreException {
        return Sql.run("complete (export_jobs)", () -> completeSql(exportId, owner, bundleKey, s));
    }

    private boolean completeSql(UUID exportId, UUID owner, String bundleKey, BundleSummary s) throws SQLException {
        try (Connection c = db.connection();
                PreparedStatement ps = c.prepareStatement("update export_jobs set status = 'completed', lease_until = null,"
                        + " bundle_key = ?, bundle_size = ?, bundle_sha256 = ?, signer_fingerprint = ?, document_count = ?,"
                        + " chunk_count = ?, files_total = ?, files_done = ?, error = null, completed_at = now(), updated_at = now()"
                        + " where export_id = ? and lease_owner = ? and status = 'running'"
                        // A key rotated or revoked after the bundle was signed: the bundle must not be published.
                        + " and exists (select 1 from tenant_keys k where k.tenant_id = export_jobs.tenant_id and k.fingerprint = ?"
                        + " and k.status = 'active')")) {
            ps.setString(1, bundleKey);
            ps.setLong(2, s.bundleSize());
            ps.setString(3, s.bundleSha256());
            ps.setString(4, s.signerFingerprint());
            ps.setInt(5, s.documentCount());
            ps.setInt(6, s.chunkCount());
            ps.setInt(7, s.documentCount() + s.chunkCount());
            ps.setInt(8, s.documentCount() + s.chunkCount());
            ps.setObject(9, exportId);
            ps.setObject(10, owner);
            ps.setString(11, s.signerFingerprint());
            return ps.executeUpdate() == 1;
        }
    }

    /**
     * Records a failed attempt: back to pending for a retry, or failed for good once
     * {@code maxAttempts} are used. Returns the new status, or empty when the lease was lost.
     */
    @Override
    public Optional<ExportJob.Status> failAttempt(UUID exportId, UUID owner, String error, int maxAttempts, java.time.Instant retryAt)
            throws StoreException {
        return Sql.run("failAttempt (export_jobs)", () -> failAttemptSql(exportId, owner, error, maxAttempts, retryAt));
    }

    private Optional<ExportJob.Status> failAttemptSql(UUID exportId, UUID owner, String error, int maxAttempts, java.time.Instant retryAt)
            throws SQLException {
        try (Connection c = db.connection();
                PreparedStatement ps = c.prepareStatement("update export_jobs set status = case when attempts >= ? then 'failed'"
                        + " else 'pending' end, lease_until = null, lease_owner = null, error = ?, updated_at = now(),"
                        + " not_before = case when attempts >= ? then null else ?::timestamptz end"
                        + " where export_id = ? and lease_owner = ? and status = 'running' returning status")) {
            ps.setInt(1, maxAttempts);
            ps.setString(2, error);
            ps.setInt(3, maxAttempts);
            ps.setTimestamp(4, java.sql.Timestamp.from(retryAt));
            ps.setObject(5, exportId);
            ps.setObject(6, owner);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(ExportJob.Status.fromDb(rs.getString(1))) : Optional.empty();
            }
        }
    }

    @Override
    public boolean release(UUID exportId, UUID owner) throws StoreException {
        return Sql.run("release (export_jobs)", () -> {
            try (Connection c = db.connection();
                    PreparedStatement ps = c.prepareStatement("update export_jobs set status = 'pending',"
                            + " attempts = case when given_back < " + ExportJobs.REFUNDED_GIVE_BACKS + " then greatest(attempts - 1, 0) else attempts end,"
                            + " given_back = given_back + 1,"
                            + " lease_until = null, lease_owner = null, files_done = 0, not_before = null, updated_at = now()"
                            + " where export_id = ? and lease_owner = ? and status = 'running'")) {
                ps.setObject(1, exportId);
                ps.setObject(2, owner);
                return ps.executeUpdate() == 1;
            }
        });
    }

    /** A job the queue may have lost: pending for a while, or running with an expired lease. */

    @Override
    public List<Stale> stale(Duration pendingFor, int limit) throws StoreException {
        return Sql.run("stale (export_jobs)", () -> staleSql(pendingFor, limit));
    }

    private List<Stale> staleSql(Duration pendingFor, int limit) throws SQLException {
        try (Connection c = db.connection();
                PreparedStatement ps = c.prepareStatement("select export_id, tenant_id, status, attempts from export_jobs"
                        // A retry waiting out its backoff is due at not_before, not lost.
                        + " where (status = 'pending' and case when not_before is null then updated_at < now() - ?::interval"
                        + " else not_before <= now() end)"
                        + " or (status = 'running' and lease_until < now()) order by updated_at limit ?")) {
            ps.setString(1, pendingFor.toSeconds() + " seconds");
            ps.setInt(2, limit);
            List<Stale> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Stale(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                            ExportJob.Status.fromDb(rs.getString(3)), rs.getInt(4)));
                }
            }
            return out;
        }
    }

    @Override
    public Optional<java.time.Instant> oldestPending() throws StoreException {
        return Sql.run("oldestPending (export_jobs)", () -> {
            try (Connection c = db.connection();
                    PreparedStatement ps = c.prepareStatement("select min(created_at) from export_jobs where status = 'pending'");
                    ResultSet rs = ps.executeQuery()) {
                rs.next();
                java.sql.Timestamp t = rs.getTimestamp(1);
                return Optional.ofNullable(t).map(java.sql.Timestamp::toInstant);
            }
        });
    }

    /** Fails a job whose lease expired after its last allowed attempt. */
    @Override
    public boolean failExpired(UUID exportId, int maxAttempts, String error) throws StoreException {
        return Sql.run("failExpired (export_jobs)", () -> failExpiredSql(exportId, maxAttempts, error));
    }

    private boolean failExpiredSql(UUID exportId, int maxAttempts, String error) throws SQLException {
        try (Connection c = db.connection();
                PreparedStatement ps = c.prepareStatement("update export_jobs set status = 'failed', lease_until = null,"
                        + " lease_owner = null, error = ?, updated_at = now()"
                        + " where export_id = ? and status = 'running' and lease_until < now() and attempts >= ?")) {
            ps.setString(1, error);
            ps.setObject(2, exportId);
            ps.setInt(3, maxAttempts);
            return ps.executeUpdate() == 1;
        }
    }

    /** The job's current status, whatever the tenant: for the worker's queue bookkeeping only. */
    @Override
    public Optional<ExportJob.Status> status(UUID tenant, UUID exportId) throws StoreException {
        return Sql.run("status (export_jobs)", () -> statusSql(tenant, exportId));
    }

    private Optional<ExportJob.Status> statusSql(UUID tenant, UUID exportId) throws SQLException {
        try (Connection c = db.connection();
                PreparedStatement ps = c.prepareStatement("select status from export_jobs where tenant_id = ? and export_id = ?")) {
            ps.setObject(1, tenant);
            ps.setObject(2, exportId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(ExportJob.Status.fromDb(rs.getString(1))) : Optional.empty();
            }
        }
    }

    private static ExportJob map(ResultSet rs) throws SQLException {
        Array ids = rs.getArray("document_ids");
        List<UUID> documentIds = Arrays.asList((UUID[]) ids.getArray());
        return new ExportJob(
                rs.getObject("export_id", UUID.class),
                rs.getObject("tenant_id", UUID.class),
                ExportJob.Status.fromDb(rs.getString("status")),
                documentIds,
                rs.getBoolean("include_chunks"),
                rs.getInt("attempts"),
                instant(rs.getTimestamp("lease_until")),
                Optional.ofNullable(rs.getString("bundle_key")),
                Optional.ofNullable((Long) rs.getObject("bundle_size")),
                Optional.ofNullable(rs.getString("bundle_sha256")),
                Optional.ofNullable(rs.getString("signer_fingerprint")),
                Optional.ofNullable((Integer) rs.getObject("document_count")),
                Optional.ofNullable((Integer) rs.getObject("chunk_count")),
                Optional.ofNullable((Integer) rs.getObject("files_total")),
                rs.getInt("files_done"),
                Optional.ofNullable(rs.getString("error")),
                rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant(),
                instant(rs.getTimestamp("completed_at")),
                Optional.ofNullable(rs.getString("selection")),
                instant(rs.getTimestamp("snapshot_at")));
    }

    @Override
    public Optional<Created> byIdempotencyKey(UUID tenant, String idempotencyKey) throws StoreException {
        return Sql.run("find by idempotency key (export_jobs)", () -> {
            try (Connection c = db.connection();
                    PreparedStatement q = c.prepareStatement("select " + COLUMNS + ", request_hash from export_jobs"
                            + " where tenant_id = ? and idempotency_key = ?")) {
                q.setObject(1, tenant);
                q.setString(2, idempotencyKey);
                try (ResultSet rs = q.executeQuery()) {
                    return rs.next() ? Optional.of(new Created(map(rs), false, Optional.ofNullable(rs.getString("request_hash"))))
                            : Optional.empty();
                }
            }
        });
    }

    @Override
    public void snapshotTaken(UUID exportId, UUID owner, Instant at) throws StoreException {
        Sql.run("recording the snapshot of export " + exportId, () -> {
            try (Connection c = db.connection();
                    PreparedStatement ps = c.prepareStatement("update export_jobs set snapshot_at = ?, updated_at = now()"
                            + " where export_id = ? and lease_owner = ? and status = 'running'")) {
                ps.setObject(1, at.atOffset(java.time.ZoneOffset.UTC));
                ps.setObject(2, exportId);
                ps.setObject(3, owner);
                return ps.executeUpdate();
            }
        });
    }

    private static Optional<Instant> instant(Timestamp ts) {
        return ts == null ? Optional.empty() : Optional.of(ts.toInstant());
    }
}
