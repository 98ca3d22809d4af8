package io.frostbyte.export.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.frostbyte.export.bundle.BundleFormat;
import io.frostbyte.export.bundle.BundleFormatException;
import io.frostbyte.export.bundle.ReadAheadInputStream;
import io.frostbyte.export.bundle.StrictGzipInputStream;
import io.frostbyte.export.bundle.StrictTarReader;
import io.frostbyte.export.bundle.TarEntry;
import io.frostbyte.export.json.Jcs;
import io.frostbyte.export.json.JsonFormatException;
import io.frostbyte.export.json.StrictJson;
import io.frostbyte.export.signing.Fingerprints;
import io.frostbyte.export.signing.SignatureChecks;
import io.frostbyte.export.signing.SignatureException;
import io.frostbyte.export.signing.TrustedKeys;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import java.util.function.LongConsumer;
import java.util.regex.Pattern;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureSubpacketVector;

/**
 * Verifies a bundle against format v1 §5 (and §6 for legacy bundles) in one streaming pass, without
 * writing anything to disk. It never throws for bad input: every problem becomes an error in the
 * report, and every rule is checked so that the report names all failures, not only the first.
 */
public final class BundleVerifier {
    private static final int MAX_ERRORS = 1000;
    private static final int BUFFER = 64 * 1024;
    private static final Pattern BASE64 = Pattern.compile("(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?");
    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final String CLEARSIGN_MARKER = "-----BEGIN PGP SIGNED MESSAGE-----";

    private BundleVerifier() {}

    /** Verifies the bundle file at {@code bundle}. */
    public static VerificationReport verify(Path bundle, VerificationPolicy policy) {
        return verify(bundle, policy, bytes -> {});
    }

    /** Verifies the bundle file, reporting compressed bytes read so far to {@code progress}. */
    public static VerificationReport verify(Path bundle, VerificationPolicy policy, LongConsumer progress) {
        InputStream in;
        if (!Files.isRegularFile(bundle)) {
            Run run = new Run(policy);
            run.error("1", "unreadable", Optional.of(bundle.toString()), "bundle file does not exist or is not a regular file");
            return run.report();
        }
        try {
            in = Files.newInputStream(bundle);
        } catch (IOException | RuntimeException e) {
            Run run = new Run(policy);
            run.error("1", "unreadable", Optional.of(bundle.toString()), "cannot open the bundle: " + describe(e));
            return run.report();
        }
        try (in) {
            return verify(in, policy, progress);
        } catch (IOException e) {
            return verify(InputStream.nullInputStream(), policy, progress);
        }
    }

    /** Verifies a bundle read from {@code in} (not closed here). */
    public static VerificationReport verify(InputStream in, VerificationPolicy policy, LongConsumer progress) {
        Run run = new Run(policy);
        try {
            run.readArchive(new CountingInputStream(in, progress));
            run.checkDuplicates();
            run.checkManifest();
        } catch (OutOfMemoryError e) {
            run.error("1", "out_of_memory", Optional.empty(), "verification aborted: the bundle needs more memory"
                    + " than this process has (raise -Xmx); it is not accepted");
        } catch (Throwable e) {
            // Fail closed on anything unforeseen, without a stack trace.
            run.error("1", "internal", Optional.empty(), "verification aborted: " + describe(e));
        }
        return run.report();
    }

