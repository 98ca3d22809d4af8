package io.frostbyte.export.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.frostbyte.export.bundle.BundleSummary;
import io.frostbyte.export.bundle.BundleWriteException;
import io.frostbyte.export.bundle.BundleWriter;
import io.frostbyte.export.signing.TrustedKeys;
import io.frostbyte.export.storage.s3.S3BundleStore;
import io.frostbyte.export.testing.Corpus;
import io.frostbyte.export.testing.Moto;
import io.frostbyte.export.testing.TestKeys;
import io.frostbyte.export.verify.BundleVerifier;
import io.frostbyte.export.verify.VerificationPolicy;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/** The S3 bundle store against moto's server, over the real S3 wire protocol. */
class S3BundleStoreIT {
    final S3Client s3 = Moto.s3();
    final String bucket = Moto.newBucket(s3);
    final S3BundleStore store = new S3BundleStore(s3, Moto.presigner(), bucket, Optional.empty());

    BundleSummary write(BundleStore.Upload upload, UUID tenant, UUID export, int documents, InputStream poison) throws Exception {
        Corpus corpus = new Corpus(3);
        try (BundleWriter w = BundleWriter.builder().exportId(export).tenantId(tenant).createdAt(TestKeys.CREATED)
                .signingKey(TestKeys.a()).compressionLevel(1).open(upload.stream())) {
            for (int i = 0; i < documents; i++) {
                w.addDocument(new UUID(0, i + 1), corpus.documentJson(new UUID(0, i + 1), tenant, 200_000));
            }
            if (poison != null) w.addFile("documents/zz.json", poison, 1 << 20);
            return w.finish();
        }
    }

    @Test
    void commit_multipartBundle_presignedUrlServesExactBytesWithShaMetadata() throws Exception {
        UUID tenant = UUID.randomUUID();
        UUID export = UUID.randomUUID();
        BundleSummary summary;
        try (BundleStore.Upload upload = store.begin(tenant, export)) {
            summary = write(upload, tenant, export, 120, null); // ~24 MB of text: several 8 MiB parts
            upload.commit(summary.bundleSha256());
        }
        var head = store.head(tenant, export);
        assertEquals(summary.bundleSha256(), head.metadata().get("sha256"));
        assertEquals(ServerSideEncryption.AES256, head.serverSideEncryption());
        assertEquals(summary.bundleSize(), head.contentLength());

        BundleStore.DownloadUrl url = store.downloadUrl(tenant, export, Duration.ofMinutes(15));
        assertTrue(url.expiresAt().isAfter(java.time.Instant.now().plusSeconds(800)));
        HttpResponse<byte[]> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(url.url()).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode());
        assertEquals(summary.bundleSha256(), HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(r.body())));
        assertTrue(r.headers().firstValue("Content-Disposition").orElse("").contains(export + ".tar.gz"));
        assertTrue(BundleVerifier.verify(new ByteArrayInputStream(r.body()),
                VerificationPolicy.of(TrustedKeys.fromArmored(TestKeys.publicKey(TestKeys.a()))), n -> {}).isValid());
    }

    @Test
    void failedHalfway_leavesNoObjectAndNoOpenUpload() throws Exception {
        UUID tenant = UUID.randomUUID();
        UUID export = UUID.randomUUID();
        InputStream failing = new InputStream() {
            int left = 100_000;

            @Override
            public int read() throws IOException {
                if (left-- > 0) return 'x';
                throw new IOException("database connection lost");
            }
        };
        try (BundleStore.Upload upload = store.begin(tenant, export)) {
            assertThrows(BundleWriteException.class, () -> write(upload, tenant, export, 60, failing));
        } // closing without commit aborts
        assertTrue(s3.listMultipartUploads(b -> b.bucket(bucket)).uploads().isEmpty(), "an open multipart upload remains");
        assertThrows(NoSuchKeyException.class, () -> s3.headObject(b -> b.bucket(bucket).key(BundleStore.key(tenant, export))));
    }

    @Test
    void check_missingBucket_readableError() {
        S3BundleStore missing = new S3BundleStore(s3, Moto.presigner(), "no-such-bucket-" + UUID.randomUUID(), Optional.empty());
        IOException e = assertThrows(IOException.class, missing::check);
        assertTrue(e.getMessage().startsWith("bundle bucket 'no-such-bucket-"), e.getMessage());
    }

    @Test
    void commit_sseKms_requestedOnTheObject() throws Exception {
        String keyId = "arn:aws:kms:us-east-1:123456789012:key/" + UUID.randomUUID();
        S3BundleStore kms = new S3BundleStore(s3, Moto.presigner(), bucket, Optional.of(keyId));
        UUID tenant = UUID.randomUUID();
        UUID export = UUID.randomUUID();
        try (BundleStore.Upload upload = kms.begin(tenant, export)) {
            BundleSummary s = write(upload, tenant, export, 2, null);
            upload.commit(s.bundleSha256());
        }
        assertEquals(ServerSideEncryption.AWS_KMS, kms.head(tenant, export).serverSideEncryption());
    }
}
