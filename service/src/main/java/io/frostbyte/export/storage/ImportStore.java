package io.frostbyte.export.storage;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Where bundles to import are uploaded: S3 through a pre-signed PUT, or a local directory. */
public interface ImportStore {
    Pattern KEY = Pattern.compile("imports/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/"
            + "([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\\.tar\\.gz");

    /** The object key of an upload: {@code imports/{tenant_id}/{import_id}.tar.gz}. */
    static String key(UUID tenant, UUID importId) {
        return "imports/" + tenant + "/" + importId + ".tar.gz";
    }

    /** Tenant and import of an object key, if it is one of ours. */
    record Ref(UUID tenant, UUID importId) {
        public Ref {
            Objects.requireNonNull(tenant, "tenant");
            Objects.requireNonNull(importId, "importId");
        }

        public static Optional<Ref> ofKey(String key) {
            Matcher m = KEY.matcher(key);
            return m.matches() ? Optional.of(new Ref(UUID.fromString(m.group(1)), UUID.fromString(m.group(2)))) : Optional.empty();
        }
    }

    /** An expiring URL that accepts exactly one body: the declared length and SHA-256; {@code headers} must be sent with it. */
    record UploadUrl(URI url, Map<String, String> headers, Instant expiresAt) {
        public UploadUrl {
            Objects.requireNonNull(url, "url");
            headers = Map.copyOf(headers);
            Objects.requireNonNull(expiresAt, "expiresAt");
        }
    }

    UploadUrl uploadUrl(Ref ref, long size, String sha256Hex, Duration ttl) throws IOException;

    /** What was uploaded: its length, and the SHA-256 the store checked on upload when it keeps one. */
    record Stored(long size, Optional<String> sha256Hex) {}

    Optional<Stored> head(Ref ref) throws IOException;

    InputStream open(Ref ref) throws IOException;

    /** Removes an upload that must not stay (a body other than the declared one); absent is fine. */
    void delete(Ref ref) throws IOException;
}
