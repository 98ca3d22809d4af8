package io.frostbyte.export.db;

import io.frostbyte.export.export.StoreException;
import io.frostbyte.export.imports.ImportJob;
import io.frostbyte.export.imports.ImportJobs;
import io.frostbyte.export.imports.ImportRequest;
import io.frostbyte.export.imports.ImportedRows;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The imports table and the staging transaction. Reads by the API filter by tenant; the worker
 * claims with a compare-and-set on status and lease, and its completion commits together with the
 * rows only while it still holds the claim. Rows are written with the importing tenant's id and
 * never over a row of another tenant.
 */
public final class ImportRepository implements ImportJobs {
    private static final String COLUMNS = "import_id, tenant_id, status, request::text, upload_expires_at, attempts,"
            + " source_tenant_id, source_export_id, signer_fingerprint, bundle_format, bundle_sha256, document_count, chunk_count,"
            + " documents_written, chunks_written, documents_skipped, chunks_skipped, report::text, error, created_at, updated_at,"
            + " completed_at";
    /** Rows per batch, and content per batch: documents may be megabytes each and the worker's heap is small. */
    private static final int BATCH_ROWS = 200;
    private static final long BATCH_WEIGHT = 8L * 1024 * 1024;

    private final Database db;

    public ImportRepository(Database db) {
        this.db = db;
    }

