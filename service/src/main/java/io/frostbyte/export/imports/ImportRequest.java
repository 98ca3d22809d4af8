package io.frostbyte.export.imports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.frostbyte.export.json.JsonFormatException;
import io.frostbyte.export.json.StrictJson;
import io.frostbyte.export.signing.KeyMaterialException;
import io.frostbyte.export.signing.TrustedKeys;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A validated {@code POST /tenants/{tenant_id}/imports} body: what will be uploaded (size and
 * SHA-256, which the upload URL signs), whom to trust, and what to do with rows that exist.
 *
 * @param size the bundle's exact length in bytes
 * @param sha256 the bundle's SHA-256, 64 lowercase hex digits
 * @param publicKeys armored public keys to trust (each a separate piece of key material)
 * @param sourceTenant trust that tenant's keys as this deployment publishes them
 * @param signerFingerprint the signer must be this key (or, for a primary key, one of its signing subkeys)
 * @param expectSourceTenant the manifest's tenant must be this one
 * @param legacyAccept accept a legacy (PRD v0) bundle under the format's §6 rules
 * @param onConflict what to do when a row the bundle maps to already exists in the tenant
 */
public record ImportRequest(long size, String sha256, List<String> publicKeys, Optional<UUID> sourceTenant,
        Optional<String> signerFingerprint, Optional<UUID> expectSourceTenant, boolean legacyAccept, OnConflict onConflict) {
    public static final int MAX_BODY_BYTES = 256 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern FINGERPRINT_ANY_CASE = Pattern.compile("[0-9A-Fa-f]{40}");
    private static final Set<String> FIELDS = Set.of("size", "sha256", "public_keys", "source_tenant_id", "signer_fingerprint",
            "expect_source_tenant", "legacy_accept", "on_conflict");

    /** What happens to a bundle row whose id already exists in the importing tenant. */
    public enum OnConflict {
        /** Keep the existing row, import the others. */
        SKIP,
        /** Overwrite the existing row with the bundle's. */
        REPLACE,
        /** Reject the whole import; nothing is written. */
        FAIL;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public ImportRequest {
        if (size <= 0) throw new IllegalArgumentException("size must be positive");
        Objects.requireNonNull(sha256, "sha256");
        if (!SHA256.matcher(sha256).matches()) throw new IllegalArgumentException("sha256 must be 64 lowercase hex digits");
        publicKeys = List.copyOf(publicKeys);
        Objects.requireNonNull(sourceTenant, "sourceTenant");
        Objects.requireNonNull(signerFingerprint, "signerFingerprint");
        Objects.requireNonNull(expectSourceTenant, "expectSourceTenant");
        Objects.requireNonNull(onConflict, "onConflict");
        if (publicKeys.isEmpty() && sourceTenant.isEmpty()) {
            throw new IllegalArgumentException("an import needs public_keys or source_tenant_id to trust");
        }
    }

    /** The manifest's tenant must be this one: the explicit pin, or else the tenant whose keys are trusted. */
    public Optional<UUID> tenantPin() {
        return expectSourceTenant.or(() -> sourceTenant);
    }

    /** Parses and validates a body; every problem names its field. */
    public static ImportRequest parse(String body, long maxBundleBytes) throws ImportRequestException {
        if (body == null || body.isBlank()) {
            throw invalid("body", "the request body is empty; expected a JSON object with size, sha256 and public_keys or source_tenant_id");
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_BODY_BYTES) {
            throw new ImportRequestException(ImportRequestException.Kind.BODY_TOO_LARGE, "the request body is " + bytes.length
                    + " bytes; the limit is " + MAX_BODY_BYTES, Map.of());
        }
        JsonNode node;
        try {
            node = StrictJson.parse(bytes);
        } catch (JsonFormatException e) {
            throw invalid("body", "the request body is not valid JSON: " + e.reason());
        }
        if (!node.isObject()) throw invalid("body", "the request body must be a JSON object");
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw invalid(name, "unknown field '" + name + "'; allowed fields are " + String.join(", ", FIELDS.stream().sorted().toList()));
            }
        }
        JsonNode size = node.get("size");
        if (size == null) throw invalid("size", "size (the bundle's length in bytes) is required");
        if (!size.isIntegralNumber() || !size.canConvertToLong() || size.longValue() <= 0) {
            throw invalid("size", "size must be a positive integer number of bytes");
        }
        if (size.longValue() > maxBundleBytes) {
            throw new ImportRequestException(ImportRequestException.Kind.BUNDLE_TOO_LARGE, "the bundle is declared as " + size.longValue()
                    + " bytes; this deployment imports at most " + maxBundleBytes + " (FROSTBYTE_MAX_IMPORT_BYTES)",
                    Map.of("field", "size", "max_import_bytes", maxBundleBytes));
        }
        JsonNode sha = node.get("sha256");
        if (sha == null) throw invalid("sha256", "sha256 (the bundle's SHA-256, hex) is required");
        if (!sha.isTextual() || !SHA256.matcher(sha.textValue().toLowerCase(Locale.ROOT)).matches()) {
            throw invalid("sha256", "sha256 must be 64 hex digits");
        }
        List<String> keys = publicKeys(node.get("public_keys"));
        Optional<UUID> sourceTenant = uuid(node, "source_tenant_id");
        if (keys.isEmpty() && sourceTenant.isEmpty()) {
            throw invalid("public_keys", "say whom to trust: public_keys (armored keys) and/or source_tenant_id (that tenant's published keys)");
        }
        Optional<String> pin = Optional.empty();
        JsonNode fpr = node.get("signer_fingerprint");
        if (fpr != null && !fpr.isNull()) {
            // Exactly the documented form (docs/openapi.yaml): 40 hex digits, either case, nothing else; checked
            // before upper-casing, which maps some non-ASCII letters (the ligature U+FB00) to hex digits.
            String raw = fpr.isTextual() ? fpr.textValue() : "";
            if (!FINGERPRINT_ANY_CASE.matcher(raw).matches()) {
                throw invalid("signer_fingerprint", "signer_fingerprint must be 40 hex digits (a v4 fingerprint)");
            }
            pin = Optional.of(raw.toUpperCase(Locale.ROOT));
        }
        Optional<UUID> expect = uuid(node, "expect_source_tenant");
        JsonNode legacy = node.get("legacy_accept");
        if (legacy != null && !legacy.isBoolean()) throw invalid("legacy_accept", "legacy_accept must be true or false");
        OnConflict onConflict = OnConflict.FAIL;
        JsonNode conflict = node.get("on_conflict");
        if (conflict != null) {
            if (!conflict.isTextual()) throw invalid("on_conflict", "on_conflict must be one of skip, replace, fail");
            try {
                onConflict = OnConflict.valueOf(conflict.textValue().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw invalid("on_conflict", "on_conflict must be one of skip, replace, fail");
            }
            if (!conflict.textValue().equals(onConflict.label())) throw invalid("on_conflict", "on_conflict must be one of skip, replace, fail");
        }
        return new ImportRequest(size.longValue(), sha.textValue().toLowerCase(Locale.ROOT), keys, sourceTenant, pin, expect,
                legacy != null && legacy.booleanValue(), onConflict);
    }

    private static List<String> publicKeys(JsonNode node) throws ImportRequestException {
        if (node == null || node.isNull()) return List.of();
        List<String> keys = new ArrayList<>();
        if (node.isTextual()) {
            keys.add(node.textValue());
        } else if (node.isArray()) {
            for (JsonNode k : node) {
                if (!k.isTextual()) throw invalid("public_keys", "public_keys must be an armored key block or an array of them");
                keys.add(k.textValue());
            }
        } else {
            throw invalid("public_keys", "public_keys must be an armored key block or an array of them");
        }
        if (keys.size() > 32) throw invalid("public_keys", "at most 32 key blocks");
        for (int i = 0; i < keys.size(); i++) {
            if (!keys.get(i).contains("-----BEGIN PGP PUBLIC KEY BLOCK-----") && !keys.get(i).contains("-----BEGIN PGP SIGNATURE-----")) {
                throw invalid("public_keys", "public_keys[" + i + "] is not an ASCII-armored OpenPGP public key block");
            }
        }
        try {
            TrustedKeys.fromMaterials(keys.stream().map(k -> k.getBytes(StandardCharsets.UTF_8)).toList());
        } catch (KeyMaterialException e) {
            throw invalid("public_keys", "public_keys holds no usable key: " + e.getMessage());
        }
        return keys;
    }

    private static Optional<UUID> uuid(JsonNode body, String field) throws ImportRequestException {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) return Optional.empty();
        if (!v.isTextual() || !UUID_TEXT.matcher(v.textValue()).matches()) throw invalid(field, field + " must be a UUID");
        return Optional.of(UUID.fromString(v.textValue()));
    }

    private static ImportRequestException invalid(String field, String detail) {
        return new ImportRequestException(ImportRequestException.Kind.INVALID_BODY, detail, Map.of("field", field));
    }

    /** The request as stored with the import (public keys are public). */
    public String toJson() {
        ObjectNode n = JSON.createObjectNode();
        n.put("size", size);
        n.put("sha256", sha256);
        ArrayNode keys = n.putArray("public_keys");
        publicKeys.forEach(keys::add);
        sourceTenant.ifPresent(t -> n.put("source_tenant_id", t.toString()));
        signerFingerprint.ifPresent(f -> n.put("signer_fingerprint", f));
        expectSourceTenant.ifPresent(t -> n.put("expect_source_tenant", t.toString()));
        n.put("legacy_accept", legacyAccept);
        n.put("on_conflict", onConflict.label());
        return n.toString();
    }

    /** The stored form back; it was valid when stored. */
    public static ImportRequest fromJson(String json) {
        try {
            JsonNode n = JSON.readTree(json);
            List<String> keys = new ArrayList<>();
            n.path("public_keys").forEach(k -> keys.add(k.textValue()));
            return new ImportRequest(n.get("size").longValue(), n.get("sha256").textValue(), keys,
                    Optional.ofNullable(n.get("source_tenant_id")).map(v -> UUID.fromString(v.textValue())),
                    Optional.ofNullable(n.get("signer_fingerprint")).map(JsonNode::textValue),
                    Optional.ofNullable(n.get("expect_source_tenant")).map(v -> UUID.fromString(v.textValue())),
                    n.path("legacy_accept").booleanValue(), OnConflict.valueOf(n.get("on_conflict").textValue().toUpperCase(Locale.ROOT)));
        } catch (java.io.IOException | RuntimeException e) {
            throw new IllegalStateException("stored import request is unreadable", e);
        }
    }
}
