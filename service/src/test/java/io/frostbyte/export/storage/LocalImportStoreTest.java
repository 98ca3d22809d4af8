package io.frostbyte.export.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.frostbyte.export.storage.local.LocalImportStore;
import io.frostbyte.export.testing.InMemory;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalImportStoreTest {
    @TempDir Path root;
    final InMemory.MutableClock clock = new InMemory.MutableClock(Instant.parse("2026-11-25T09:15:30Z"));
    final ImportStore.Ref ref = new ImportStore.Ref(UUID.randomUUID(), UUID.randomUUID());
    final byte[] body = "a bundle".getBytes(StandardCharsets.UTF_8);

    LocalImportStore store() {
        return new LocalImportStore(root, "http://127.0.0.1:3000", "secret".getBytes(StandardCharsets.UTF_8), clock);
    }

    static String sha(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    static Map<String, String> query(URI url) {
        Map<String, String> q = new HashMap<>();
        for (String kv : url.getRawQuery().split("&")) q.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
        return q;
    }

    @Test
    void accept_theDeclaredBody_storedUnderItsKey() throws Exception {
        LocalImportStore s = store();
        URI url = s.uploadUrl(ref, body.length, sha(body), Duration.ofMinutes(15)).url();
        String key = s.accept(url.getPath(), query(url), body.length, new ByteArrayInputStream(body));
        assertEquals(ImportStore.key(ref.tenant(), ref.importId()), key);
        assertArrayEquals(body, s.open(ref).readAllBytes());
        assertEquals(body.length, s.head(ref).orElseThrow().size());
    }

    @Test
    void accept_otherBodyLengthSignatureOrExpiry_refusedNothingStored() throws Exception {
        LocalImportStore s = store();
        URI url = s.uploadUrl(ref, body.length, sha(body), Duration.ofMinutes(15)).url();
        byte[] other = body.clone();
        other[0] ^= 1;
        assertEquals(400, assertThrows(LocalImportStore.Refused.class,
                () -> s.accept(url.getPath(), query(url), -1, new ByteArrayInputStream(other))).status());
        assertEquals(400, assertThrows(LocalImportStore.Refused.class,
                () -> s.accept(url.getPath(), query(url), -1, new ByteArrayInputStream((new String(body) + "!").getBytes()))).status());
        Map<String, String> forged = query(url);
        forged.put("size", "100");
        assertEquals(403, assertThrows(LocalImportStore.Refused.class,
                () -> s.accept(url.getPath(), forged, -1, new ByteArrayInputStream(body))).status());
        String otherPath = url.getPath().replace(ref.importId().toString(), UUID.randomUUID().toString());
        assertEquals(403, assertThrows(LocalImportStore.Refused.class,
                () -> s.accept(otherPath, query(url), -1, new ByteArrayInputStream(body))).status());
        clock.advance(Duration.ofMinutes(16));
        assertEquals(403, assertThrows(LocalImportStore.Refused.class,
                () -> s.accept(url.getPath(), query(url), -1, new ByteArrayInputStream(body))).status());
        assertTrue(s.head(ref).isEmpty());
        try (var files = Files.walk(root)) {
            assertFalse(files.anyMatch(Files::isRegularFile), "no partial file left");
        }
    }

    @Test
    void refOfKey_onlyOurKeys() {
        assertEquals(ref, ImportStore.Ref.ofKey(ImportStore.key(ref.tenant(), ref.importId())).orElseThrow());
        assertTrue(ImportStore.Ref.ofKey("imports/x/y.tar.gz").isEmpty());
        assertTrue(ImportStore.Ref.ofKey("exports/" + ref.tenant() + "/" + ref.importId() + ".tar.gz").isEmpty());
        assertTrue(ImportStore.Ref.ofKey("imports/" + ref.tenant() + "/../" + ref.importId() + ".tar.gz").isEmpty());
    }
}