    private static String describe(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private record Listed(String path, String sha256, OptionalLong size) {}

    private record OptionalLong(boolean present, long value) {
        static OptionalLong of(long v) { return new OptionalLong(true, v); }
        static OptionalLong empty() { return new OptionalLong(false, 0); }
    }

    /** The state of one verification. */
    private static final class Run {
        private final VerificationPolicy policy;
        private final List<VerificationError> errors = new ArrayList<>();
        private boolean truncatedErrors;
        private final EntryTable regular = new EntryTable();
        /** Allowed directory entries seen (at most the three of §2), normalised without '/'. */
        private final Set<String> directories = new HashSet<>();
        private final Set<String> tops = new LinkedHashSet<>();
        private String manifestTop;
        private byte[] manifestBytes;
        private boolean manifestTooLarge;
        private boolean streamComplete;
        private VerificationReport.Format format;
        private String exportId;
        private String tenantId;
        private String signer;
        private Integer documentCount;
        private Integer chunkCount;
        private int filesChecked;
        private boolean legacyRejected;

        Run(VerificationPolicy policy) {
            this.policy = policy;
        }

        void error(String rule, String code, Optional<String> path, String message) {
            if (errors.size() >= MAX_ERRORS) {
                truncatedErrors = true;
                return;
            }
            errors.add(new VerificationError(rule, code, path, message));
        }

        void error(String rule, String code, String path, String message) {
            error(rule, code, Optional.ofNullable(path), message);
        }

        boolean hasContainerErrors() {
            return errors.stream().anyMatch(e -> e.rule().equals("1") || e.rule().equals("2"));
        }

        // ---- rules 1 and 2: the stream and its entries ----

        void readArchive(InputStream raw) {
            // Inflate on a second core while this thread parses tar and hashes.
            try (ReadAheadInputStream inflated = new ReadAheadInputStream(new StrictGzipInputStream(raw), 256 * 1024, 8)) {
                StrictTarReader tar = new StrictTarReader(inflated);
                byte[] buffer = new byte[BUFFER];
                Optional<TarEntry> next;
                while ((next = tar.next()).isPresent()) {
                    entry(next.get(), tar.content(), buffer);
                }
                streamComplete = true;
            } catch (BundleFormatException e) {
                error(e.rule(), e.code(), Optional.empty(), e.getMessage());
            } catch (IOException e) {
                if (e.getCause() instanceof OutOfMemoryError) throw (OutOfMemoryError) e.getCause();
                error("1", "unreadable", Optional.empty(), "cannot read the bundle: " + describe(e));
            }
        }

        private void entry(TarEntry e, InputStream content, byte[] buffer) throws IOException {
            if (!e.nameValid()) {
                error("2", "unsafe_name", e.name(), "entry name is not valid UTF-8 or contains NUL");
                return;
            }
            String name = e.name();
            Optional<String> unsafe = BundleFormat.unsafeNameReason(name);
            if (unsafe.isPresent()) {
                error("2", "unsafe_name", name, "unsafe entry name: " + unsafe.get());
                return;
            }
            String normalized = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
            int slash = normalized.indexOf('/');
            String top = slash < 0 ? normalized : normalized.substring(0, slash);
            if (tops.isEmpty()) tops.add(top);
            if (!tops.contains(top)) {
                if (tops.size() < 2) {
                    tops.add(top);
                    error("2", "multiple_top_level", top, "a second top-level name; every entry must live under one directory");
                }
                return;
            }
            if (e.isDirectory()) {
                if (!(slash < 0 || normalized.equals(top + "/" + BundleFormat.DOCUMENTS)
                        || normalized.equals(top + "/" + BundleFormat.CHUNKS))) {
                    error("2", "directory_not_allowed", normalized,
                            "only the top-level, documents/ and chunks/ directories may appear");
                } else if (!directories.add(normalized)) {
                    error("2", "duplicate_entry", normalized, "entry appears more than once");
                }
                return;
            }
            if (slash < 0) {
                error("2", "not_in_directory", normalized, "regular file outside the top-level directory");
                return;
            }
            if (normalized.equals(top + "/" + BundleFormat.MANIFEST)) {
                readManifest(top, normalized, e.size(), content);
                return;
            }
            MessageDigest sha = sha256();
            long total = 0;
            int n;
            while ((n = content.read(buffer)) > 0) {
                sha.update(buffer, 0, n);
                total += n;
            }
            regular.add(normalized.substring(top.length() + 1), total, sha.digest());
        }

        /** Names that occur twice among files and directories (§2: unique after normalisation). */
        void checkDuplicates() {
            String top = tops.stream().findFirst().orElse("");
            regular.forEachDuplicate(n -> error("2", "duplicate_entry", top + "/" + n, "entry appears more than once"));
            for (String dir : directories) {
                if (dir.length() > top.length() && regular.contains(dir.substring(top.length() + 1))) {
                    error("2", "duplicate_entry", dir, "entry appears more than once");
                }
            }
        }

        private void readManifest(String top, String name, long size, InputStream content) throws IOException {
            if (manifestTop != null) {
                error("2", "duplicate_entry", name, "entry appears more than once");
                error("3", "manifest_duplicate", name, "more than one manifest.json");
                return;
            }
            manifestTop = top;
            if (size > policy.maxManifestBytes()) {
                manifestTooLarge = true;
                error("3", "manifest_too_large", name, "manifest is " + size + " bytes, over the cap of "
                        + policy.maxManifestBytes() + " bytes; not parsed");
                return;
            }
            manifestBytes = content.readNBytes((int) size);
        }

        // ---- rules 3 to 8: the manifest ----

        void checkManifest() {
            String top = manifestTop != null ? manifestTop : tops.stream().findFirst().orElse(null);
            if (manifestBytes == null) {
                if (!manifestTooLarge) {
                    error("3", "manifest_missing", top == null ? null : top + "/" + BundleFormat.MANIFEST,
                            "the bundle has no " + BundleFormat.MANIFEST);
                }
                return;
            }
            String manifestPath = top + "/" + BundleFormat.MANIFEST;
            JsonNode node;
            try {
                node = StrictJson.parse(manifestBytes);
            } catch (JsonFormatException e) {
                error("3", "manifest_invalid", manifestPath, "manifest is not I-JSON: " + e.getMessage());
                return;
            }
            if (!node.isObject()) {
                error("3", "manifest_invalid", manifestPath, "manifest is not a JSON object");
                return;
            }
            ObjectNode manifest = (ObjectNode) node;
            JsonNode version = manifest.get("signature_version");
            JsonNode signature = manifest.get("signature");
            if (version == null) {
                if (signature != null && signature.isTextual() && signature.textValue().startsWith(CLEARSIGN_MARKER)) {
                    format = VerificationReport.Format.LEGACY;
                    checkLegacy(manifest, top, manifestPath);
                } else {
                    error("4", "signature_version_missing", manifestPath,
                            "manifest has no signature_version and no legacy clearsigned signature");
                    checkV1Body(manifest, top, manifestPath, false);
                }
                return;
            }
            format = VerificationReport.Format.V1;
            boolean versionOk = version.isIntegralNumber() && version.bigIntegerValue().intValue() == 1
                    && version.bigIntegerValue().bitLength() < 32;
            if (!versionOk) {
                error("4", "signature_version_unsupported", manifestPath,
                        "signature_version is " + version + "; only 1 is supported");
            }
            checkV1Body(manifest, top, manifestPath, versionOk);
        }

        private void checkV1Body(ObjectNode manifest, String top, String manifestPath, boolean checkSignature) {
            JsonNode formatNode = manifest.get("format");
            if (formatNode == null || !formatNode.isTextual() || !formatNode.textValue().equals(BundleFormat.FORMAT)) {
                error("3", "format", manifestPath, "format is " + formatNode + ", not \"" + BundleFormat.FORMAT + "\"");
            }
            checkIdentity(manifest, top, manifestPath);
            JsonNode createdAt = manifest.get("created_at");
            if (createdAt == null || !createdAt.isTextual() || BundleFormat.parseCreatedAt(createdAt.textValue()).isEmpty()) {
                error("3", "manifest_field", manifestPath, "created_at is not an RFC 3339 UTC instant with whole seconds");
            }
            JsonNode include = manifest.get("include_chunks");
            if (include == null || !include.isBoolean()) {
                error("3", "manifest_field", manifestPath, "include_chunks is not a boolean");
            }
            documentCount = count(manifest, "document_count", manifestPath);
            chunkCount = count(manifest, "chunk_count", manifestPath);
            Optional<List<Listed>> files = listedFiles(manifest, manifestPath, true);
            JsonNode fpr = manifest.get("signer_fingerprint");
            boolean fprOk = fpr != null && fpr.isTextual() && Fingerprints.isWellFormed(fpr.textValue());
            if (fprOk) {
                signer = fpr.textValue();
            } else {
                error("5", "fingerprint_malformed", manifestPath,
                        "signer_fingerprint is missing or not 40 uppercase hex digits");
            }
            Optional<byte[]> sigBytes = signatureBytes(manifest.get("signature"), manifestPath);
            if (checkSignature && fprOk && sigBytes.isPresent()) {
                verifySignature(manifest, sigBytes.get(), manifestPath);
            }
            files.ifPresent(list -> {
                checkFiles(list, top, true);
                checkCounts(list, manifestPath);
            });
            checkPins();
        }

        private void checkIdentity(ObjectNode manifest, String top, String manifestPath) {
            JsonNode export = manifest.get("export_id");
            if (export == null || !export.isTextual() || !BundleFormat.isCanonicalUuid(export.textValue())) {
                error("3", "manifest_field", manifestPath, "export_id is not a lowercase canonical UUID");
            } else {
                exportId = export.textValue();
                if (!exportId.equals(top)) {
                    error("3", "export_id_mismatch", top, "top-level directory '" + top
                            + "' does not equal the manifest's export_id " + exportId);
                }
            }
            JsonNode tenant = manifest.get("tenant_id");
            if (tenant == null || !tenant.isTextual() || !UUID_TEXT.matcher(tenant.textValue()).matches()) {
                error("3", "manifest_field", manifestPath, "tenant_id is not a UUID");
            } else {
                tenantId = tenant.textValue();
            }
        }

        private Integer count(ObjectNode manifest, String member, String manifestPath) {
            JsonNode n = manifest.get(member);
            if (n == null || !n.isIntegralNumber() || n.bigIntegerValue().signum() < 0 || n.bigIntegerValue().bitLength() > 31) {
                error("3", "manifest_field", manifestPath, member + " is not a non-negative integer");
                return null;
            }
            return n.intValue();
        }

        private Optional<List<Listed>> listedFiles(ObjectNode manifest, String manifestPath, boolean requireSize) {
            JsonNode files = manifest.get("files");
            if (files == null || !files.isArray()) {
                error("3", "manifest_field", manifestPath, "files is not an array");
                return Optional.empty();
            }
            List<Listed> list = new ArrayList<>(files.size());
            Set<String> seen = new HashSet<>();
            String previous = null;
            boolean ok = true;
            for (int i = 0; i < files.size(); i++) {
                JsonNode f = files.get(i);
                JsonNode path = f.get("path");
                JsonNode sha = f.get("sha256");
                JsonNode size = f.get("size");
                String where = "files[" + i + "]";
                if (!f.isObject() || path == null || !path.isTextual()) {
                    error("3", "manifest_field", where, where + " has no string path");
                    ok = false;
                    continue;
                }
                String p = path.textValue();
                if (sha == null || !sha.isTextual() || !BundleFormat.isSha256Hex(sha.textValue())) {
                    error("3", "manifest_field", p, "listed sha256 is not 64 lowercase hex digits");
                    ok = false;
                }
                boolean hasSize = size != null;
                if ((requireSize || hasSize) && (size == null || !size.isIntegralNumber() || size.bigIntegerValue().signum() < 0)) {
                    error("3", "manifest_field", p, "listed size is not a non-negative integer");
                    ok = false;
                }
                Optional<String> unsafe = BundleFormat.unsafeNameReason(p);
                if (unsafe.isPresent() || p.endsWith("/")) {
                    error("7", "unsafe_listed_path", p, "listed path is unsafe: " + unsafe.orElse("trailing '/'"));
                    ok = false;
                    continue;
                }
                if (!p.startsWith(BundleFormat.DOCUMENTS + "/") && !p.startsWith(BundleFormat.CHUNKS + "/")) {
                    error("7", "path_outside_payload", p, "listed path is not under documents/ or chunks/");
                }
                if (!seen.add(p)) {
                    error("3", "duplicate_listing", p, "path is listed more than once");
                } else if (previous != null && p.compareTo(previous) < 0) {
                    error("3", "files_unsorted", p, "files are not sorted ascending by path");
                }
                previous = p;
                if (ok || (sha != null && sha.isTextual())) {
                    list.add(new Listed(p, sha != null && sha.isTextual() ? sha.textValue() : "",
                            hasSize && size.isIntegralNumber() ? OptionalLong.of(size.longValue()) : OptionalLong.empty()));
                }
            }
            return Optional.of(list);
        }

        private Optional<byte[]> signatureBytes(JsonNode signature, String manifestPath) {
            if (signature == null || !signature.isTextual()) {
                error("5", "signature_missing", manifestPath, "manifest has no signature");
                return Optional.empty();
            }
            String s = signature.textValue();
            if (s.isEmpty() || !BASE64.matcher(s).matches()) {
                error("5", "signature_malformed", manifestPath, "signature is not padded standard base64 without line breaks");
                return Optional.empty();
            }
            return Optional.of(Base64.getDecoder().decode(s));
        }

        private void verifySignature(ObjectNode manifest, byte[] sigBytes, String manifestPath) {
            Optional<TrustedKeys.TrustedKey> key = policy.trustedKeys().find(signer);
            if (policy.fingerprintPin().isPresent() && !pinAllows(policy.fingerprintPin().get(), key)) {
                error("5", "fingerprint_pin", manifestPath, "signer_fingerprint " + signer
                        + " is neither the pinned fingerprint " + policy.fingerprintPin().get()
                        + " nor a valid signing subkey of it");
            }
            if (key.isEmpty()) {
                error("5", "signer_unknown", manifestPath, "no trusted key (primary key or bound signing subkey) has fingerprint "
                        + signer);
                return;
            }
            try {
                PGPSignature sig = SignatureChecks.parseSingle(sigBytes);
                PGPSignatureSubpacketVector hashed = sig.getHashedSubPackets();
                if (hashed != null && hashed.getIssuerFingerprint() != null
                        && !HexFormat.of().withUpperCase().formatHex(hashed.getIssuerFingerprint().getFingerprint()).equals(signer)) {
                    throw new SignatureException("wrong_signer", "names a different issuer fingerprint than " + signer);
                }
                ObjectNode unsigned = manifest.deepCopy();
                unsigned.remove("signature");
                SignatureChecks.verifyDetached(sig, key.get(), Jcs.canonicalize(unsigned));
            } catch (SignatureException e) {
                error("5", e.code(), manifestPath, "signature " + e.getMessage());
            }
        }

        /** The pin names the signer itself, or the primary key of the signer when that is a bound signing subkey. */
        private boolean pinAllows(String pin, Optional<TrustedKeys.TrustedKey> key) {
            if (pin.equals(signer)) return true;
            return key.isPresent() && key.get().isSubkey() && pin.equals(key.get().primaryFingerprint());
        }

        private void checkFiles(List<Listed> listed, String top, boolean checkSize) {
            for (Listed f : listed) {
                String full = top + "/" + f.path();
                int i = regular.find(f.path());
                if (i < 0) {
                    if (streamComplete) error("6", "file_missing", full, "listed file is not in the archive");
                    continue;
                }
                boolean ok = true;
                if (f.size().present() && regular.fileSize(i) != f.size().value()) {
                    error("6", "size_mismatch", full, "size is " + regular.fileSize(i) + " bytes; the manifest says " + f.size().value());
                    ok = false;
                } else if (checkSize && !f.size().present()) {
                    ok = false;
                }
                if (!HexFormat.of().formatHex(regular.sha256(i)).equals(f.sha256())) {
                    error("6", "hash_mismatch", full, "SHA-256 differs from the manifest");
                    ok = false;
                }
                if (ok) filesChecked++;
            }
            regular.forEachUnmatched(n -> error("6", "file_unlisted", top + "/" + n, "regular file is not listed in the manifest"));
        }

        private void checkCounts(List<Listed> listed, String manifestPath) {
            long docs = listed.stream().filter(f -> f.path().startsWith(BundleFormat.DOCUMENTS + "/")).count();
            long chunks = listed.stream().filter(f -> f.path().startsWith(BundleFormat.CHUNKS + "/")).count();
            if (documentCount != null && documentCount != docs) {
                error("7", "count_mismatch", manifestPath, "document_count is " + documentCount + " but files lists " + docs);
            }
            if (chunkCount != null && chunkCount != chunks) {
                error("7", "count_mismatch", manifestPath, "chunk_count is " + chunkCount + " but files lists " + chunks);
            }
        }

        private void checkPins() {
            policy.expectTenant().ifPresent(t -> {
                if (tenantId == null || !sameUuid(tenantId, t)) {
                    error("8", "tenant_mismatch", Optional.empty(), "bundle is for tenant " + tenantId + ", not the expected " + t);
                }
            });
            policy.expectExport().ifPresent(x -> {
                if (exportId == null || !sameUuid(exportId, x)) {
                    error("8", "export_mismatch", Optional.empty(), "bundle is export " + exportId + ", not the expected " + x);
                }
            });
        }

        private static boolean sameUuid(String text, UUID expected) {
            try {
                return UUID.fromString(text).equals(expected);
            } catch (IllegalArgumentException e) {
                return false;
            }
        }

        // ---- §6: legacy bundles ----

        private void checkLegacy(ObjectNode manifest, String top, String manifestPath) {
            if (!policy.legacyAccept()) {
                legacyRejected = true;
                error("legacy", "legacy_rejected", manifestPath, "legacy (PRD v0) bundle without signature_version;"
                        + " rerun with --legacy-accept to verify it under the legacy rules");
                return;
            }
            checkIdentity(manifest, top, manifestPath);
            try {
                SignatureChecks.ClearsignedResult result =
                        SignatureChecks.verifyClearsigned(manifest.get("signature").textValue(), policy.trustedKeys());
                signer = result.signerFingerprint();
                if (policy.fingerprintPin().isPresent()
                        && !pinAllows(policy.fingerprintPin().get(), policy.trustedKeys().find(signer))) {
                    error("5", "fingerprint_pin", manifestPath, "legacy signature was made by " + signer
                            + ", not the pinned fingerprint " + policy.fingerprintPin().get());
                }
                JsonNode signed = StrictJson.parse(result.text().getBytes(StandardCharsets.UTF_8));
                ObjectNode unsigned = manifest.deepCopy();
                unsigned.remove("signature");
                if (!signed.equals(unsigned)) {
                    error("legacy", "legacy_manifest_mismatch", manifestPath,
                            "the clearsigned text is a different manifest than the one in the bundle");
                }
            } catch (SignatureException e) {
                error("legacy", e.code(), manifestPath, "legacy signature " + e.getMessage());
            } catch (JsonFormatException e) {
                error("legacy", "legacy_manifest_mismatch", manifestPath, "the clearsigned text is not JSON: " + e.getMessage());
            }
            JsonNode d = manifest.get("document_count");
            JsonNode c = manifest.get("chunk_count");
            documentCount = d != null && d.canConvertToInt() ? d.intValue() : null;
            chunkCount = c != null && c.canConvertToInt() ? c.intValue() : null;
            listedFiles(manifest, manifestPath, false).ifPresent(list -> checkFiles(list, top, false));
            checkPins();
        }

        VerificationReport report() {
            if (truncatedErrors) {
                errors.set(errors.size() - 1, new VerificationError("1", "too_many_errors", Optional.empty(),
                        "more than " + MAX_ERRORS + " errors; the rest are not listed"));
            }
            VerificationReport.Status status;
            if (errors.isEmpty()) status = VerificationReport.Status.VALID;
            else if (legacyRejected && !hasContainerErrors()) status = VerificationReport.Status.LEGACY_REJECTED;
            else status = VerificationReport.Status.INVALID;
            return new VerificationReport(status, Optional.ofNullable(format), Optional.ofNullable(exportId),
                    Optional.ofNullable(tenantId), Optional.ofNullable(signer),
                    documentCount == null ? OptionalInt.empty() : OptionalInt.of(documentCount),
                    chunkCount == null ? OptionalInt.empty() : OptionalInt.of(chunkCount),
                    filesChecked, errors);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** Counts bytes read and reports them every 8 MiB. */
    private static final class CountingInputStream extends FilterInputStream {
        private static final long STEP = 8L * 1024 * 1024;
        private final LongConsumer progress;
        private long count;
        private long nextReport = STEP;

        CountingInputStream(InputStream in, LongConsumer progress) {
            super(in);
            this.progress = progress;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) advance(1);
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) advance(n);
            return n;
        }

        private void advance(long n) {
            count += n;
            if (count >= nextReport) {
                progress.accept(count);
                nextReport = count + STEP;
            }
        }
    }
}
