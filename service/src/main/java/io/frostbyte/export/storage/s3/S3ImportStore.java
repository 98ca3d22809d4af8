package io.frostbyte.export.storage.s3;

import io.frostbyte.export.storage.ImportStore;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.PresignedPutObjectRequest;

/**
 * Import uploads in S3 under {@code imports/{tenant_id}/{import_id}.tar.gz}. The upload URL is a
 * pre-signed PUT whose signature covers {@code Content-Length} and {@code x-amz-checksum-sha256}:
 * S3 refuses any body of another length or digest, so only the declared bundle can arrive.
 */
public final class S3ImportStore implements ImportStore {
    private final S3Client s3;
    private final S3Presigner presigner;
    private final String bucket;

    public S3ImportStore(S3Client s3, S3Presigner presigner, String bucket) {
        this.s3 = s3;
        this.presigner = presigner;
        this.bucket = bucket;
    }

    @Override
    public UploadUrl uploadUrl(Ref ref, long size, String sha256Hex, Duration ttl) {
        String checksum = Base64.getEncoder().encodeToString(HexFormat.of().parseHex(sha256Hex));
        PresignedPutObjectRequest p = presigner.presignPutObject(r -> r.signatureDuration(ttl).putObjectRequest(o -> o.bucket(bucket)
                .key(ImportStore.key(ref.tenant(), ref.importId())).contentLength(size)
                .checksumAlgorithm(ChecksumAlgorithm.SHA256).checksumSHA256(checksum)
                .contentType("application/gzip")));
        Map<String, String> headers = new TreeMap<>();
        for (Map.Entry<String, List<String>> h : p.signedHeaders().entrySet()) {
            // The HTTP client sets Host itself.
            if (!h.getKey().equalsIgnoreCase("host")) headers.put(h.getKey().toLowerCase(Locale.ROOT), String.join(",", h.getValue()));
        }
        return new UploadUrl(URI.create(p.url().toString()), headers, p.expiration());
    }

    @Override
    public Optional<Stored> head(Ref ref) throws IOException {
        try {
            HeadObjectResponse h = s3.headObject(b -> b.bucket(bucket).key(ImportStore.key(ref.tenant(), ref.importId()))
                    .checksumMode(ChecksumMode.ENABLED));
            Optional<String> sha = Optional.ofNullable(h.checksumSHA256()).filter(c -> !c.contains("-"))
                    .map(c -> HexFormat.of().formatHex(Base64.getDecoder().decode(c)));
            return Optional.of(new Stored(h.contentLength(), sha));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) return Optional.empty();
            throw new IOException("cannot look up upload " + ImportStore.key(ref.tenant(), ref.importId()) + ": " + e.getMessage(), e);
        } catch (SdkException e) {
            throw new IOException("cannot look up upload " + ImportStore.key(ref.tenant(), ref.importId()) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public InputStream open(Ref ref) throws IOException {
        try {
            return s3.getObject(b -> b.bucket(bucket).key(ImportStore.key(ref.tenant(), ref.importId())));
        } catch (SdkException e) {
            throw new IOException("cannot read upload " + ImportStore.key(ref.tenant(), ref.importId()) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void delete(Ref ref) throws IOException {
        try {
            s3.deleteObject(b -> b.bucket(bucket).key(ImportStore.key(ref.tenant(), ref.importId())));
        } catch (SdkException e) {
            throw new IOException("cannot delete upload " + ImportStore.key(ref.tenant(), ref.importId()) + ": " + e.getMessage(), e);
        }
    }
}
