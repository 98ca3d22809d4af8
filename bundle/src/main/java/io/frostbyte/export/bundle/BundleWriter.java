package io.frostbyte.export.bundle;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.frostbyte.export.json.Jcs;
import io.frostbyte.export.signing.KeyMaterialException;
import io.frostbyte.export.signing.TenantSigningKey;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Writes one bundle in a single streaming pass: the caller adds payload files in ascending path
 * order (all chunks, then all documents), the writer tars, gzips and hashes them as they pass,
 * then canonicalises and signs the manifest and appends it as the last entry. Only the manifest's
 * file list is held in memory, never a file's or the bundle's bytes.
 *
 * <p>Bundles are reproducible: same data, key and {@code createdAt} give the same bytes, whatever
 * the thread count.
 */
public final class BundleWriter implements AutoCloseable {
    /**
     * Level 4: on English-like JSON it compresses within 7% of level 6 (ratio 3.14 vs 3.35) at 2.7x
     * its speed, and ~12% smaller than level 1; see the README's performance section for figures.
     */
    public static final int DEFAULT_LEVEL = 4;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int COPY_BUFFER = 64 * 1024;

    /** One listed file; the digest as bytes, not hex text: a bundle may list 250,000 of these. */
    private record Listed(String path, byte[] sha256, long size) {}

    private final UUID exportId;
    private final UUID tenantId;
    private final Instant createdAt;
    private final boolean includeChunks;
    private final TenantSigningKey key;
    private final java.util.Optional<ObjectNode> selection;
    private final String root;
    private final HashingOutputStream counted;
    private final ParallelGzipOutputStream gzip;
    private final TarArchiveOutputStream tar;
    private final List<Listed> files = new ArrayList<>();
    private final byte[] buffer = new byte[COPY_BUFFER];
    private String lastPath = "";
    private int documentCount;
    private int chunkCount;
    private boolean chunksDirWritten;
    private boolean documentsDirWritten;
    private boolean finished;

    private BundleWriter(Builder b, OutputStream out) throws BundleWriteException {
        this.exportId = Objects.requireNonNull(b.exportId, "exportId");
        this.tenantId = Objects.requireNonNull(b.tenantId, "tenantId");
        this.createdAt = Objects.requireNonNull(b.createdAt, "createdAt").truncatedTo(ChronoUnit.SECONDS);
        this.includeChunks = b.includeChunks;
        this.key = Objects.requireNonNull(b.signingKey, "signingKey");
        this.selection = b.selection.map(ObjectNode::deepCopy);
        this.root = exportId.toString();
        this.counted = new HashingOutputStream(out);
        try {
            this.gzip = new ParallelGzipOutputStream(counted, b.level, b.threads);
        } catch (IOException e) {
            throw new BundleWriteException(context("cannot start the gzip stream"), e);
        }
        this.tar = new TarArchiveOutputStream(gzip, "UTF-8");
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        writeDirectory(root + "/");
    }

    public static Builder builder() {
        return new Builder();
    }

    private String context(String what) {
        return "export " + exportId + ": " + what;
    }

    /** Adds {@code chunks/{chunkId}.json}. Chunks come before documents, in ascending id text order. */
    public void addChunk(UUID chunkId, byte[] json) throws BundleWriteException {
        if (!includeChunks) throw new IllegalStateException(context("chunks added to a bundle without include_chunks"));
        addFile(BundleFormat.chunkPath(chunkId), new ByteArrayInputStream(json), json.length);
    }

    /** Adds {@code documents/{documentId}.json}, in ascending id text order. */
    public void addDocument(UUID documentId, byte[] json) throws BundleWriteException {
        addFile(BundleFormat.documentPath(documentId), new ByteArrayInputStream(json), json.length);
    }

