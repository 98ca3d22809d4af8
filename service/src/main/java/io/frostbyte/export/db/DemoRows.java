package io.frostbyte.export.db;

import io.frostbyte.export.export.StoreException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.UUID;

/**
 * Writes documents and their chunks, for the local runner's demo data and the tests. In
 * production the platform's own services write these tables; this service only reads them.
 */
public final class DemoRows {
    /** A document as the platform stores it, with the texts of its chunks in order. */
    public record Document(UUID id, UUID tenantId, String title, String sourceUri, String content, String metadataJson,
            List<String> chunks) {}

    private DemoRows() {}

    /** Inserts each document and its chunks, skipping documents that already exist; one transaction. */
    public static void insert(Database db, List<Document> documents) throws StoreException {
        Sql.run("inserting demo documents", () -> {
            try (Connection c = db.connection()) {
                c.setAutoCommit(false);
                for (Document d : documents) {
                    try (PreparedStatement ps = c.prepareStatement("insert into documents (id, tenant_id, title, source_uri,"
                            + " content_type, content, metadata) values (?, ?, ?, ?, 'text/plain', ?, ?::jsonb) on conflict (id) do nothing")) {
                        ps.setObject(1, d.id());
                        ps.setObject(2, d.tenantId());
                        ps.setString(3, d.title());
                        ps.setString(4, d.sourceUri());
                        ps.setString(5, d.content());
                        ps.setString(6, d.metadataJson());
                        if (ps.executeUpdate() == 0) continue;
                    }
                    for (int k = 0; k < d.chunks().size(); k++) {
                        String text = d.chunks().get(k);
                        try (PreparedStatement ps = c.prepareStatement("insert into chunks (chunk_id, document_id, tenant_id,"
                                + " chunk_index, text, token_count, metadata) values (?, ?, ?, ?, ?, ?, '{}'::jsonb)")) {
                            ps.setObject(1, UUID.nameUUIDFromBytes((d.id() + ":" + k).getBytes(StandardCharsets.UTF_8)));
                            ps.setObject(2, d.id());
                            ps.setObject(3, d.tenantId());
                            ps.setInt(4, k);
                            ps.setString(5, text);
                            ps.setInt(6, text.length() / 4);
                            ps.executeUpdate();
                        }
                    }
                }
                c.commit();
                return null;
            }
        });
    }
}
