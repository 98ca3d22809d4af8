package io.frostbyte.export.export;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** Port: a tenant's documents and chunks, always filtered by tenant. */
public interface Documents {
    /** One serialised row, ready for the bundle. */
    record Row(UUID id, byte[] json) {}

    interface RowConsumer {
        void accept(Row row) throws Exception;
    }

    /** One consistent view of the rows an export reads. */
    interface Snapshot {
        int documentCount();

        int chunkCount();

        /** The chunks of the documents, ordered by chunk id (the bundle's path order). */
        void chunks(RowConsumer consumer) throws Exception;

        /** The documents, ordered by id. */
        void documents(RowConsumer consumer) throws Exception;
    }

    interface SnapshotReader<T> {
        T read(Snapshot snapshot) throws Exception;
    }

    /** Which of {@code ids} are documents of {@code tenant}. */
    Set<UUID> existing(UUID tenant, Collection<UUID> ids) throws StoreException;

    /**
     * Runs {@code reader} over one repeatable-read snapshot of the tenant's documents among {@code ids}
     * (and their chunks when {@code includeChunks}), so that rows updated meanwhile are wholly in or out.
     */
    <T> T inSnapshot(UUID tenant, List<UUID> ids, boolean includeChunks, SnapshotReader<T> reader) throws Exception;
}