    /**
     * Adds a payload file of exactly {@code size} bytes read from {@code data}. {@code path} is relative
     * to the bundle's top directory, under {@code documents/} or {@code chunks/}, and must sort after
     * every path added before it.
     */
    public void addFile(String path, InputStream data, long size) throws BundleWriteException {
        if (finished) throw new IllegalStateException(context("bundle already finished"));
        boolean isChunk = path.startsWith(BundleFormat.CHUNKS + "/");
        boolean isDocument = path.startsWith(BundleFormat.DOCUMENTS + "/");
        if ((!isChunk && !isDocument) || BundleFormat.unsafeNameReason(path).isPresent() || path.endsWith("/")) {
            throw new IllegalArgumentException(context("not a payload path: " + path));
        }
        if (path.compareTo(lastPath) <= 0) {
            throw new IllegalArgumentException(context("paths must be added in ascending order: " + path + " after " + lastPath));
        }
        lastPath = path;
        if (isChunk) {
            ensureChunksDir();
            chunkCount++;
        } else {
            ensureChunksDir();
            ensureDocumentsDir();
            documentCount++;
        }
        MessageDigest sha = HashingOutputStream.newSha256();
        try {
            tar.putArchiveEntry(entry(root + "/" + path, size, false));
            long copied = 0;
            int n;
            while (copied < size && (n = data.read(buffer, 0, (int) Math.min(buffer.length, size - copied))) > 0) {
                sha.update(buffer, 0, n);
                tar.write(buffer, 0, n);
                copied += n;
            }
            if (copied != size || data.read() != -1) {
                throw new BundleWriteException(context(path + " did not hold the " + size + " bytes announced"));
            }
            tar.closeArchiveEntry();
        } catch (IOException e) {
            abort();
            throw new BundleWriteException(context("cannot write " + path), e);
        }
        files.add(new Listed(path, sha.digest(), size));
    }

    private void ensureChunksDir() throws BundleWriteException {
        if (includeChunks && !chunksDirWritten) {
            chunksDirWritten = true;
            writeDirectory(root + "/" + BundleFormat.CHUNKS + "/");
        }
    }

    private void ensureDocumentsDir() throws BundleWriteException {
        if (!documentsDirWritten) {
            documentsDirWritten = true;
            writeDirectory(root + "/" + BundleFormat.DOCUMENTS + "/");
        }
    }

    private void writeDirectory(String name) throws BundleWriteException {
        try {
            tar.putArchiveEntry(entry(name, 0, true));
            tar.closeArchiveEntry();
        } catch (IOException e) {
            abort();
            throw new BundleWriteException(context("cannot write directory " + name), e);
        }
    }

    private TarArchiveEntry entry(String name, long size, boolean directory) {
        TarArchiveEntry e = new TarArchiveEntry(name, directory ? TarConstants.LF_DIR : TarConstants.LF_NORMAL);
        e.setSize(size);
        e.setMode(directory ? 040755 : 0100644);
        e.setModTime(Date.from(createdAt));
        e.setUserId(0);
        e.setGroupId(0);
        e.setUserName("");
        e.setGroupName("");
        return e;
    }

