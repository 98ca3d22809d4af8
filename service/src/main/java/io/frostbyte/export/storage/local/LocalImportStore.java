package io.frostbyte.export.storage.local;

import io.frostbyte.export.storage.ImportStore;
import java.io.IOException;
import java.io.InputStream;
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
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Import uploads in {@code $EXPORT_STORAGE_PATH/imports/{tenant_id}/{import_id}.tar.gz}. The local
 * runner accepts a PUT on an HMAC-signed URL that names the declared length and SHA-256, and keeps
 * the body only when both match, as S3 does with a pre-signed PUT that signs them.
 */
public final class LocalImportStore implements ImportStore {
    public static final String PATH_PREFIX = "/_local/imports/";

    private final Path root;
    private final String baseUrl;
    private final byte[] urlSecret;
    private final Clock clock;

    public LocalImportStore(Path storageRoot, String baseUrl, byte[] urlSecret, Clock clock) {
        this.root = storageRoot.resolve("imports");
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.urlSecret = urlSecret.clone();
        this.clock = clock;
    }

    public Path path(Ref ref) {
        return root.resolve(ref.tenant().toString()).resolve(ref.importId() + ".tar.gz");
    }

    @Override
    public UploadUrl uploadUrl(Ref ref, long size, String sha256Hex, Duration ttl) {
        Instant expires = clock.instant().plus(ttl).truncatedTo(ChronoUnit.SECONDS);
        String path = PATH_PREFIX + ref.tenant() + "/" + ref.importId() + ".tar.gz";
        String query = "expires=" + expires.getEpochSecond() + "&size=" + size + "&sha256=" + sha256Hex
                + "&signature=" + sign(path, expires.getEpochSecond(), size, sha256Hex);
        return new UploadUrl(URI.create(baseUrl + path + "?" + query), Map.of(), expires);
    }

    /** Why an upload was refused, as an HTTP status and a sentence. */
    public static final class Refused extends Exception {
        private final int status;

        Refused(int status, String message) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    /**
     * Takes the body of a PUT to a signed upload URL: stored under the import's key only when the URL
     * is valid and unexpired and the body has exactly the signed length and SHA-256.
     *
     * @return the key of the stored object, for the upload event
     */
    public String accept(String path, Map<String, String> query, long contentLength, InputStream body) throws Refused, IOException {
        long expires;
        long size;
        try {
            expires = Long.parseLong(query.getOrDefault("expires", ""));
            size = Long.parseLong(query.getOrDefault("size", ""));
        } catch (NumberFormatException e) {
            throw new Refused(403, "the upload URL is invalid; create a new import for a fresh one");
        }
        String sha = query.getOrDefault("sha256", "");
        String signature = query.getOrDefault("signature", "");
        if (!MessageDigest.isEqual(sign(path, expires, size, sha).getBytes(StandardCharsets.US_ASCII),
                signature.getBytes(StandardCharsets.US_ASCII))) {
            throw new Refused(403, "the upload URL is invalid; create a new import for a fresh one");
        }
        if (clock.instant().getEpochSecond() > expires) throw new Refused(403, "the upload URL has expired; create a new import");
        Optional<Ref> ref = Ref.ofKey(path.substring("/_local/".length()));
        if (ref.isEmpty()) throw new Refused(403, "the upload URL is invalid");
        if (contentLength >= 0 && contentLength != size) {
            throw new Refused(400, "the body is " + contentLength + " bytes; this URL takes exactly " + size);
        }
        Path target = path(ref.get());
        Files.createDirectories(target.getParent());
        Path temp = Files.createTempFile(target.getParent(), "." + ref.get().importId(), ".partial");
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            long total = 0;
            try (OutputStream out = Files.newOutputStream(temp)) {
                byte[] buf = new byte[64 * 1024];
                int n;
                while ((n = body.read(buf)) > 0) {
                    total += n;
                    if (total > size) throw new Refused(400, "the body is longer than the " + size + " bytes this URL takes");
                    digest.update(buf, 0, n);
                    out.write(buf, 0, n);
                }
            }
            if (total != size) throw new Refused(400, "the body is " + total + " bytes; this URL takes exactly " + size);
            String actual = HexFormat.of().formatHex(digest.digest());
            if (!actual.equals(sha)) {
                throw new Refused(400, "the body's SHA-256 is " + actual + "; this URL takes only " + sha + " (BadDigest)");
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return ImportStore.key(ref.get().tenant(), ref.get().importId());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    @Override
    public Optional<Stored> head(Ref ref) throws IOException {
        Path p = path(ref);
        // Only verified bodies are ever renamed into place, so the declared digest is what is stored.
        return Files.isRegularFile(p) ? Optional.of(new Stored(Files.size(p), Optional.empty())) : Optional.empty();
    }

    @Override
    public InputStream open(Ref ref) throws IOException {
        return Files.newInputStream(path(ref));
    }

    @Override
    public void delete(Ref ref) throws IOException {
        Files.deleteIfExists(path(ref));
    }

    private String sign(String path, long expires, long size, String sha) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(urlSecret, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(("PUT\n" + path + "\n" + expires + "\n" + size + "\n" + sha)
                    .getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is always available", e);
        }
    }
}
