package io.frostbyte.export.storage.s3;

import io.frostbyte.export.storage.BundleStore;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Bundles in S3 under {@code exports/{tenant_id}/{export_id}.tar.gz}: streamed as a multipart
 * upload with a bounded part buffer (the bundle is never whole in memory or on disk), encrypted
 * server-side (SSE-S3, or SSE-KMS with a key id), aborted on any failure so no partial object or
 * open upload remains, and stamped with its SHA-256 in the object metadata on commit.
 */
public final class S3BundleStore implements BundleStore {
    /** 8 MiB parts: S3's 10,000-part limit then allows bundles up to ~78 GiB. */
    public static final int PART_SIZE = 8 * 1024 * 1024;
    private static final long COPY_LIMIT = 5L * 1024 * 1024 * 1024;

    private final S3Client s3;
    private final S3Presigner presigner;
    private final String bucket;
    private final Optional<String> kmsKeyId;

    private final java.util.function.Supplier<Optional<java.time.Instant>> credentialsExpiry;

    public S3BundleStore(S3Client s3, S3Presigner presigner, String bucket, Optional<String> kmsKeyId) {
        this(s3, presigner, bucket, kmsKeyId, Optional::empty);
    }

    /**
     * {@code credentialsExpiry}: when the credentials the presigner signs with expire (a function's
     * role session does); a pre-signed URL dies with them, so none is made to outlive them.
     */
    public S3BundleStore(S3Client s3, S3Presigner presigner, String bucket, Optional<String> kmsKeyId,
            java.util.function.Supplier<Optional<java.time.Instant>> credentialsExpiry) {
        this.credentialsExpiry = credentialsExpiry;
        this.s3 = s3;
        this.presigner = presigner;
        this.bucket = bucket;
        this.kmsKeyId = kmsKeyId;
    }

    /** Fails with a readable message when the bucket is missing, unreachable or forbidden. */
    @Override
    public void check() throws IOException {
        try {
            s3.headBucket(b -> b.bucket(bucket));
        } catch (SdkException e) {
            throw new IOException("bundle bucket '" + bucket + "' is not usable: " + e.getMessage(), e);
        }
    }

    private CreateMultipartUploadRequest.Builder encryption(CreateMultipartUploadRequest.Builder b) {
        return kmsKeyId.map(k -> b.serverSideEncryption(ServerSideEncryption.AWS_KMS).ssekmsKeyId(k))
                .orElseGet(() -> b.serverSideEncryption(ServerSideEncryption.AES256));
    }

    @Override
    public Upload begin(UUID tenant, UUID export) throws IOException {
        String key = BundleStore.key(tenant, export);
        String uploadId;
        try {
            uploadId = s3.createMultipartUpload(b -> encryption(b.bucket(bucket).key(key).contentType("application/gzip"))).uploadId();
        } catch (SdkException e) {
            throw new IOException("cannot start the upload of " + key + ": " + e.getMessage(), e);
        }
        return new MultipartUpload(key, uploadId);
    }

    private final class MultipartUpload extends OutputStream implements Upload {
        private final String key;
        private final String uploadId;
        private final List<CompletedPart> parts = new ArrayList<>();
        private byte[] buffer = new byte[PART_SIZE];
        private int fill;
        private long total;
        private boolean finished;

        MultipartUpload(String key, String uploadId) {
            this.key = key;
            this.uploadId = uploadId;
        }

        @Override
        public OutputStream stream() {
            return this;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (finished) throw new IOException("upload of " + key + " already ended");
            while (len > 0) {
                int n = Math.min(len, buffer.length - fill);
                System.arraycopy(b, off, buffer, fill, n);
                fill += n;
                off += n;
                len -= n;
                if (fill == buffer.length) uploadPart();
            }
        }

        private void uploadPart() throws IOException {
            int number = parts.size() + 1;
            try {
                String etag = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(number)
                        .contentLength((long) fill), RequestBody.fromByteBuffer(java.nio.ByteBuffer.wrap(buffer, 0, fill))).eTag();
                parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
                total += fill;
                fill = 0;
            } catch (SdkException e) {
                abort();
                throw new IOException("upload of part " + number + " of " + key + " failed: " + e.getMessage(), e);
            }
        }

        @Override
        public void commit(String sha256) throws IOException {
            if (finished) throw new IOException("upload of " + key + " already ended");
            if (fill > 0 || parts.isEmpty()) uploadPart();
            try {
                s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                        .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build()));
                finished = true;
                buffer = null;
            } catch (SdkException e) {
                abort();
                throw new IOException("cannot complete the upload of " + key + ": " + e.getMessage(), e);
            }
            stampChecksum(sha256);
        }

        /** The SHA-256 is known only at the end; an in-place copy puts it into the metadata. */
        private void stampChecksum(String sha256) throws IOException {
            if (total > COPY_LIMIT) return; // documented: larger bundles carry the hash in the job only
            try {
                s3.copyObject(b -> {
                    b.sourceBucket(bucket).sourceKey(key).destinationBucket(bucket).destinationKey(key)
                            .metadataDirective(MetadataDirective.REPLACE).contentType("application/gzip")
                            .metadata(Map.of("sha256", sha256));
                    kmsKeyId.ifPresentOrElse(k -> b.serverSideEncryption(ServerSideEncryption.AWS_KMS).ssekmsKeyId(k),
                            () -> b.serverSideEncryption(ServerSideEncryption.AES256));
                });
            } catch (SdkException e) {
                throw new IOException("cannot record the SHA-256 of " + key + ": " + e.getMessage(), e);
            }
        }

        @Override
        public void abort() {
            if (finished) return;
            finished = true;
            buffer = null;
            try {
                s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
            } catch (SdkException ignored) {
                // The bucket's AbortIncompleteMultipartUpload lifecycle rule is the backstop.
            }
        }

        @Override
        public void close() {
            abort();
        }
    }

    @Override
    public DownloadUrl downloadUrl(UUID tenant, UUID export, Duration ttl) {
        String key = BundleStore.key(tenant, export);
        Duration signFor = signatureDuration(ttl, credentialsExpiry.get(), java.time.Instant.now());
        var presigned = presigner.presignGetObject(p -> p.signatureDuration(signFor).getObjectRequest(g -> g.bucket(bucket).key(key)
                .responseContentDisposition("attachment; filename=\"" + export + ".tar.gz\"")));
        return new DownloadUrl(URI.create(presigned.url().toString()), presigned.expiration());
    }

    /** The TTL, shortened to end a minute before the signing credentials do (but at least a minute). */
    static Duration signatureDuration(Duration ttl, Optional<java.time.Instant> credentialsExpire, java.time.Instant now) {
        if (credentialsExpire.isEmpty()) return ttl;
        Duration left = Duration.between(now, credentialsExpire.get()).minusMinutes(1);
        if (left.compareTo(ttl) >= 0) return ttl;
        return left.compareTo(Duration.ofMinutes(1)) < 0 ? Duration.ofMinutes(1) : left;
    }

    /** The object's metadata, for tests and operators. */
    public HeadObjectResponse head(UUID tenant, UUID export) {
        return s3.headObject(b -> b.bucket(bucket).key(BundleStore.key(tenant, export)));
    }
}
