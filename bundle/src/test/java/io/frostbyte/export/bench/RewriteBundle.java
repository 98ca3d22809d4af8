package io.frostbyte.export.bench;

import io.frostbyte.export.bundle.BundleWriter;
import io.frostbyte.export.bundle.StrictGzipInputStream;
import io.frostbyte.export.bundle.StrictTarReader;
import io.frostbyte.export.bundle.TarEntry;
import io.frostbyte.export.testing.TestKeys;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Writes the documents and chunks of another tool's bundle again with our own writer, so that
 * {@code scripts/bench cold} can time the verifier on both writers' output of the same content.
 * Arguments: IN.tar.gz OUT.tar.gz OUT-KEY.asc LEVEL. The new bundle keeps the export id and is
 * signed by the test key A, whose public key goes to OUT-KEY.asc.
 */
public final class RewriteBundle {
    private RewriteBundle() {}

    public static void main(String[] args) throws Exception {
        Path in = Path.of(args[0]);
        Path out = Path.of(args[1]);
        Files.writeString(Path.of(args[2]), TestKeys.publicKey(TestKeys.a()));
        int level = Integer.parseInt(args[3]);
        UUID export = null;
        BundleWriter writer = null;
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(in), 1 << 20);
                OutputStream sink = new BufferedOutputStream(Files.newOutputStream(out), 1 << 20)) {
            StrictTarReader tar = new StrictTarReader(new StrictGzipInputStream(raw));
            Optional<TarEntry> next;
            while ((next = tar.next()).isPresent()) {
                TarEntry e = next.get();
                if (e.isDirectory()) continue;
                String[] parts = e.name().split("/");
                if (export == null) {
                    export = UUID.fromString(parts[0]);
                    writer = BundleWriter.builder().exportId(export).tenantId(UUID.randomUUID())
                            .createdAt(Instant.parse("2026-01-01T00:00:00Z")).includeChunks(true)
                            .signingKey(TestKeys.a()).compressionLevel(level).open(sink);
                }
                if (parts.length != 3) continue; // the manifest: ours is written by finish()
                UUID id = UUID.fromString(parts[2].substring(0, parts[2].length() - ".json".length()));
                byte[] data = tar.content().readAllBytes();
                if (parts[1].equals("documents")) writer.addDocument(id, data);
                else writer.addChunk(id, data);
            }
            writer.finish();
            writer.close();
        }
        System.out.println(export);
    }
}
