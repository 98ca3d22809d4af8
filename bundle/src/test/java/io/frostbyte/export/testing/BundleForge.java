package io.frostbyte.export.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.frostbyte.export.bundle.BundleFormat;
import io.frostbyte.export.json.Jcs;
import io.frostbyte.export.signing.KeyMaterialException;
import io.frostbyte.export.signing.TenantSigningKey;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Builds bundles by hand, independently of {@code BundleWriter}, so tests can make exactly the
 * malformed or forged bundle a rule is about: any entry type or name, any manifest, any signer.
 */
public final class BundleForge {
    public static final ObjectMapper JSON = new ObjectMapper();

    /** One tar entry as it will be written. */
    public record Entry(String name, byte type, byte[] data, String linkName) {
        public static Entry file(String name, byte[] data) {
            return new Entry(name, TarConstants.LF_NORMAL, data, "");
        }

        public static Entry dir(String name) {
            return new Entry(name, TarConstants.LF_DIR, new byte[0], "");
        }
    }

    public final UUID exportId;
    public final UUID tenantId;
    public final List<Entry> entries = new ArrayList<>();
    public ObjectNode manifest;
    private TenantSigningKey signer;
    private Function<byte[], byte[]> signatureMaker;
    private boolean sign = true;

    private BundleForge(UUID exportId, UUID tenantId, TenantSigningKey signer) {
        this.exportId = exportId;
        this.tenantId = tenantId;
        this.signer = signer;
    }

    /** A valid bundle with the given numbers of documents and chunks, as the writer would lay it out. */
    public static BundleForge valid(TenantSigningKey key, int documents, int chunks) {
        Corpus corpus = new Corpus(42);
        BundleForge f = new BundleForge(corpus.uuid(), corpus.uuid(), key);
        String root = f.exportId + "/";
        f.entries.add(Entry.dir(root));
        List<Entry> payload = new ArrayList<>();
        List<UUID> docIds = new ArrayList<>();
        for (int i = 0; i < documents; i++) {
            UUID id = corpus.uuid();
            docIds.add(id);
            payload.add(Entry.file(root + BundleFormat.documentPath(id), corpus.documentJson(id, f.tenantId, 500)));
        }
        for (int i = 0; i < chunks; i++) {
            UUID id = corpus.uuid();
            payload.add(Entry.file(root + BundleFormat.chunkPath(id),
                    corpus.chunkJson(id, docIds.isEmpty() ? corpus.uuid() : docIds.get(i % docIds.size()), f.tenantId, i, 200)));
        }
        payload.sort(Comparator.comparing(Entry::name));
        f.entries.addAll(payload);
        f.manifest = f.manifestFor(payload, chunks > 0);
        return f;
    }

    private ObjectNode manifestFor(List<Entry> payload, boolean includeChunks) {
        ObjectNode m = JSON.createObjectNode();
        m.put("format", BundleFormat.FORMAT);
        m.put("signature_version", 1);
        m.put("export_id", exportId.toString());
        m.put("tenant_id", tenantId.toString());
        m.put("created_at", "2026-11-22T08:15:30Z");
        m.put("include_chunks", includeChunks);
        String prefix = exportId + "/";
        m.put("document_count", payload.stream().filter(e -> e.name().startsWith(prefix + "documents/")).count());
        m.put("chunk_count", payload.stream().filter(e -> e.name().startsWith(prefix + "chunks/")).count());
        ArrayNode files = m.putArray("files");
        for (Entry e : payload) {
            files.addObject().put("path", e.name().substring(prefix.length()))
                    .put("sha256", sha256(e.data())).put("size", e.data().length);
        }
        m.put("signer_fingerprint", signer.fingerprint());
        return m;
    }

    public static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public String root() {
        return exportId + "/";
    }

    /** Signs with {@code key} but keeps the manifest's signer_fingerprint as it is. */
    public BundleForge signWith(TenantSigningKey key) {
        this.signer = key;
        return this;
    }

    /** Signs with a custom function of the payload (e.g. SHA-1, wrong signature type). */
    public BundleForge signatureMaker(Function<byte[], byte[]> maker) {
        this.signatureMaker = maker;
        return this;
    }

    /** Leaves the manifest exactly as it is: no signature is added. */
    public BundleForge unsigned() {
        this.sign = false;
        return this;
    }

    public Entry entry(String suffix) {
        return entries.stream().filter(e -> e.name().endsWith(suffix)).findFirst().orElseThrow();
    }

    public void replace(Entry old, Entry replacement) {
        entries.set(entries.indexOf(old), replacement);
    }

    /** The manifest bytes that would be written (signed unless {@link #unsigned()}). */
    public byte[] manifestBytes() {
        ObjectNode m = manifest.deepCopy();
        if (sign) {
            m.remove("signature");
            byte[] payload = Jcs.canonicalize(m);
            byte[] sig;
            try {
                sig = signatureMaker != null ? signatureMaker.apply(payload) : signer.signDetached(payload, TestKeys.CREATED);
            } catch (KeyMaterialException e) {
                throw new IllegalStateException(e);
            }
            m.put("signature", Base64.getEncoder().encodeToString(sig));
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(m);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The tar stream, uncompressed; the manifest entry goes last under {@code manifestName}. */
    public byte[] tar() {
        return tar(root() + BundleFormat.MANIFEST);
    }

    public byte[] tar(String manifestName) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes, "UTF-8")) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            List<Entry> all = new ArrayList<>(entries);
            if (manifestName != null) all.add(Entry.file(manifestName, manifestBytes()));
            for (Entry e : all) {
                TarArchiveEntry t = new TarArchiveEntry(e.name(), e.type(), true);
                if (!e.linkName().isEmpty()) t.setLinkName(e.linkName());
                if (e.type() == TarConstants.LF_NORMAL) t.setSize(e.data().length);
                t.setModTime(Date.from(TestKeys.CREATED));
                t.setUserName("");
                t.setGroupName("");
                tar.putArchiveEntry(t);
                if (e.type() == TarConstants.LF_NORMAL) tar.write(e.data());
                tar.closeArchiveEntry();
            }
            tar.finish();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** The finished bundle: gzip of the tar. */
    public byte[] build() {
        return gzip(tar());
    }

    public static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