    /** Signs and appends the manifest, ends the gzip stream and returns what was written. */
    public BundleSummary finish() throws BundleWriteException {
        if (finished) throw new IllegalStateException(context("bundle already finished"));
        try {
            ensureChunksDir();
            ensureDocumentsDir();
            // The manifest is written twice as a stream, never held whole: once canonical (RFC 8785) into
            // the signature, once pretty into the tar (counted first, since tar needs the size up front).
            byte[] signature = key.signDetached(out -> writeManifest(out, true, null), createdAt);
            String signatureText = Base64.getEncoder().encodeToString(signature);
            CountingSink sizeOnly = new CountingSink();
            writeManifest(sizeOnly, false, signatureText);
            long size = sizeOnly.count;
            if (size > BundleFormat.MAX_MANIFEST_BYTES) {
                throw new BundleWriteException(context("manifest of " + files.size() + " files would be "
                        + size + " bytes, over the " + BundleFormat.MAX_MANIFEST_BYTES + "-byte cap"));
            }
            tar.putArchiveEntry(entry(root + "/" + BundleFormat.MANIFEST, size, false));
            writeManifest(new java.io.FilterOutputStream(tar) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                }

                @Override
                public void close() {
                    // The tar entry is closed by the writer.
                }
            }, false, signatureText);
            tar.closeArchiveEntry();
            tar.finish();
            gzip.finish();
            counted.flush();
            finished = true;
            return new BundleSummary(exportId, tenantId, createdAt, documentCount, chunkCount,
                    key.fingerprint(), counted.count(), counted.hex());
        } catch (IOException e) {
            abort();
            throw new BundleWriteException(context("cannot finish the bundle"), e);
        } catch (KeyMaterialException e) {
            abort();
            throw new BundleWriteException(context("cannot sign the manifest"), e);
        } catch (BundleWriteException e) {
            abort();
            throw e;
        }
    }

    /**
     * Writes the manifest. {@code canonical}: the signed payload, RFC 8785 (members sorted, compact, integers only)
     * without {@code signature}; paths may hold any NFC text, which Jackson's UTF-8 output writes
     * as JCS does once surrogate pairs are combined. Otherwise the manifest file, with the signature: compact too (a
     * pretty-printed list of 220,000 files would not fit the manifest cap; {@code jq .} shows it).
     */
    private void writeManifest(OutputStream out, boolean canonical, String signature) throws IOException {
        try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            // RFC 8785 writes a character outside the BMP as its UTF-8 bytes, not as an escaped surrogate pair.
            g.enable(com.fasterxml.jackson.core.json.JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8.mappedFeature());
            g.writeStartObject();
            if (canonical) {
                g.writeNumberField("chunk_count", chunkCount);
                g.writeStringField("created_at", BundleFormat.formatCreatedAt(createdAt));
                g.writeNumberField("document_count", documentCount);
                g.writeStringField("export_id", exportId.toString());
                writeFiles(g);
                g.writeStringField("format", BundleFormat.FORMAT);
                g.writeBooleanField("include_chunks", includeChunks);
                if (selection.isPresent()) {
                    g.writeFieldName("selection");
                    g.writeRawValue(new String(Jcs.canonicalize(selection.get()), java.nio.charset.StandardCharsets.UTF_8));
                }
                g.writeNumberField("signature_version", BundleFormat.SIGNATURE_VERSION);
                g.writeStringField("signer_fingerprint", key.fingerprint());
                g.writeStringField("tenant_id", tenantId.toString());
            } else {
                g.writeStringField("format", BundleFormat.FORMAT);
                g.writeNumberField("signature_version", BundleFormat.SIGNATURE_VERSION);
                g.writeStringField("export_id", exportId.toString());
                g.writeStringField("tenant_id", tenantId.toString());
                g.writeStringField("created_at", BundleFormat.formatCreatedAt(createdAt));
                g.writeBooleanField("include_chunks", includeChunks);
                g.writeNumberField("document_count", documentCount);
                g.writeNumberField("chunk_count", chunkCount);
                writeFiles(g);
                g.writeStringField("signer_fingerprint", key.fingerprint());
                if (selection.isPresent()) {
                    g.writeFieldName("selection");
                    g.writeTree(selection.get());
                }
                g.writeStringField("signature", signature);
            }
            g.writeEndObject();
        }
    }

    private void writeFiles(JsonGenerator g) throws IOException {
        HexFormat hex = HexFormat.of();
        g.writeArrayFieldStart("files");
        for (Listed f : files) {
            g.writeStartObject();
            g.writeStringField("path", f.path());
            g.writeStringField("sha256", hex.formatHex(f.sha256()));
            g.writeNumberField("size", f.size());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    /** Counts what is written, and keeps nothing. */
    private static final class CountingSink extends OutputStream {
        private long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }

    private void abort() {
        finished = true;
        gzip.abort();
    }

    /** Abandons an unfinished bundle (its bytes so far are not a bundle); does not close the target. */
    @Override
    public void close() {
        if (!finished) abort();
    }

    /** Settings of one bundle. */
    public static final class Builder {
        private UUID exportId;
        private UUID tenantId;
        private Instant createdAt;
        private boolean includeChunks;
        private TenantSigningKey signingKey;
        private java.util.Optional<ObjectNode> selection = java.util.Optional.empty();
        private int level = DEFAULT_LEVEL;
        private int threads = Math.max(1, Runtime.getRuntime().availableProcessors());

        private Builder() {}

        public Builder exportId(UUID v) { this.exportId = v; return this; }
        public Builder tenantId(UUID v) { this.tenantId = v; return this; }
        public Builder createdAt(Instant v) { this.createdAt = v; return this; }
        public Builder includeChunks(boolean v) { this.includeChunks = v; return this; }
        public Builder signingKey(TenantSigningKey v) { this.signingKey = v; return this; }

        /**
         * What the export asked for, when it was a selection rather than a list of ids: written as the
         * manifest member {@code selection}, covered by the signature. Its strings must be ASCII and its
         * numbers integers in [0, 2^53) (format §3), which the caller has checked.
         */
        public Builder selection(ObjectNode v) { this.selection = java.util.Optional.of(v); return this; }

        /** Deflate level 1..9. */
        public Builder compressionLevel(int v) {
            if (v < 1 || v > 9) throw new IllegalArgumentException("compression level must be 1..9, got " + v);
            this.level = v;
            return this;
        }

        /** Compression threads, default the available processors. */
        public Builder threads(int v) {
            if (v < 1) throw new IllegalArgumentException("threads must be >= 1, got " + v);
            this.threads = v;
            return this;
        }

        /** Starts writing to {@code out}; the writer never closes it. */
        public BundleWriter open(OutputStream out) throws BundleWriteException {
            return new BundleWriter(this, Objects.requireNonNull(out, "out"));
        }
    }
}
