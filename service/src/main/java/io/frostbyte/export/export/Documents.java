package io.frostbyte.export.export;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

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

    /** Which documents an export reads: the listed ids, or what a selection matches. */
    record Scope(List<UUID> ids, Optional<Selection> selection) {
        public Scope {
            ids = List.copyOf(ids);
            Objects.requireNonNull(selection, "selection");
            if (ids.isEmpty() == selection.isEmpty()) throw new IllegalArgumentException("a scope is ids or a selection");
        }

        public static Scope of(List<UUID> ids) {
            return new Scope(ids, Optional.empty());
        }

        public static Scope of(Selection selection) {
            return new Scope(List.of(), Optional.of(selection));
        }
    }

    /** One consistent view of the rows an export reads. */
    interface Snapshot {
        /** When the snapshot was taken (the database's clock). */
        Instant takenAt();

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
     * Runs {@code reader} over one repeatable-read snapshot of the tenant's documents in {@code scope}
     * (and their chunks when {@code includeChunks}), so that rows updated meanwhile are wholly in or out.
     */
    <T> T inSnapshot(UUID tenant, Scope scope, boolean includeChunks, SnapshotReader<T> reader) throws Exception;

    /** How many of the tenant's documents {@code selection} matches now, and how many chunks they have. */
    record Counts(long documents, long chunks) {}

    Counts count(UUID tenant, Selection selection) throws StoreException;
}
