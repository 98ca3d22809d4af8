package io.frostbyte.export.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.frostbyte.export.testing.Gpg;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/** The client side of the API, as a tenant's script would drive it. */
final class Flows {
    static final ObjectMapper JSON = new ObjectMapper();

    private Flows() {}

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    static String createBody(List<UUID> ids, boolean chunks) throws Exception {
        return JSON.writeValueAsString(Map.of("document_ids", ids.stream().map(UUID::toString).toList(), "include_chunks", chunks));
    }

    static UUID create(LocalStack s, String token, UUID tenant, List<UUID> ids, boolean chunks) throws Exception {
        HttpResponse<String> r = s.send("POST", "/tenants/" + tenant + "/exports", token, createBody(ids, chunks));
        assertEquals(202, r.statusCode(), r.body());
        return UUID.fromString(json(r).get("export_id").asText());
    }

    /** Polls until completed or failed; returns the last body. */
    static JsonNode await(LocalStack s, String token, UUID tenant, UUID export, int seconds) throws Exception {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = s.send("GET", "/tenants/" + tenant + "/exports/" + export, token, null);
            assertEquals(200, r.statusCode(), r.body());
            last = json(r);
            String status = last.get("status").asText();
            if (status.equals("completed") || status.equals("failed")) return last;
            Thread.sleep(250);
        }
        throw new AssertionError("export " + export + " not finished after " + seconds + " s: " + last);
    }

    static byte[] download(JsonNode export) throws Exception {
        HttpResponse<byte[]> r = LocalStack.HTTP.send(HttpRequest.newBuilder(URI.create(export.get("download_url").asText())).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode());
        return r.body();
    }

    static String publicKey(LocalStack s, String token, UUID tenant) throws Exception {
        HttpResponse<String> r = s.send("GET", "/tenants/" + tenant + "/public-key", token, null, "Accept", "application/pgp-keys");
        assertEquals(200, r.statusCode(), r.body());
        return r.body();
    }

    /** Runs the built frostbyte-verify jar as a separate process; returns its exit code and output. */
    static Gpg.Result verifyCli(Path bundle, Path key, String... extra) throws Exception {
        Path jar = LocalStack.root().resolve("verify-cli/target/frostbyte-verify.jar");
        List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString(), bundle.toString(), "--public-key", key.toString()));
        cmd.addAll(List.of(extra));
        return Gpg.exec(cmd, bundle.getParent());
    }

    /** The bundle's regular files, by path relative to its top directory. */
    static Map<String, byte[]> entries(byte[] bundle) throws Exception {
        Map<String, byte[]> out = new TreeMap<>();
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bundle)); TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                if (e.isFile()) out.put(e.getName().substring(e.getName().indexOf('/') + 1), tar.readAllBytes());
            }
        }
        return out;
    }

    static Path write(Path dir, String name, byte[] bytes) throws Exception {
        return Files.write(dir.resolve(name), bytes);
    }
}
