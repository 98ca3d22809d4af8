package io.frostbyte.export.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.frostbyte.export.bundle.BundleFormat;
import io.frostbyte.export.json.JsonFormatException;
import io.frostbyte.export.json.StrictJson;
import io.frostbyte.export.signing.Fingerprints;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;

/** Rules 3, 4 and the shape half of 5: the manifest parses as I-JSON and its members have their v1 types. */
final class ManifestSchema {
    private static final Pattern BASE64 = Pattern.compile("(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?");
    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    static final String CLEARSIGN_MARKER = "-----BEGIN PGP SIGNED MESSAGE-----";

    /** One {@code files} element. {@code size} is empty for legacy manifests, which list none. */
    record Listed(String path, String sha256, OptionalLong size) {}

    /** The members the later checks use; a member that failed its check is empty. */
    record Fields(Optional<String> exportId, Optional<String> tenantId, OptionalInt documentCount, OptionalInt chunkCount,
            Optional<List<Listed>> files, Optional<String> signer, Optional<byte[]> signature) {}

    private ManifestSchema() {}

    /** Parses the manifest's bytes; an error and empty when it is not an I-JSON object. */
    static Optional<ObjectNode> parse(byte[] bytes, String path, Findings findings) {
        JsonNode node;
        try {
            node = StrictJson.parse(bytes);
        } catch (JsonFormatException e) {
            findings.add(Rule.MANIFEST, "manifest_invalid", path, "manifest is not I-JSON: " + e.reason());
            return Optional.empty();
        }
        if (!node.isObject()) {
            findings.add(Rule.MANIFEST, "manifest_invalid", path, "manifest is not a JSON object");
            return Optional.empty();
        }
        return Optional.of((ObjectNode) node);
    }

    /** §6: legacy only on a positive marker, never because v1 fields were stripped. */
    static boolean isLegacy(ObjectNode manifest) {
        JsonNode signature = manifest.get("signature");
        return manifest.get("signature_version") == null && signature != null && signature.isTextual()
                && signature.textValue().startsWith(CLEARSIGN_MARKER);
    }

    /** Rule 4; true when the signature may be checked (version is 1). */
    static boolean checkVersion(ObjectNode manifest, String path, Findings findings) {
        JsonNode version = manifest.get("signature_version");
        if (version == null) {
            findings.add(Rule.VERSION, "signature_version_missing", path,
                    "manifest has no signature_version and no legacy clearsigned signature");
            return false;
        }
        boolean ok = version.isIntegralNumber() && version.bigIntegerValue().bitLength() < 32 && version.intValue() == 1;
        if (!ok) {
            findings.add(Rule.VERSION, "signature_version_unsupported", path, "signature_version is " + version + "; only 1 is supported");
        }
        return ok;
    }

    /** Every v1 member's type and form (rule 3; signer and signature shapes of rule 5). */
    static Fields v1(ObjectNode manifest, String top, String path, Findings findings) {
        JsonNode format = manifest.get("format");
        if (format == null || !format.isTextual() || !format.textValue().equals(BundleFormat.FORMAT)) {
            findings.add(Rule.MANIFEST, "format", path, "format is " + format + ", not \"" + BundleFormat.FORMAT + "\"");
        }
        Optional<String> exportId = exportId(manifest, top, path, findings);
        Optional<String> tenantId = tenantId(manifest, path, findings);
        JsonNode createdAt = manifest.get("created_at");
        if (createdAt == null || !createdAt.isTextual() || BundleFormat.parseCreatedAt(createdAt.textValue()).isEmpty()) {
            findings.add(Rule.MANIFEST, "manifest_field", path, "created_at is not an RFC 3339 UTC instant with whole seconds");
        }
        JsonNode include = manifest.get("include_chunks");
        if (include == null || !include.isBoolean()) {
            findings.add(Rule.MANIFEST, "manifest_field", path, "include_chunks is not a boolean");
        }
        OptionalInt documents = count(manifest, "document_count", path, findings);
        OptionalInt chunks = count(manifest, "chunk_count", path, findings);
        Optional<List<Listed>> files = files(manifest, path, true, findings);
        Optional<String> signer = signer(manifest);
        if (signer.isEmpty()) {
            findings.add(Rule.SIGNATURE, "fingerprint_malformed", path, "signer_fingerprint is missing or not 40 uppercase hex digits");
        }
        return new Fields(exportId, tenantId, documents, chunks, files, signer, signature(manifest.get("signature"), path, findings));
    }

    /** The well-formed signer_fingerprint, if there is one (its finding is {@link #v1}'s). */
    static Optional<String> signer(ObjectNode manifest) {
        JsonNode fpr = manifest.get("signer_fingerprint");
        return fpr != null && fpr.isTextual() && Fingerprints.isWellFormed(fpr.textValue())
                ? Optional.of(fpr.textValue()) : Optional.empty();
    }

    /** The decoded signature when it is well-formed (its findings are {@link #v1}'s). */
    static Optional<byte[]> signature(ObjectNode manifest) {
        return signature(manifest.get("signature"), "", new Findings());
    }

    /** The members §6 checks for a legacy manifest: identity and hashes; counts reported only. */
    static Fields legacy(ObjectNode manifest, String top, String path, Findings findings) {
        Optional<String> exportId = exportId(manifest, top, path, findings);
        Optional<String> tenantId = tenantId(manifest, path, findings);
        JsonNode d = manifest.get("document_count");
        JsonNode c = manifest.get("chunk_count");
        return new Fields(exportId, tenantId,
                d != null && d.canConvertToInt() ? OptionalInt.of(d.intValue()) : OptionalInt.empty(),
                c != null && c.canConvertToInt() ? OptionalInt.of(c.intValue()) : OptionalInt.empty(),
                files(manifest, path, false, findings), Optional.empty(), Optional.empty());
    }

