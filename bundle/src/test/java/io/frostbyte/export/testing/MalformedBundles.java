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
        headerCases(cases);
        redTeamCases(cases);
        List<Case> out = new ArrayList<>();
        String trusted = trustedKey();
        cases.forEach((name, v) -> out.add(new Case(name, (String) v[0], ((Supplier<byte[]>) v[1]).get(), trusted)));
        out.add(new Case("revoked key (revocation dated after the signature)", "key_revoked", base().build(),
                TestKeys.revokedPublicKey(key())));
        out.addAll(keyCases());
        out.add(new Case("wrong signer (only key B trusted)", "signer_unknown", base().build(),
                TestKeys.publicKey(TestKeys.b())));
        return out;
    }

    /** §2 revision 2: every header on which extractors could disagree. */
    private static void headerCases(Map<String, Object[]> cases) {
        add(cases, "gzip header CRC wrong (gzip and GNU tar refuse it, bsdtar and tarfile do not)", "corrupt_gzip", () -> {
            byte[] gz = base().build();
            byte[] header = java.util.Arrays.copyOf(gz, 10);
            header[3] = 0x02;
            java.util.zip.CRC32 crc = new java.util.zip.CRC32();
            crc.update(header);
            int wrong = (int) (crc.getValue() & 0xffff) ^ 0x0101;
            return concat(concat(header, new byte[] {(byte) wrong, (byte) (wrong >>> 8)}), java.util.Arrays.copyOfRange(gz, 10, gz.length));
        });
        add(cases, "directory entry with data hiding a header (GNU tar and tarfile extract it)", "directory_data", () -> raw(t -> {
            int doc = t.indexOf(".json");
            RawTar.Member hidden = t.members.get(doc).copy().data(utf8("{\"forged\":true}"));
            RawTar.fixChecksum(hidden.header);
            byte[] data = concat(concat(hidden.header, hidden.data), hidden.padding);
            String dir = t.members.get(doc).name().substring(0, t.members.get(doc).name().lastIndexOf('/') + 1);
            t.members.add(doc + 1, RawTar.member(dir, '5', data));
        }));
        add(cases, "pax global header setting path", "pax_global_header", () -> raw(t -> {
            String doc = t.members.get(t.indexOf(".json")).name();
            t.members.add(0, RawTar.pax('g', Map.of("path", doc)));
        }));
        add(cases, "two pax headers before one entry", "pax_header", () -> raw(t -> {
            int doc = t.indexOf(".json");
            String name = t.members.get(doc).name();
            t.members.add(doc, RawTar.pax('x', Map.of("path", name.replace("documents/", "documents/0"))));
            t.members.add(doc, RawTar.pax('x', Map.of("path", name)));
        }));
        add(cases, "unknown pax key", "pax_header", () -> raw(t ->
                t.members.add(t.indexOf(".json"), RawTar.pax('x', Map.of("uname", "root")))));
        add(cases, "GNU sparse pax key", "pax_header", () -> raw(t ->
                t.members.add(t.indexOf(".json"), RawTar.pax('x', Map.of("GNU.sparse.major", "1")))));
        add(cases, "bad pax record length", "pax_header", () -> raw(t -> {
            int doc = t.indexOf(".json");
            RawTar.Member pax = RawTar.pax('x', Map.of("path", t.members.get(doc).name()));
            String text = new String(pax.data, java.nio.charset.StandardCharsets.UTF_8);
            pax.data(utf8(text.replaceFirst("^\\d+", String.valueOf(Integer.parseInt(text.split(" ")[0]) + 1))));
            t.members.add(doc, pax);
        }));
        add(cases, "pax record with an empty path", "pax_header", () -> raw(t ->
                t.members.add(t.indexOf(".json"), RawTar.pax('x', Map.of("path", "")))));
        add(cases, "pax size with a sign", "pax_header", () -> raw(t -> {
            int doc = t.indexOf(".json");
            t.members.add(doc, RawTar.pax('x', Map.of("size", "+" + t.members.get(doc).size())));
        }));
        add(cases, "pax header followed by the end of the archive", "pax_header", () -> raw(t ->
                t.members.add(RawTar.pax('x', Map.of("mtime", "1")))));
        add(cases, "base-256 size", "header_field", () -> raw(t -> {
            RawTar.Member doc = t.members.get(t.indexOf(".json"));
            byte[] field = new byte[12];
            field[0] = (byte) 0x80;
            long size = doc.size();
            for (int i = 11; i > 0; i--, size >>>= 8) field[i] = (byte) size;
            doc.set(RawTar.Field.SIZE, field);
        }));
        add(cases, "size field not octal", "header_field", () -> raw(t -> {
            RawTar.Member doc = t.members.get(t.indexOf(".json"));
            doc.set(RawTar.Field.SIZE, String.format("%010o 9", doc.size()));
        }));
        add(cases, "bad header checksum", "header_checksum", () -> raw(t -> {
            RawTar.Member doc = t.members.get(t.indexOf(".json"));
            RawTar.fixChecksum(doc.header);
            doc.header[RawTar.Field.CHKSUM.offset + 5] ^= 1;
            doc.keepChecksum = true;
        }));
        add(cases, "regular file whose name ends in '/'", "trailing_slash", () -> raw(t -> {
            RawTar.Member doc = t.members.get(t.indexOf(".json"));
            doc.set(RawTar.Field.NAME, doc.name() + "/");
        }));
        add(cases, "old-style NUL type", "entry_type", () -> raw(t -> t.members.get(t.indexOf(".json")).type('\0')));
        add(cases, "contiguous file (type 7)", "entry_type", () -> raw(t -> t.members.get(t.indexOf(".json")).type('7')));
        add(cases, "Solaris extended header (type X)", "entry_type", () -> raw(t -> t.members.get(t.indexOf(".json")).type('X')));
        add(cases, "GNU magic with a non-empty prefix area", "header_prefix", () -> raw(t -> {
            RawTar.Member doc = t.members.get(t.indexOf(".json"));
            doc.set(RawTar.Field.MAGIC, "ustar ").set(RawTar.Field.VERSION, new byte[] {' ', 0});
            doc.set(RawTar.Field.PREFIX, "x");
        }));
        add(cases, "v7 header without magic", "header_magic", () -> raw(t -> {
            RawTar.Member doc = t.members.get(t.indexOf(".json"));
            doc.set(RawTar.Field.MAGIC, new byte[0]).set(RawTar.Field.VERSION, new byte[0]);
        }));
        add(cases, "regular file with a link name", "header_field", () -> raw(t ->
                t.members.get(t.indexOf(".json")).set(RawTar.Field.LINKNAME, "/etc/passwd")));
    }

    /** Found by a red-team pass over revision 2 (each was VALID while an extractor or jq disagreed). */
    private static void redTeamCases(Map<String, Object[]> cases) {
        add(cases, "pax header name opening a gzip stream (bsdtar unpacks a hidden archive)", "header_field", () -> raw(t -> {
            RawTar.Member pax = RawTar.pax('x', Map.of("mtime", String.valueOf(RawTar.MTIME)));
            pax.set(RawTar.Field.NAME, new byte[] {0x1f, (byte) 0x8b, 8, 4, 0x41, 0x41, 0x41, 0x41, 0x41, (byte) 0xff, 0x10, 0x02});
            t.members.add(0, pax);
        }));
        add(cases, "pax header name starting with a compression signature", "pax_header", () -> raw(t -> {
            RawTar.Member pax = RawTar.pax('x', Map.of("mtime", String.valueOf(RawTar.MTIME)));
            pax.set(RawTar.Field.NAME, "BZh91AY&SY");
            t.members.add(0, pax);
        }));
        add(cases, "uuencoded block in a pax header's name", "header_field", () -> raw(t -> {
            RawTar.Member pax = RawTar.pax('x', Map.of("mtime", String.valueOf(RawTar.MTIME)));
            pax.set(RawTar.Field.NAME, "begin-base64 644 pwned\nMTIzNDU2Nzg5MA==\n====\n");
            t.members.add(0, pax);
        }));
        add(cases, "control characters in a user name field", "header_field", () -> raw(t ->
                t.members.get(t.indexOf(".json")).set(RawTar.Field.UNAME, "root\nM")));
        add(cases, "bytes after the NUL that ends a name", "header_field", () -> raw(t -> {
            RawTar.Member doc = t.members.get(t.indexOf(".json"));
            doc.set(RawTar.Field.NAME, utf8(doc.name() + "\0junk"));
        }));
        add(cases, "data in a header's unused bytes 500-511", "header_field", () -> raw(t ->
                t.members.get(t.indexOf(".json")).header[505] = 'x'));
        add(cases, "a file that is also a directory of another listed file", "path_conflict", () -> {
            BundleForge f = base();
            f.entries.add(BundleForge.Entry.file(f.root() + "documents/a", utf8("AAA")));
            f.entries.add(BundleForge.Entry.file(f.root() + "documents/a/b.json", utf8("{}")));
            rebuildFiles(f);
            return f.build();
        });
        add(cases, "name not in Unicode NFC (bsdtar writes it under the composed name)", "unsafe_name", () -> {
            BundleForge f = base();
            f.entries.add(BundleForge.Entry.file(f.root() + "documents/caf\u00e9.json", utf8("{\"form\":\"NFC\"}")));
            f.entries.add(BundleForge.Entry.file(f.root() + "documents/cafe\u0301.json", utf8("{\"form\":\"NFD\"}")));
            rebuildFiles(f);
            return f.build();
        });
        add(cases, "manifest encoded as UTF-16", "manifest_invalid", () -> {
            BundleForge f = base();
            byte[] utf16 = new String(f.manifestBytes(), java.nio.charset.StandardCharsets.UTF_8)
                    .getBytes(java.nio.charset.StandardCharsets.UTF_16LE);
            f.entries.add(BundleForge.Entry.file(f.root() + BundleFormat.MANIFEST, utf16));
            return BundleForge.gzip(f.tar(null));
        });
        add(cases, "manifest with a byte-order mark", "manifest_invalid", () -> {
            BundleForge f = base();
            f.entries.add(BundleForge.Entry.file(f.root() + BundleFormat.MANIFEST,
                    concat(new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf}, f.manifestBytes())));
            return BundleForge.gzip(f.tar(null));
        });
    }

    /** §5 revision 2: which keys count. Each case names the key file to trust. */
    private static List<Case> keyCases() {
        List<Case> out = new ArrayList<>();
        TestCertificates.Cert victim = TestCertificates.generate(TestCertificates.Spec.primaryOnly());
        TestCertificates.Cert attacker = TestCertificates.generate(TestCertificates.Spec.signingSubkey());
        byte[] forged = signedBy(attacker, attacker.subkey(), TestKeys.CREATED);
        out.add(new Case("attacker's key appended as an unbound subkey", "signer_unknown", forged,
                TestCertificates.appendForeignSubkey(victim, attacker, false)));
        out.add(new Case("attacker's subkey appended with a binding by another primary", "signer_unknown", forged,
                TestCertificates.appendForeignSubkey(victim, attacker, true)));
        TestCertificates.Cert noFlag = TestCertificates.generate(TestCertificates.Spec.signingSubkey().subkeySignFlag(false));
        out.add(new Case("subkey bound without the signing flag", "signer_unknown",
                signedBy(noFlag, noFlag.subkey(), TestKeys.CREATED), noFlag.armoredPublicKey()));
        TestCertificates.Cert noBack = TestCertificates.generate(TestCertificates.Spec.signingSubkey().subkeyBackSignature(false));
        out.add(new Case("signing subkey without a back-signature", "signer_unknown",
                signedBy(noBack, noBack.subkey(), TestKeys.CREATED), noBack.armoredPublicKey()));
        java.time.Instant twoDaysBefore = TestKeys.CREATED.minus(java.time.Duration.ofDays(2));
        TestCertificates.Cert expiredPrimary = TestCertificates.generate(TestCertificates.Spec.signingSubkey()
                .created(twoDaysBefore).primaryExpiry(java.time.Duration.ofDays(1)));
        out.add(new Case("primary key expired before the signature", "key_expired",
                signedBy(expiredPrimary, expiredPrimary.primary(), TestKeys.CREATED), expiredPrimary.armoredPublicKey()));
        out.add(new Case("subkey of an expired primary", "key_expired",
                signedBy(expiredPrimary, expiredPrimary.subkey(), TestKeys.CREATED), expiredPrimary.armoredPublicKey()));
        TestCertificates.Cert expiredSub = TestCertificates.generate(TestCertificates.Spec.signingSubkey()
                .created(twoDaysBefore).subkeyExpiry(java.time.Duration.ofDays(1)));
        out.add(new Case("signing subkey expired before the signature", "key_expired",
                signedBy(expiredSub, expiredSub.subkey(), TestKeys.CREATED), expiredSub.armoredPublicKey()));
        TestCertificates.Cert plain = TestCertificates.generate(TestCertificates.Spec.signingSubkey());
        out.add(new Case("signature older than its key", "signature_predates_key",
                signedBy(plain, plain.primary(), TestKeys.CREATED.minusSeconds(3600)), plain.armoredPublicKey()));
        out.add(new Case("signature made in the future of this machine's clock", "signature_in_future",
                signedBy(plain, plain.primary(), java.time.Instant.now().plus(java.time.Duration.ofDays(2))), plain.armoredPublicKey()));
        out.add(new Case("revoked signing subkey (revocation dated after the signature)", "key_revoked",
                signedBy(plain, plain.subkey(), TestKeys.CREATED), plain.armoredWithSubkeyRevoked(TestKeys.CREATED.plusSeconds(86400))));
        out.add(new Case("GnuPG-style revocation certificate in a separate block", "key_revoked",
                signedBy(plain, plain.primary(), TestKeys.CREATED),
                plain.armoredPublicKey() + plain.armoredRevocationCertificate(TestKeys.CREATED.plusSeconds(60))));
        out.add(new Case("revocation certificate with GnuPG's explanatory preamble, before the key", "key_revoked",
                signedBy(plain, plain.primary(), TestKeys.CREATED),
                "This is a revocation certificate for the OpenPGP key:\n\nTo avoid an accidental use ...\n\n"
                        + plain.armoredRevocationCertificate(TestKeys.CREATED.plusSeconds(60)) + plain.armoredPublicKey()));
        out.add(new Case("second copy of the primary without user id, carrying its revocation", "key_revoked",
                signedBy(plain, plain.primary(), TestKeys.CREATED),
                plain.armoredPublicKey() + plain.armoredBareRevokedPrimary(TestKeys.CREATED.plusSeconds(60))));
        TestCertificates.Cert shortened = TestCertificates.generate(TestCertificates.Spec.signingSubkey().created(twoDaysBefore));
        String laterCopy = shortened.armoredCopyWithNewSelfSignature(twoDaysBefore.plusSeconds(1), java.time.Duration.ofDays(1));
        byte[] afterExpiry = signedBy(shortened, shortened.primary(), TestKeys.CREATED);
        out.add(new Case("newer self-signature with an expiry in a later copy", "key_expired", afterExpiry,
                shortened.armoredPublicKey() + laterCopy));
        out.add(new Case("newer self-signature with an expiry in an earlier copy", "key_expired", afterExpiry,
                laterCopy + shortened.armoredPublicKey()));
        out.add(new Case("certificate followed by a copy of itself carrying a revocation", "key_revoked", base().build(),
                trustedKey() + TestKeys.revokedPublicKey(key())));
        out.add(new Case("signing subkey revoked in a second copy of the certificate", "key_revoked",
                signedBy(plain, plain.subkey(), TestKeys.CREATED),
                plain.armoredPublicKey() + plain.armoredWithSubkeyRevoked(TestKeys.CREATED.plusSeconds(60))));
        return out;
    }

    /** The base bundle, signed by {@code key} of {@code cert} at {@code at}, naming that key as signer. */
    public static byte[] signedBy(TestCertificates.Cert cert, org.bouncycastle.openpgp.PGPSecretKey key, java.time.Instant at) {
        BundleForge f = base().signatureMaker(p -> cert.sign(key, p, at));
        f.manifest.put("signer_fingerprint", TestCertificates.fingerprint(key));
        return f.build();
    }

    /** The base bundle's tar, edited at the byte level, gzipped. */
    private static byte[] raw(java.util.function.Consumer<RawTar> edit) {
        RawTar t = RawTar.parse(base().tar());
        edit.accept(t);
        return BundleForge.gzip(t.bytes());
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
