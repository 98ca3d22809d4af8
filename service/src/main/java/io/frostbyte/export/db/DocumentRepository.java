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
import java.util.Collection;
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
    public <T> T inSnapshot(UUID tenant, List<UUID> idList, boolean includeChunks, SnapshotReader<T> reader) throws Exception {
        UUID[] ids = idList.toArray(UUID[]::new);
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            c.setReadOnly(true);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            int[] counts = counts(c, tenant, ids, includeChunks);
            T result = reader.read(new Snapshot() {
                @Override
                public int documentCount() {
                    return counts[0];
                }

                @Override
                public int chunkCount() {
                    return counts[1];
                }

                @Override
                public void chunks(RowConsumer consumer) throws Exception {
                    if (includeChunks) streamChunks(c, tenant, ids, consumer);
                }

                @Override
                public void documents(RowConsumer consumer) throws Exception {
                    streamDocuments(c, tenant, ids, consumer);
                }
            });
            c.commit();
            return result;
        }
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

    /** Counts of the tenant's documents among {@code ids} and of their chunks. */
    private static int[] counts(Connection c, UUID tenant, UUID[] ids, boolean chunks) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "select (select count(*) from documents where tenant_id = ? and id = any(?)),"
                        + " (select count(*) from chunks where tenant_id = ? and document_id = any(?))")) {
            Array array = c.createArrayOf("uuid", ids);
            ps.setObject(1, tenant);
            ps.setArray(2, array);
            ps.setObject(3, tenant);
            ps.setArray(4, array);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new int[] {rs.getInt(1), chunks ? rs.getInt(2) : 0};
            }
        }
    }

    /**
     * Streams the tenant's chunks of {@code ids}, ordered by chunk id (the bundle's path order),
     * through a server-side cursor; {@code c} must not be in auto-commit mode.
     */
    private static void streamChunks(Connection c, UUID tenant, UUID[] ids, RowConsumer consumer) throws Exception {
        stream(c, "select chunk_id, document_id, tenant_id, chunk_index, text, token_count, metadata::text, created_at"
                + " from chunks where tenant_id = ? and document_id = any(?) order by chunk_id", CHUNK_FETCH, tenant, ids, rs -> {
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

    /** Streams the tenant's documents among {@code ids}, ordered by id, through a server-side cursor. */
    private static void streamDocuments(Connection c, UUID tenant, UUID[] ids, RowConsumer consumer) throws Exception {
        stream(c, "select id, tenant_id, title, source_uri, content_type, content, metadata::text, created_at, updated_at"
                + " from documents where tenant_id = ? and id = any(?) order by id", DOCUMENT_FETCH, tenant, ids, rs -> {
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

    private interface Mapper {
        Row map(ResultSet rs) throws SQLException;
    }

    private static void stream(Connection c, String sql, int fetchSize, UUID tenant, UUID[] ids, Mapper mapper, RowConsumer consumer)
            throws Exception {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setFetchSize(fetchSize);
            ps.setObject(1, tenant);
            ps.setArray(2, c.createArrayOf("uuid", ids));
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