    @Override
    public ImportJob create(UUID importId, UUID tenant, ImportRequest request, Instant uploadExpiresAt) throws StoreException {
        return Sql.run("create (imports)", () -> {
            try (Connection c = db.connection();
                    PreparedStatement ps = c.prepareStatement("insert into imports (import_id, tenant_id, status, request, upload_expires_at)"
                            + " values (?, ?, 'awaiting_upload', ?::jsonb, ?) returning " + COLUMNS)) {
                ps.setObject(1, importId);
                ps.setObject(2, tenant);
                ps.setString(3, request.toJson());
                ps.setTimestamp(4, Timestamp.from(uploadExpiresAt));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return map(rs);
                }
            }
        });
    }

    @Override
    public Optional<ImportJob> find(UUID tenant, UUID importId) throws StoreException {
        return Sql.run("find (imports)", () -> {
            try (Connection c = db.connection();
                    PreparedStatement ps = c.prepareStatement("select " + COLUMNS + " from imports where tenant_id = ? and import_id = ?")) {
                ps.setObject(1, tenant);
                ps.setObject(2, importId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(map(rs)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public Optional<Claim> claim(UUID tenant, UUID importId, Duration lease, int maxAttempts) throws StoreException {
        UUID token = UUID.randomUUID();
        return Sql.run("claim (imports)", () -> {
            try (Connection c = db.connection();
                    PreparedStatement ps = c.prepareStatement("update imports set status = 'verifying', attempts = attempts + 1,"
                            + " lease_until = now() + ? * interval '1 millisecond', lease_owner = ?, updated_at = now()"
                            + " where tenant_id = ? and import_id = ? and attempts < ?"
                            + " and (status = 'awaiting_upload' or (status = 'verifying' and lease_until < now()))"
                            + " returning " + COLUMNS)) {
                ps.setLong(1, lease.toMillis());
                ps.setObject(2, token);
                ps.setObject(3, tenant);
                ps.setObject(4, importId);
                ps.setInt(5, maxAttempts);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new Claim(map(rs), token)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public boolean finish(Claim claim, ImportJob.Status status, Optional<ImportJob.Provenance> provenance, Optional<String> report,
            Optional<String> error) throws StoreException {
        if (status != ImportJob.Status.REJECTED && status != ImportJob.Status.FAILED) {
            throw new IllegalArgumentException("finish ends an import without rows: rejected or failed, not " + status);
        }
        return Sql.run("finish (imports)", () -> {
            try (Connection c = db.connection();
                    PreparedStatement ps = c.prepareStatement("update imports set status = ?, source_tenant_id = ?, source_export_id = ?,"
                            + " signer_fingerprint = ?, bundle_format = ?, bundle_sha256 = ?, report = ?::jsonb, error = ?,"
                            + " lease_until = null, lease_owner = null, updated_at = now(), completed_at = now()"
                            + " where tenant_id = ? and import_id = ? and lease_owner = ? and status = 'verifying'")) {
                ps.setString(1, status.label());
                provenance(ps, 2, provenance);
                ps.setString(7, report.orElse(null));
                ps.setString(8, error.orElse(null));
                ps.setObject(9, claim.job().tenantId());
                ps.setObject(10, claim.job().importId());
                ps.setObject(11, claim.token());
                return ps.executeUpdate() == 1;
            }
        });
    }

    private static void provenance(PreparedStatement ps, int at, Optional<ImportJob.Provenance> p) throws SQLException {
        ps.setObject(at, p.flatMap(ImportJob.Provenance::sourceTenant).orElse(null), Types.OTHER);
        ps.setObject(at + 1, p.flatMap(ImportJob.Provenance::sourceExport).orElse(null), Types.OTHER);
        ps.setString(at + 2, p.flatMap(ImportJob.Provenance::signer).orElse(null));
        ps.setString(at + 3, p.flatMap(ImportJob.Provenance::format).orElse(null));
        ps.setString(at + 4, p.map(ImportJob.Provenance::bundleSha256).orElse(null));
    }

    @Override
    public void touch(UUID tenant, UUID importId) throws StoreException {
        Sql.run("touch (imports)", () -> {
            try (Connection c = db.connection();
                    PreparedStatement ps = c.prepareStatement("update imports set updated_at = now()"
                            + " where tenant_id = ? and import_id = ? and status = 'awaiting_upload'")) {
                ps.setObject(1, tenant);
                ps.setObject(2, importId);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public boolean renew(Claim claim, Duration lease) throws StoreException {
        return Sql.run("renew (imports)", () -> {
            try (Connection c = db.connection();
                    PreparedStatement ps = c.prepareStatement("update imports set lease_until = now() + ? * interval '1 millisecond',"
                            + " updated_at = now() where tenant_id = ? and import_id = ? and lease_owner = ? and status = 'verifying'")) {
                ps.setLong(1, lease.toMillis());
                ps.setObject(2, claim.job().tenantId());
                ps.setObject(3, claim.job().importId());
                ps.setObject(4, claim.token());
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public void release(Claim claim, String error) throws StoreException {
        Sql.run("release (imports)", () -> {
            try (Connection c = db.connection();
                    PreparedStatement ps = c.prepareStatement("update imports set lease_until = now(), error = ?, updated_at = now()"
                            + " where tenant_id = ? and import_id = ? and lease_owner = ? and status = 'verifying'")) {
                ps.setString(1, error.length() > 2000 ? error.substring(0, 2000) : error);
                ps.setObject(2, claim.job().tenantId());
                ps.setObject(3, claim.job().importId());
                ps.setObject(4, claim.token());
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public List<Due> due(int limit) throws StoreException {
        return Sql.run("due (imports)", () -> {
            try (Connection c = db.connection();
                    // Expired leases first; then awaiting uploads (an event may have been lost, or the URL expired
                    // unused), least recently looked at first and at most 10 per tenant, so that no tenant's pile
                    // of never-uploaded imports keeps another tenant's lost event waiting.
                    PreparedStatement ps = c.prepareStatement("select tenant_id, import_id, status, attempts from ("
                            + " select tenant_id, import_id, status, attempts, updated_at,"
                            + " row_number() over (partition by tenant_id order by updated_at) as place from imports"
                            + " where (status = 'verifying' and lease_until < now()) or status = 'awaiting_upload') due"
                            + " where place <= 10 order by status = 'verifying' desc, updated_at limit ?")) {
                ps.setInt(1, limit);
                List<Due> due = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        due.add(new Due(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), ImportJob.Status.of(rs.getString(3)),
                                rs.getInt(4)));
                    }
                }
                return due;
            }
        });
    }

    @Override
    public Staging stage(Claim claim) throws StoreException {
        return Sql.run("begin staging (imports)", () -> {
            Connection c = db.connection();
            try {
                c.setAutoCommit(false);
                try (var s = c.createStatement()) {
                    s.execute("set constraints chunks_document_id_fkey deferred");
                }
                return new TxStaging(c, claim);
            } catch (SQLException e) {
                c.close();
                throw e;
            }
        });
    }

    /** One import's transaction: rows batched, conflicts counted per row from the batch's update counts. */
    private static final class TxStaging implements Staging {
        private final Connection c;
        private final Claim claim;
        private final ImportRequest.OnConflict onConflict;
        private final List<ImportedRows.Document> documents = new ArrayList<>();
        private final List<ImportedRows.Chunk> chunks = new ArrayList<>();
        private long weight;
        private int documentsWritten, chunksWritten, documentConflicts, chunkConflicts, foreign;
        private boolean done;
        private Optional<String> violation = Optional.empty();

        TxStaging(Connection c, Claim claim) {
            this.c = c;
            this.claim = claim;
            this.onConflict = claim.job().request().onConflict();
        }

        @Override
        public void document(ImportedRows.Document d) throws StoreException {
            requireTenant(d.tenantId());
            documents.add(d);
            weight += d.weight();
            if (documents.size() >= BATCH_ROWS || weight >= BATCH_WEIGHT) flush();
        }

        @Override
        public void chunk(ImportedRows.Chunk ch) throws StoreException {
            requireTenant(ch.tenantId());
            chunks.add(ch);
            weight += ch.weight();
            if (chunks.size() >= BATCH_ROWS || weight >= BATCH_WEIGHT) flush();
        }

        private void requireTenant(UUID tenant) {
            if (!tenant.equals(claim.job().tenantId())) {
                throw new IllegalArgumentException("an import writes only into its own tenant");
            }
        }

        @Override
        public Written flush() throws StoreException {
            if (violation.isEmpty()) {
                try {
                    writeDocuments();
                    writeChunks();
                } catch (SQLException e) {
                    // 22xxx (a value PostgreSQL cannot hold) and 23xxx (a constraint): the bundle is at fault, so the
                    // import is rejected, not retried. The caller learns the class of fault, not the statement.
                    String state = e.getSQLState() == null ? "" : e.getSQLState();
                    if (!state.startsWith("22") && !state.startsWith("23")) {
                        throw new StoreException("staging rows of import " + claim.job().importId() + ": " + e.getMessage(), e);
                    }
                    String constraint = e instanceof org.postgresql.util.PSQLException p && p.getServerErrorMessage() != null
                            ? p.getServerErrorMessage().getConstraint() : null;
                    violation = Optional.of(state.startsWith("23") && constraint != null
                            ? "they break the database constraint " + constraint
                            : "they hold a value the database cannot store (SQLSTATE " + state + ")");
                }
            }
            documents.clear();
            chunks.clear();
            weight = 0;
            return new Written(documentsWritten, chunksWritten, documentConflicts, chunkConflicts, foreign, violation);
        }

        private String conflictClause(String key, String columns) {
            if (onConflict != ImportRequest.OnConflict.REPLACE) return " on conflict do nothing";
            StringBuilder set = new StringBuilder();
            for (String col : columns.split(", ")) {
                if (set.length() > 0) set.append(", ");
                set.append(col).append(" = excluded.").append(col);
            }
            // The guard that keeps a replace inside the importing tenant.
            return " on conflict (" + key + ") do update set " + set + " where %s.tenant_id = excluded.tenant_id";
        }

        private void writeDocuments() throws SQLException {
            if (documents.isEmpty()) return;
            String sql = "insert into documents as d (id, tenant_id, title, source_uri, content_type, content, metadata, created_at, updated_at)"
                    + " values (?, ?, ?, ?, ?, ?, ?::jsonb, coalesce(?::timestamptz, now()), coalesce(?::timestamptz, now()))"
                    + conflictClause("id", "title, source_uri, content_type, content, metadata, created_at, updated_at").replace("%s", "d");
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (ImportedRows.Document d : documents) {
                    ps.setObject(1, d.id());
                    ps.setObject(2, d.tenantId());
                    ps.setString(3, d.title());
                    ps.setString(4, d.sourceUri().orElse(null));
                    ps.setString(5, d.contentType());
                    ps.setString(6, d.content());
                    ps.setString(7, d.metadataJson());
                    ps.setObject(8, utc(d.createdAt()));
                    ps.setObject(9, utc(d.updatedAt()));
                    ps.addBatch();
                }
                int[] counts = ps.executeBatch();
                List<ImportedRows.Document> written = new ArrayList<>();
                List<UUID> notWritten = new ArrayList<>();
                for (int i = 0; i < counts.length; i++) {
                    if (counts[i] > 0) {
                        documentsWritten++;
                        written.add(documents.get(i));
                    } else {
                        notWritten.add(documents.get(i).id());
                    }
                }
                int elsewhere = heldByOtherTenants("documents", "id", notWritten);
                foreign += elsewhere;
                documentConflicts += notWritten.size() - elsewhere;
                rowOrigins(ImportedRows.Kind.DOCUMENT, written.stream().map(d -> new UUID[] {d.id(), d.sourceTenant(), d.sourceId()}).toList());
            }
            documents.clear();
        }

        private void writeChunks() throws SQLException {
            if (chunks.isEmpty()) return;
            if (onConflict == ImportRequest.OnConflict.REPLACE) {
                // A re-chunked source may put another chunk at an index this document already has.
                try (PreparedStatement del = c.prepareStatement("delete from chunks where tenant_id = ? and document_id = ?"
                        + " and chunk_index = ? and chunk_id <> ?")) {
                    for (ImportedRows.Chunk ch : chunks) {
                        del.setObject(1, ch.tenantId());
                        del.setObject(2, ch.documentId());
                        del.setInt(3, ch.chunkIndex());
                        del.setObject(4, ch.id());
                        del.addBatch();
                    }
                    del.executeBatch();
                }
            }
            String sql = "insert into chunks as k (chunk_id, document_id, tenant_id, chunk_index, text, token_count, metadata, created_at)"
                    + " values (?, ?, ?, ?, ?, ?, ?::jsonb, coalesce(?::timestamptz, now()))"
                    + conflictClause("chunk_id", "document_id, chunk_index, text, token_count, metadata, created_at").replace("%s", "k");
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (ImportedRows.Chunk ch : chunks) {
                    ps.setObject(1, ch.id());
                    ps.setObject(2, ch.documentId());
                    ps.setObject(3, ch.tenantId());
                    ps.setInt(4, ch.chunkIndex());
                    ps.setString(5, ch.text());
                    ps.setInt(6, ch.tokenCount());
                    ps.setString(7, ch.metadataJson());
                    ps.setObject(8, utc(ch.createdAt()));
                    ps.addBatch();
                }
                int[] counts = ps.executeBatch();
                List<ImportedRows.Chunk> written = new ArrayList<>();
                List<UUID> notWritten = new ArrayList<>();
                for (int i = 0; i < counts.length; i++) {
                    if (counts[i] > 0) {
                        chunksWritten++;
                        written.add(chunks.get(i));
                    } else {
                        notWritten.add(chunks.get(i).id());
                    }
                }
                int elsewhere = heldByOtherTenants("chunks", "chunk_id", notWritten);
                foreign += elsewhere;
                chunkConflicts += notWritten.size() - elsewhere;
                rowOrigins(ImportedRows.Kind.CHUNK, written.stream().map(ch -> new UUID[] {ch.id(), ch.sourceTenant(), ch.sourceId()}).toList());
            }
            chunks.clear();
        }

        /**
         * How many of the rows that were not written have their id in another tenant: never a
         * conflict to skip or replace (that would link or write across tenants), always a rejection.
         * With replace, a row not written can only be another tenant's (the guard refused it).
         */
        private int heldByOtherTenants(String table, String key, List<UUID> ids) throws SQLException {
            if (ids.isEmpty()) return 0;
            try (PreparedStatement ps = c.prepareStatement("select count(*) from " + table + " where " + key + " = any(?) and tenant_id <> ?")) {
                ps.setArray(1, c.createArrayOf("uuid", ids.toArray()));
                ps.setObject(2, claim.job().tenantId());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return onConflict == ImportRequest.OnConflict.REPLACE ? ids.size() : rs.getInt(1);
                }
            }
        }

        /** {target, source tenant, source id} of every written row: which import wrote it, and from what. */
        private void rowOrigins(ImportedRows.Kind kind, List<UUID[]> rows) throws SQLException {
            if (rows.isEmpty()) return;
            try (PreparedStatement ps = c.prepareStatement("insert into imported_rows (tenant_id, kind, target_id, import_id,"
                    + " source_tenant_id, source_id) values (?, ?, ?, ?, ?, ?) on conflict (tenant_id, kind, target_id)"
                    + " do update set import_id = excluded.import_id, source_tenant_id = excluded.source_tenant_id,"
                    + " source_id = excluded.source_id")) {
                for (UUID[] r : rows) {
                    ps.setObject(1, claim.job().tenantId());
                    ps.setString(2, kind.label());
                    ps.setObject(3, r[0]);
                    ps.setObject(4, claim.job().importId());
                    ps.setObject(5, r[1]);
                    ps.setObject(6, r[2]);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }

        @Override
        public boolean commit(ImportJob.Provenance provenance, ImportJob.Counts counts, String report) throws StoreException {
            if (flush().violation().isPresent()) throw new IllegalStateException("a staging that broke a constraint cannot commit");
            return Sql.run("completing import " + claim.job().importId(), () -> {
                try (PreparedStatement ps = c.prepareStatement("update imports set status = 'completed', source_tenant_id = ?,"
                        + " source_export_id = ?, signer_fingerprint = ?, bundle_format = ?, bundle_sha256 = ?, document_count = ?,"
                        + " chunk_count = ?, documents_written = ?, chunks_written = ?, documents_skipped = ?, chunks_skipped = ?,"
                        + " report = ?::jsonb, error = null, lease_until = null, lease_owner = null, updated_at = now(), completed_at = now()"
                        + " where tenant_id = ? and import_id = ? and lease_owner = ? and status = 'verifying'")) {
                    provenance(ps, 1, Optional.of(provenance));
                    ps.setInt(6, counts.documents());
                    ps.setInt(7, counts.chunks());
                    ps.setInt(8, counts.documentsWritten());
                    ps.setInt(9, counts.chunksWritten());
                    ps.setInt(10, counts.documentsSkipped());
                    ps.setInt(11, counts.chunksSkipped());
                    ps.setString(12, report);
                    ps.setObject(13, claim.job().tenantId());
                    ps.setObject(14, claim.job().importId());
                    ps.setObject(15, claim.token());
                    if (ps.executeUpdate() != 1) {
                        c.rollback();
                        return false;
                    }
                }
                c.commit();
                done = true;
                return true;
            });
        }

        @Override
        public void close() {
            try {
                if (!done) c.rollback();
            } catch (SQLException ignored) {
                // Closing the connection rolls back as well.
            } finally {
                done = true;
                try {
                    c.close();
                } catch (SQLException ignored) {
                    // Nothing more to release.
                }
            }
        }
    }

    private static java.time.OffsetDateTime utc(Optional<Instant> instant) {
        // java.time, not java.sql.Timestamp: Timestamp uses the Julian calendar before 1582 and would shift such dates.
        return instant.map(i -> i.atOffset(java.time.ZoneOffset.UTC)).orElse(null);
    }

    private static ImportJob map(ResultSet rs) throws SQLException {
        Optional<String> sha = Optional.ofNullable(rs.getString("bundle_sha256"));
        Optional<ImportJob.Provenance> provenance = sha.map(s -> {
            try {
                return new ImportJob.Provenance(Optional.ofNullable(rs.getObject("source_tenant_id", UUID.class)),
                        Optional.ofNullable(rs.getObject("source_export_id", UUID.class)),
                        Optional.ofNullable(rs.getString("signer_fingerprint")), Optional.ofNullable(rs.getString("bundle_format")), s);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        Optional<ImportJob.Counts> counts = Optional.empty();
        if (rs.getObject("document_count") != null) {
            counts = Optional.of(new ImportJob.Counts(rs.getInt("document_count"), rs.getInt("chunk_count"), rs.getInt("documents_written"),
                    rs.getInt("chunks_written"), rs.getInt("documents_skipped"), rs.getInt("chunks_skipped")));
        }
        return new ImportJob(rs.getObject("import_id", UUID.class), rs.getObject("tenant_id", UUID.class),
                ImportJob.Status.of(rs.getString("status")), ImportRequest.fromJson(rs.getString("request")),
                rs.getTimestamp("upload_expires_at").toInstant(), rs.getInt("attempts"), provenance, counts,
                Optional.ofNullable(rs.getString("report")), Optional.ofNullable(rs.getString("error")),
                rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant(),
                Optional.ofNullable(rs.getTimestamp("completed_at")).map(Timestamp::toInstant));
    }
}
