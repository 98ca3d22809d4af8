package io.frostbyte.export.testing;

import static io.frostbyte.export.testing.BundleForge.utf8;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.frostbyte.export.bundle.BundleFormat;
import io.frostbyte.export.signing.TenantSigningKey;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.openpgp.PGPSignature;

/**
 * One malformed bundle per rule of format §2/§5, each with the error code the verifier must report.
 * Shared by the Java API tests (core) and the CLI tests (verify-cli). All are verified with
 * {@link #trustedKey()} unless the case says otherwise.
 */
public final class MalformedBundles {
    /** A bundle that must fail, the code it must fail with, and the key file to trust. */
    public record Case(String name, String expectedCode, byte[] bundle, String trustedPublicKey) {
        @Override
        public String toString() {
            return name;
        }
    }

    private MalformedBundles() {}

    public static TenantSigningKey key() {
        return TestKeys.a();
    }

    public static String trustedKey() {
        return TestKeys.publicKey(key());
    }

    private static BundleForge base() {
        return BundleForge.valid(key(), 3, 2);
    }

    public static List<Case> all() {
        Map<String, Object[]> cases = new LinkedHashMap<>();
        add(cases, "truncated", "truncated", () -> {
            byte[] b = base().build();
            return Arrays.copyOf(b, b.length - 20);
        });
        add(cases, "trailing garbage", "trailing_garbage", () -> concat(base().build(), utf8("garbage!")));
        add(cases, "not gzip", "not_gzip", () -> base().tar());
        add(cases, "corrupt deflate data", "corrupt_gzip", () -> {
            byte[] b = base().build();
            for (int i = 40; i < 60; i++) b[i] ^= 0x55;
            return b;
        });
        add(cases, "symlink", "entry_type", () -> {
            BundleForge f = base();
            f.entries.add(new BundleForge.Entry(f.root() + "documents/link.json", TarConstants.LF_SYMLINK, new byte[0], "/etc/passwd"));
            return f.build();
        });
        add(cases, "hard link", "entry_type", () -> {
            BundleForge f = base();
            f.entries.add(new BundleForge.Entry(f.root() + "documents/hard.json", TarConstants.LF_LINK, new byte[0], "/etc/passwd"));
            return f.build();
        });
        add(cases, "fifo", "entry_type", () -> {
            BundleForge f = base();
            f.entries.add(new BundleForge.Entry(f.root() + "documents/fifo", TarConstants.LF_FIFO, new byte[0], ""));
            return f.build();
        });
        add(cases, "character device", "entry_type", () -> {
            BundleForge f = base();
            f.entries.add(new BundleForge.Entry(f.root() + "documents/tty", TarConstants.LF_CHR, new byte[0], ""));
            return f.build();
        });
        add(cases, "dot-dot segment", "unsafe_name", () -> {
            BundleForge f = base();
            f.entries.add(BundleForge.Entry.file(f.root() + "documents/../../evil.json", utf8("{}")));
            return f.build();
        });
        add(cases, "absolute path", "unsafe_name", () -> {
            BundleForge f = base();
            f.entries.add(BundleForge.Entry.file("/" + f.root() + "documents/evil.json", utf8("{}")));
            return f.build();
        });
        add(cases, "backslash in name", "unsafe_name", () -> {
            BundleForge f = base();
            f.entries.add(BundleForge.Entry.file(f.root() + "documents\\evil.json", utf8("{}")));
            return f.build();
        });
        add(cases, "dot segment", "unsafe_name", () -> {
            BundleForge f = base();
            f.entries.add(BundleForge.Entry.file(f.root() + "./documents/evil.json", utf8("{}")));
            return f.build();
        });
        add(cases, "empty segment", "unsafe_name", () -> {
            BundleForge f = base();
            f.entries.add(BundleForge.Entry.file(f.root() + "documents//evil.json", utf8("{}")));
            return f.build();
        });
        add(cases, "duplicate entry", "duplicate_entry", () -> {
            BundleForge f = base();
            BundleForge.Entry doc = f.entry(".json");
            f.entries.add(doc);
            return f.build();
        });
        add(cases, "second top-level directory", "multiple_top_level", () -> {
            BundleForge f = base();
            f.entries.add(BundleForge.Entry.file("other/documents/x.json", utf8("{}")));
            return f.build();
        });
        add(cases, "directory name differs from export_id", "export_id_mismatch", () -> {
            BundleForge f = base();
            String wrong = "00000000-0000-4000-8000-000000000000/";
            f.entries.replaceAll(e -> new BundleForge.Entry(e.name().replace(f.root(), wrong), e.type(), e.data(), e.linkName()));
            return BundleForge.gzip(f.tar(wrong + BundleFormat.MANIFEST));
        });
        add(cases, "extra directory", "directory_not_allowed", () -> {
            BundleForge f = base();
            f.entries.add(BundleForge.Entry.dir(f.root() + "documents/sub/"));
            return f.build();
        });
        add(cases, "unlisted file", "file_unlisted", () -> {
            BundleForge f = base();
            f.entries.add(BundleForge.Entry.file(f.root() + "documents/extra.json", utf8("{}")));
            return f.build();
        });
        add(cases, "missing file", "file_missing", () -> {
            BundleForge f = base();
            f.entries.remove(f.entry(".json"));
            return f.build();
        });
        add(cases, "size mismatch", "size_mismatch", () -> {
            BundleForge f = base();
            BundleForge.Entry doc = f.entry(".json");
            f.replace(doc, BundleForge.Entry.file(doc.name(), concat(doc.data(), utf8(" "))));
            return f.build();
        });
        add(cases, "hash mismatch (tampered payload)", "hash_mismatch", () -> {
            BundleForge f = base();
            BundleForge.Entry doc = f.entry(".json");
            byte[] data = doc.data().clone();
            data[10] ^= 1;
            f.replace(doc, BundleForge.Entry.file(doc.name(), data));
            return f.build();
        });
        add(cases, "document_count wrong", "count_mismatch", () -> {
            BundleForge f = base();
            f.manifest.put("document_count", 4);
            return f.build();
        });
        add(cases, "chunk_count wrong", "count_mismatch", () -> {
            BundleForge f = base();
            f.manifest.put("chunk_count", 0);
            return f.build();
        });
        add(cases, "tampered manifest after signing", "signature_invalid", () -> {
            BundleForge f = base();
            byte[] manifest = f.manifestBytes();
            f.unsigned();
            try {
                ObjectNode signed = (ObjectNode) BundleForge.JSON.readTree(manifest);
                signed.put("include_chunks", false);
                f.manifest = signed;
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
            return f.build();
        });
        add(cases, "SHA-1 signature", "weak_hash", () -> base()
                .signatureMaker(p -> TestKeys.sign(key(), p, HashAlgorithmTags.SHA1, PGPSignature.BINARY_DOCUMENT)).build());
        add(cases, "MD5 signature", "weak_hash", () -> base()
                .signatureMaker(p -> TestKeys.sign(key(), p, HashAlgorithmTags.MD5, PGPSignature.BINARY_DOCUMENT)).build());
        add(cases, "text-mode signature type", "signature_malformed", () -> base()
                .signatureMaker(p -> TestKeys.sign(key(), p, HashAlgorithmTags.SHA256, PGPSignature.CANONICAL_TEXT_DOCUMENT)).build());
        add(cases, "two signature packets", "signature_malformed", () -> base()
                .signatureMaker(p -> {
                    byte[] one = TestKeys.sign(key(), p, HashAlgorithmTags.SHA256, PGPSignature.BINARY_DOCUMENT);
                    return concat(one, one);
                }).build());
        add(cases, "signature is not base64", "signature_malformed", () -> {
            BundleForge f = base().unsigned();
            f.manifest.put("signature", "not base64!");
            return f.build();
        });
        add(cases, "missing signature", "signature_missing", () -> base().unsigned().build());
        add(cases, "stripped signature fields", "signature_version_missing", () -> {
            BundleForge f = base().unsigned();
            f.manifest.remove("signature_version");
            f.manifest.remove("signer_fingerprint");
            return f.build();
        });
        add(cases, "signature_version 2", "signature_version_unsupported", () -> {
            BundleForge f = base();
            f.manifest.put("signature_version", 2);
            return f.build();
        });
        add(cases, "wrong format", "format", () -> {
            BundleForge f = base();
            f.manifest.put("format", "something-else");
            return f.build();
        });
        add(cases, "malformed signer_fingerprint", "fingerprint_malformed", () -> {
            BundleForge f = base();
            f.manifest.put("signer_fingerprint", f.manifest.get("signer_fingerprint").asText().toLowerCase());
            return f.build();
        });
        add(cases, "wrong signer (signed by B, claims A)", "wrong_signer", () -> base().signWith(TestKeys.b()).build());
        add(cases, "manifest is not JSON", "manifest_invalid", () -> {
            BundleForge f = base();
            f.entries.add(BundleForge.Entry.file(f.root() + BundleFormat.MANIFEST, utf8("{not json")));
            return BundleForge.gzip(f.tar(null));
        });
        add(cases, "manifest with duplicate member", "manifest_invalid", () -> {
            BundleForge f = base();
            String m = new String(f.manifestBytes(), java.nio.charset.StandardCharsets.UTF_8);
            m = m.replaceFirst("\\{", "{\"format\":\"frostbyte-export\",");
            f.entries.add(BundleForge.Entry.file(f.root() + BundleFormat.MANIFEST, utf8(m)));
            return BundleForge.gzip(f.tar(null));
        });
        add(cases, "manifest missing", "manifest_missing", () -> BundleForge.gzip(base().tar(null)));
        add(cases, "listed path outside payload", "path_outside_payload", () -> {
            BundleForge f = base();
            f.entries.add(BundleForge.Entry.file(f.root() + "notes.txt", utf8("hi")));
            rebuildFiles(f);
            return f.build();
        });
        add(cases, "GNU long-name entry", "entry_type", () -> {
            BundleForge f = base();
            f.entries.add(new BundleForge.Entry("././@LongLink", (byte) 'L', utf8(f.root() + "documents/x.json"), ""));
            return f.build();
        });
        add(cases, "gzip of garbage", "bad_tar", () -> BundleForge.gzip(utf8("x".repeat(2048))));
        add(cases, "tar without end-of-archive marker", "truncated", () -> {
            byte[] tar = base().tar();
            // Drop the two zero blocks and the record padding.
            int end = tar.length;
            while (end > 0 && tar[end - 1] == 0) end--;
            end = ((end + 511) / 512) * 512;
            return BundleForge.gzip(Arrays.copyOf(tar, end));
        });
        List<Case> out = new ArrayList<>();
        String trusted = trustedKey();
        cases.forEach((name, v) -> out.add(new Case(name, (String) v[0], ((Supplier<byte[]>) v[1]).get(), trusted)));
        out.add(new Case("revoked key", "key_revoked", base().build(), TestKeys.revokedPublicKey(key())));
        out.add(new Case("wrong signer (only key B trusted)", "signer_unknown", base().build(),
                TestKeys.publicKey(TestKeys.b())));
        return out;
    }

    /** Recomputes the manifest's files list from the forge's regular entries. */
    private static void rebuildFiles(BundleForge f) {
        var files = f.manifest.putArray("files");
        f.entries.stream().filter(e -> e.type() == TarConstants.LF_NORMAL).sorted(java.util.Comparator.comparing(BundleForge.Entry::name))
                .forEach(e -> files.addObject().put("path", e.name().substring(f.root().length()))
                        .put("sha256", BundleForge.sha256(e.data())).put("size", e.data().length));
    }

    private static void add(Map<String, Object[]> cases, String name, String code, Supplier<byte[]> bundle) {
        cases.put(name, new Object[] {code, bundle});
    }

    public static byte[] concat(byte[] a, byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(a);
        out.writeBytes(b);
        return out.toByteArray();
    }
}
