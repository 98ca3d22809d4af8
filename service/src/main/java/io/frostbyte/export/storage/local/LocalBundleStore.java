package io.frostbyte.export.storage.local;

import io.frostbyte.export.storage.BundleStore;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Bundles in {@code $EXPORT_STORAGE_PATH/{tenant_id}/{export_id}.tar.gz}, written under a temporary
 * name and renamed, and served by the local runner through HMAC-signed, expiring URLs.
 */
public final class LocalBundleStore implements BundleStore {
    private final Path root;
    private final String baseUrl;
    private final byte[] urlSecret;
    private final Clock clock;

    public LocalBundleStore(Path root, String baseUrl, byte[] urlSecret, Clock clock) {
        this.root = root;
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.urlSecret = urlSecret.clone();
        this.clock = clock;
    }

    public Path path(UUID tenant, UUID export) {
        return root.resolve(tenant.toString()).resolve(export + ".tar.gz");
    }

    @Override
    public Upload begin(UUID tenant, UUID export) throws IOException {
        Path target = path(tenant, export);
        Files.createDirectories(target.getParent());
        // A new attempt means earlier ones are dead (their lease expired): drop what a killed one left.
        try (var stale = Files.newDirectoryStream(target.getParent(), "." + export + "*.partial")) {
            for (Path p : stale) Files.deleteIfExists(p);
        }
        Path temp = Files.createTempFile(target.getParent(), "." + export, ".partial");
        OutputStream out = new BufferedOutputStream(Files.newOutputStream(temp), 1 << 16);
        return new Upload() {
            private boolean done;

            @Override
            public OutputStream stream() {
                return out;
            }

            @Override
            public void commit(String sha256) throws IOException {
                out.close();
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                Files.writeString(target.resolveSibling(export + ".tar.gz.sha256"), sha256 + "\n");
                done = true;
            }

            @Override
            public void abort() {
                if (done) return;
                done = true;
                try {
                    out.close();
                } catch (IOException ignored) {
                    // The partial file goes anyway.
                }
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // Best effort: a leftover .partial is never served.
                }
            }
        };
    }

    @Override
    public DownloadUrl downloadUrl(UUID tenant, UUID export, Duration ttl) {
        Instant expires = clock.instant().plus(ttl).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        String path = "/_local/bundles/" + tenant + "/" + export + ".tar.gz";
        String query = "expires=" + expires.getEpochSecond() + "&signature=" + sign(path, expires.getEpochSecond());
        return new DownloadUrl(URI.create(baseUrl + path + "?" + query), expires);
    }

    /** The file a signed URL names, if the signature is right and it has not expired. */
    public Optional<Path> resolve(String path, String expires, String signature) {
        long exp;
        try {
            exp = Long.parseLong(expires);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        if (clock.instant().getEpochSecond() > exp) return Optional.empty();
        if (!MessageDigest.isEqual(sign(path, exp).getBytes(StandardCharsets.US_ASCII),
                signature.getBytes(StandardCharsets.US_ASCII))) {
            return Optional.empty();
        }
        String[] parts = path.split("/");
        if (parts.length != 5) return Optional.empty();
        try {
            UUID tenant = UUID.fromString(parts[3]);
            UUID export = UUID.fromString(parts[4].replace(".tar.gz", ""));
            Path file = path(tenant, export);
            return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private String sign(String path, long expires) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(urlSecret, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal((path + "\n" + expires).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is always available", e);
        }
    }
}
