package io.frostbyte.export.storage;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/** Where finished bundles live: S3, or a local directory. */
public interface BundleStore {
    /** The object key of a bundle: {@code exports/{tenant_id}/{export_id}.tar.gz}. */
    static String key(UUID tenant, UUID export) {
        return "exports/" + tenant + "/" + export + ".tar.gz";
    }

    /** A bundle being written; {@link #commit} publishes it, {@link #abort} leaves nothing behind. */
    interface Upload extends AutoCloseable {
        OutputStream stream();

        /** Publishes the bundle under its key; {@code sha256} goes into the object's metadata. */
        void commit(String sha256) throws IOException;

        void abort();

        @Override
        default void close() {
            abort();
        }
    }

    Upload begin(UUID tenant, UUID export) throws IOException;

    /** Fails with a readable message when the store cannot be used (missing bucket, no access, no endpoint). */
    default void check() throws IOException {}

    /** A URL that downloads the bundle without credentials until it expires. */
    record DownloadUrl(URI url, Instant expiresAt) {}

    DownloadUrl downloadUrl(UUID tenant, UUID export, Duration ttl) throws IOException;
}
