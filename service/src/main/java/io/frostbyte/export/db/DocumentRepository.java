package io.frostbyte.export.db;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.frostbyte.export.json.Jcs;
import java.io.IOException;
import java.sql.Array;
import io.frostbyte.export.export.Documents;
import io.frostbyte.export.export.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.time.Instant;
import java.time.ZoneOffset;
import io.frostbyte.export.export.Selection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** Documents and chunks, always filtered by tenant. */
public final class DocumentRepository implements Documents {
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * Rows per cursor round trip. Documents can be megabytes each and the worker must stay in a small
     * heap (a 1 GiB export runs under -Xmx256m), so only a few are fetched at once; chunks are small.
     */
    private static final int DOCUMENT_FETCH = 4;
    private static final int CHUNK_FETCH = 500;

    private final Database db;

    public DocumentRepository(Database db) {
        this.db = db;
    }

    @Override
    public Set<UUID> existing(UUID tenant, Collection<UUID> ids) throws StoreException {
        return Sql.run("looking up documents of tenant " + tenant, () -> existingSql(tenant, ids));
    }

    @Override
    public <T> T inSnapshot(UUID tenant, Scope scope, boolean includeChunks, SnapshotReader<T> reader) throws Exception {
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            c.setReadOnly(true);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            // Counts, chunks and documents all read this one snapshot: an update committed meanwhile is wholly absent.
            Instant takenAt;
            try (PreparedStatement ps = c.prepareStatement("select statement_timestamp()"); ResultSet rs = ps.executeQuery()) {
                rs.next();
                takenAt = rs.getTimestamp(1).toInstant();
            }
            // The selection's documents are resolved to ids first, inside the snapshot: the chunk queries
            // then use the same index lookups as a listed export, whatever the planner thinks of a
            // freshly loaded tenant (a semi-join planned on stale statistics went quadratic).
            UUID[] ids = scope.selection().isPresent() ? ids(c, Filter.of(tenant, scope)) : scope.ids().toArray(UUID[]::new);
            Filter filter = Filter.ofIds(tenant, ids);
            long[] counts = counts(c, tenant, ids);
            T result = reader.read(new Snapshot() {
                @Override
                public Instant takenAt() {
                    return takenAt;
                }

                @Override
                public int documentCount() {
                    return (int) counts[0];
                }

                @Override
                public int chunkCount() {
                    return includeChunks ? (int) counts[1] : 0;
                }

                @Override
                public void chunks(RowConsumer consumer) throws Exception {
                    if (includeChunks) streamChunks(c, tenant, ids, consumer);
                }

                @Override
                public void documents(RowConsumer consumer) throws Exception {
                    streamDocuments(c, filter, consumer);
                }
            });
            c.commit();
            return result;
        }
    }

    @Override
    public Counts count(UUID tenant, Selection selection) throws StoreException {
        return Sql.run("counting what a selection of tenant " + tenant + " matches", () -> {
            try (Connection c = db.connection()) {
                long[] n = counts(c, tenant, ids(c, Filter.of(tenant, Scope.of(selection))));
                return new Counts(n[0], n[1]);
            }
        });
    }

    /**
     * The documents of an export as SQL over alias {@code d}: always the tenant, then the ids or every
     * filter of the selection, with its parameters in order.
     */
    private record Filter(String where, List<Object> params) {
        static Filter of(UUID tenant, Scope scope) {
            StringBuilder where = new StringBuilder("d.tenant_id = ?");
            List<Object> params = new ArrayList<>(List.of(tenant));
            if (!scope.ids().isEmpty()) {
                where.append(" and d.id = any(?)");
                params.add(scope.ids().toArray(UUID[]::new));
            }
            scope.selection().ifPresent(sel -> {
                sel.updatedSince().ifPresent(v -> {
                    where.append(" and d.updated_at >= ?");
                    params.add(v.atOffset(ZoneOffset.UTC));
                });
                sel.updatedBefore().ifPresent(v -> {
                    where.append(" and d.updated_at < ?");
                    params.add(v.atOffset(ZoneOffset.UTC));
                });
                sel.contentType().ifPresent(v -> {
                    where.append(" and d.content_type = ?");
                    params.add(v);
                });
                sel.sourceUriPrefix().ifPresent(v -> {
                    where.append(" and starts_with(d.source_uri, ?)");
                    params.add(v);
                });
                sel.metadataContains().ifPresent(v -> {
                    where.append(" and d.metadata @> ?::jsonb");
                    params.add(v.toString());
                });
            });
            return new Filter(where.toString(), params);
        }

        /** Exactly these documents of the tenant. */
        static Filter ofIds(UUID tenant, UUID[] ids) {
            return new Filter("d.tenant_id = ? and d.id = any(?)", List.of(tenant, ids));
        }

        /** Binds the parameters from position {@code at}; returns the next free position. */
        int bind(Connection c, PreparedStatement ps, int at) throws SQLException {
            for (Object p : params) {
                if (p instanceof UUID[] ids) ps.setArray(at++, c.createArrayOf("uuid", ids));
                else ps.setObject(at++, p);
            }
            return at;
        }
    }

    /** The ids of the documents a filter matches, in id order. */
    private static UUID[] ids(Connection c, Filter f) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select d.id from documents d where " + f.where() + " order by d.id")) {
            ps.setFetchSize(10_000);
            f.bind(c, ps, 1);
            List<UUID> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(rs.getObject(1, UUID.class));
            }
            return out.toArray(UUID[]::new);
        }
    }

    /** Documents among {@code ids} of the tenant, and their chunks. */
    private static long[] counts(Connection c, UUID tenant, UUID[] ids) throws SQLException {
        Filter f = Filter.ofIds(tenant, ids);
        try (PreparedStatement ps = c.prepareStatement("select (select count(*) from documents d where " + f.where() + "),"
                + " (select count(*) from chunks k where k.tenant_id = ? and k.document_id = any(?))")) {
            int at = f.bind(c, ps, 1);
            ps.setObject(at++, tenant);
            ps.setArray(at, c.createArrayOf("uuid", ids));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new long[] {rs.getLong(1), rs.getLong(2)};
            }
        }
    }

    /**
     * Streams the chunks of the matched documents, ordered by chunk id (the bundle's path order),
     * through a server-side cursor; {@code c} must not be in auto-commit mode.
     */
    private static void streamChunks(Connection c, UUID tenant, UUID[] ids, RowConsumer consumer) throws Exception {
        stream(c, "select k.chunk_id, k.document_id, k.tenant_id, k.chunk_index, k.text, k.token_count, k.metadata::text, k.created_at"
                + " from chunks k where k.tenant_id = ? and k.document_id = any(?) order by k.chunk_id", CHUNK_FETCH, ps -> {
                    ps.setObject(1, tenant);
                    ps.setArray(2, c.createArrayOf("uuid", ids));
                }, rs -> {
            ObjectNode n = JSON.createObjectNode();
            n.put("chunk_id", rs.getObject(1, UUID.class).toString());
            n.put("document_id", rs.getObject(2, UUID.class).toString());
            n.put("tenant_id", rs.getObject(3, UUID.class).toString());
            n.put("chunk_index", rs.getInt(4));
            n.put("text", rs.getString(5));
            n.put("token_count", rs.getInt(6));
            n.set("metadata", metadata(rs.getString(7)));
            n.put("created_at", instant(rs.getTimestamp(8)));
            return new Row(rs.getObject(1, UUID.class), Jcs.canonicalize(n));
        }, consumer);
    }

    /** Streams the matched documents, ordered by id, through a server-side cursor. */
    private static void streamDocuments(Connection c, Filter f, RowConsumer consumer) throws Exception {
        stream(c, "select d.id, d.tenant_id, d.title, d.source_uri, d.content_type, d.content, d.metadata::text, d.created_at,"
                + " d.updated_at from documents d where " + f.where() + " order by d.id", DOCUMENT_FETCH, ps -> f.bind(c, ps, 1), rs -> {
            ObjectNode n = JSON.createObjectNode();
            n.put("id", rs.getObject(1, UUID.class).toString());
            n.put("tenant_id", rs.getObject(2, UUID.class).toString());
            n.put("title", rs.getString(3));
            String source = rs.getString(4);
            if (source == null) n.putNull("source_uri"); else n.put("source_uri", source);
            n.put("content_type", rs.getString(5));
            n.put("content", rs.getString(6));
            n.set("metadata", metadata(rs.getString(7)));
            n.put("created_at", instant(rs.getTimestamp(8)));
            n.put("updated_at", instant(rs.getTimestamp(9)));
            return new Row(rs.getObject(1, UUID.class), Jcs.canonicalize(n));
        }, consumer);
    }

    private Set<UUID> existingSql(UUID tenant, Collection<UUID> ids) throws SQLException {
        try (Connection c = db.connection();
                PreparedStatement ps = c.prepareStatement("select id from documents where tenant_id = ? and id = any(?)")) {
            ps.setObject(1, tenant);
            ps.setArray(2, c.createArrayOf("uuid", ids.toArray()));
            Set<UUID> found = new HashSet<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) found.add(rs.getObject(1, UUID.class));
            }
            return found;
        }
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private interface Mapper {
        Row map(ResultSet rs) throws SQLException;
    }

    private static void stream(Connection c, String sql, int fetchSize, Binder binder, Mapper mapper, RowConsumer consumer)
            throws Exception {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setFetchSize(fetchSize);
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) consumer.accept(mapper.map(rs));
            }
        }
    }

    private static JsonNode metadata(String json) throws SQLException {
        try {
            return JSON.readTree(json == null ? "{}" : json);
        } catch (IOException e) {
            throw new SQLException("metadata is not JSON", e);
        }
    }

    /** RFC 3339 UTC with microseconds as stored, so the serialisation is exact and stable. */
    static String instant(Timestamp ts) {
        return DateTimeFormatter.ISO_INSTANT.format(ts.toInstant());
    }
}