    private static Optional<String> exportId(ObjectNode manifest, String top, String path, Findings findings) {
        JsonNode export = manifest.get("export_id");
        if (export == null || !export.isTextual() || !BundleFormat.isCanonicalUuid(export.textValue())) {
            findings.add(Rule.MANIFEST, "manifest_field", path, "export_id is not a lowercase canonical UUID");
            return Optional.empty();
        }
        String id = export.textValue();
        if (!id.equals(top)) {
            findings.add(Rule.MANIFEST, "export_id_mismatch", top, "top-level directory '" + top
                    + "' does not equal the manifest's export_id " + id);
        }
        return Optional.of(id);
    }

    private static Optional<String> tenantId(ObjectNode manifest, String path, Findings findings) {
        JsonNode tenant = manifest.get("tenant_id");
        if (tenant == null || !tenant.isTextual() || !UUID_TEXT.matcher(tenant.textValue()).matches()) {
            findings.add(Rule.MANIFEST, "manifest_field", path, "tenant_id is not a UUID");
            return Optional.empty();
        }
        return Optional.of(tenant.textValue());
    }

    private static OptionalInt count(ObjectNode manifest, String member, String path, Findings findings) {
        JsonNode n = manifest.get(member);
        if (n == null || !n.isIntegralNumber() || n.bigIntegerValue().signum() < 0 || n.bigIntegerValue().bitLength() > 31) {
            findings.add(Rule.MANIFEST, "manifest_field", path, member + " is not a non-negative integer");
            return OptionalInt.empty();
        }
        return OptionalInt.of(n.intValue());
    }

    /** The {@code files} list; {@code v1} adds v1's rules (sizes required, order, payload directories) to the common ones. */
    private static Optional<List<Listed>> files(ObjectNode manifest, String manifestPath, boolean v1, Findings findings) {
        JsonNode files = manifest.get("files");
        if (files == null || !files.isArray()) {
            findings.add(Rule.MANIFEST, "manifest_field", manifestPath, "files is not an array");
            return Optional.empty();
        }
        List<Listed> list = new ArrayList<>(files.size());
        Set<String> seen = new HashSet<>();
        String previous = null;
        for (int i = 0; i < files.size(); i++) {
            JsonNode f = files.get(i);
            JsonNode path = f.get("path");
            JsonNode sha = f.get("sha256");
            JsonNode size = f.get("size");
            String where = "files[" + i + "]";
            if (!f.isObject() || path == null || !path.isTextual()) {
                findings.add(Rule.MANIFEST, "manifest_field", where, where + " has no string path");
                continue;
            }
            String p = path.textValue();
            boolean ok = true;
            if (sha == null || !sha.isTextual() || !BundleFormat.isSha256Hex(sha.textValue())) {
                findings.add(Rule.MANIFEST, "manifest_field", p, "listed sha256 is not 64 lowercase hex digits");
                ok = false;
            }
            boolean hasSize = size != null;
            if ((v1 || hasSize) && (size == null || !size.isIntegralNumber() || size.bigIntegerValue().signum() < 0)) {
                findings.add(Rule.MANIFEST, "manifest_field", p, "listed size is not a non-negative integer");
                ok = false;
            }
            Optional<String> unsafe = BundleFormat.unsafeNameReason(p);
            if (unsafe.isPresent() || p.endsWith("/")) {
                findings.add(Rule.COUNTS, "unsafe_listed_path", p, "listed path is unsafe: " + unsafe.orElse("trailing '/'"));
                continue;
            }
            // Rule 7 (payload directories only) and §3's order are v1's: §6 does not hold a legacy
            // manifest to them (the original plan listed files as it found them).
            if (v1 && !p.startsWith(BundleFormat.DOCUMENTS + "/") && !p.startsWith(BundleFormat.CHUNKS + "/")) {
                findings.add(Rule.COUNTS, "path_outside_payload", p, "listed path is not under documents/ or chunks/");
            }
            if (!seen.add(p)) {
                findings.add(Rule.MANIFEST, "duplicate_listing", p, "path is listed more than once");
            } else if (v1 && previous != null && p.compareTo(previous) < 0) {
                findings.add(Rule.MANIFEST, "files_unsorted", p, "files are not sorted ascending by path");
            }
            previous = p;
            if (ok || (sha != null && sha.isTextual())) {
                list.add(new Listed(p, sha != null && sha.isTextual() ? sha.textValue() : "",
                        hasSize && size.isIntegralNumber() ? OptionalLong.of(size.longValue()) : OptionalLong.empty()));
            }
        }
        return Optional.of(list);
    }

    private static Optional<byte[]> signature(JsonNode signature, String path, Findings findings) {
        if (signature == null || !signature.isTextual()) {
            findings.add(Rule.SIGNATURE, "signature_missing", path, "manifest has no signature");
            return Optional.empty();
        }
        String s = signature.textValue();
        if (s.isEmpty() || !BASE64.matcher(s).matches()) {
            findings.add(Rule.SIGNATURE, "signature_malformed", path, "signature is not padded standard base64 without line breaks");
            return Optional.empty();
        }
        return Optional.of(Base64.getDecoder().decode(s));
    }
}
