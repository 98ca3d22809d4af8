package io.frostbyte.export.imports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.frostbyte.export.testing.TestKeys;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ImportRequestTest {
    static final String SHA = "AB".repeat(32);

    static String key() throws Exception {
        return TestKeys.a().armoredPublicKey().replace("\n", "\\n");
    }

    @Test
    void parse_fullBody_everyFieldKept() throws Exception {
        UUID source = UUID.randomUUID();
        ImportRequest r = ImportRequest.parse("{\"size\":123,\"sha256\":\"" + SHA + "\",\"public_keys\":\"" + key() + "\","
                + "\"source_tenant_id\":\"" + source + "\",\"signer_fingerprint\":\"" + TestKeys.a().fingerprint().toLowerCase() + "\","
                + "\"legacy_accept\":true,\"on_conflict\":\"skip\"}", 1000);
        assertEquals(123, r.size());
        assertEquals(SHA.toLowerCase(), r.sha256());
        assertEquals(1, r.publicKeys().size());
        assertEquals(Optional.of(source), r.sourceTenant());
        assertEquals(Optional.of(TestKeys.a().fingerprint()), r.signerFingerprint());
        assertTrue(r.legacyAccept());
        assertEquals(ImportRequest.OnConflict.SKIP, r.onConflict());
        assertEquals(r, ImportRequest.fromJson(r.toJson()));
    }

    @Test
    void tenantPin_sourceTenantOnly_pinsItUnlessExpectGiven() throws Exception {
        UUID source = UUID.randomUUID();
        UUID expect = UUID.randomUUID();
        ImportRequest bySource = ImportRequest.parse("{\"size\":1,\"sha256\":\"" + SHA + "\",\"source_tenant_id\":\"" + source + "\"}", 10);
        assertEquals(Optional.of(source), bySource.tenantPin());
        ImportRequest explicit = ImportRequest.parse("{\"size\":1,\"sha256\":\"" + SHA + "\",\"source_tenant_id\":\"" + source
                + "\",\"expect_source_tenant\":\"" + expect + "\"}", 10);
        assertEquals(Optional.of(expect), explicit.tenantPin());
        ImportRequest keysOnly = ImportRequest.parse("{\"size\":1,\"sha256\":\"" + SHA + "\",\"public_keys\":[\"" + key() + "\"]}", 10);
        assertFalse(keysOnly.tenantPin().isPresent());
        ImportRequest keysAndSource = ImportRequest.parse("{\"size\":1,\"sha256\":\"" + SHA + "\",\"public_keys\":[\"" + key()
                + "\"],\"source_tenant_id\":\"" + source + "\"}", 10);
        assertEquals(Optional.of(source), keysAndSource.tenantPin(), "trusting a source tenant pins it, whatever keys come along");
        assertEquals(ImportRequest.OnConflict.FAIL, keysOnly.onConflict());
    }

    @Test
    void parse_badInput_namesTheField() throws Exception {
        String[][] cases = {
            {"{\"sha256\":\"" + SHA + "\",\"public_keys\":\"" + key() + "\"}", "size"},
            {"{\"size\":-1,\"sha256\":\"" + SHA + "\",\"public_keys\":\"" + key() + "\"}", "size"},
            {"{\"size\":1.5,\"sha256\":\"" + SHA + "\",\"public_keys\":\"" + key() + "\"}", "size"},
            {"{\"size\":1,\"sha256\":\"abc\",\"public_keys\":\"" + key() + "\"}", "sha256"},
            {"{\"size\":1,\"sha256\":\"" + SHA + "\"}", "public_keys"},
            {"{\"size\":1,\"sha256\":\"" + SHA + "\",\"public_keys\":42}", "public_keys"},
            {"{\"size\":1,\"sha256\":\"" + SHA + "\",\"public_keys\":\"not a key\"}", "public_keys"},
            {"{\"size\":1,\"sha256\":\"" + SHA + "\",\"source_tenant_id\":\"x\"}", "source_tenant_id"},
            {"{\"size\":1,\"sha256\":\"" + SHA + "\",\"public_keys\":\"" + key() + "\",\"on_conflict\":\"SKIP\"}", "on_conflict"},
            {"{\"size\":1,\"sha256\":\"" + SHA + "\",\"public_keys\":\"" + key() + "\",\"extra\":1}", "extra"},
            // The documented pattern is 40 hex digits and nothing else (GnuPG's spaced form is the CLI's convenience only).
            {"{\"size\":1,\"sha256\":\"" + SHA + "\",\"public_keys\":\"" + key() + "\",\"signer_fingerprint\":\""
                    + TestKeys.a().fingerprint().replaceAll("(.{4})", "$1 ").strip() + "\"}", "signer_fingerprint"},
            // U+FB00 upper-cases to "FF": not a hex digit for all that.
            {"{\"size\":1,\"sha256\":\"" + SHA + "\",\"public_keys\":\"" + key() + "\",\"signer_fingerprint\":\"\ufb00"
                    + TestKeys.a().fingerprint().substring(2) + "\"}", "signer_fingerprint"},
        };
        for (String[] c : cases) {
            ImportRequestException e = assertThrows(ImportRequestException.class, () -> ImportRequest.parse(c[0], 1000), c[0]);
            assertEquals(ImportRequestException.Kind.INVALID_BODY, e.kind(), c[0]);
            assertEquals(c[1], e.details().get("field"), c[0]);
        }
    }

    @Test
    void parse_declaredSizeOverTheCap_bundleTooLarge() throws Exception {
        ImportRequestException e = assertThrows(ImportRequestException.class,
                () -> ImportRequest.parse("{\"size\":1001,\"sha256\":\"" + SHA + "\",\"public_keys\":\"" + key() + "\"}", 1000));
        assertEquals(ImportRequestException.Kind.BUNDLE_TOO_LARGE, e.kind());
    }
}
