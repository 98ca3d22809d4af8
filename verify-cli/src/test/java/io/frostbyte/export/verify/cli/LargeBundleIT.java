package io.frostbyte.export.verify.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.frostbyte.export.bundle.BundleFormat;
import io.frostbyte.export.bundle.BundleSummary;
import io.frostbyte.export.bundle.BundleWriter;
import io.frostbyte.export.testing.TestKeys;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 1 GiB bundle is written in this JVM, whose heap failsafe caps at 256 MiB, and verified by the
 * CLI in a JVM started with -Xmx256m: both stream, neither holds the bundle.
 */
class LargeBundleIT {
    static final long ONE_GIB = 1L << 30;
    static final int DOCUMENT_BYTES = 4 << 20;

    @TempDir Path dir;

    @Test
    void writeAndVerify_oneGibBundle_under256MiBHeap() throws Exception {
        assertTrue(Runtime.getRuntime().maxMemory() <= 272L << 20,
                "this test must run with -Xmx256m, has " + (Runtime.getRuntime().maxMemory() >> 20) + " MiB");
        UUID export = UUID.randomUUID();
        UUID tenant = UUID.randomUUID();
        Path bundle = dir.resolve(export + ".tar.gz");
        SplittableRandom random = new SplittableRandom(1);
        byte[] raw = new byte[DOCUMENT_BYTES * 3 / 4];
        BundleSummary summary;
        // Base64 of random bytes compresses only ~1.3x, so a 1 GiB bundle needs ~1.4 GB of input, not 3 GB.
        long[] compressed = {0};
        try (OutputStream out = new java.io.FilterOutputStream(new BufferedOutputStream(Files.newOutputStream(bundle), 1 << 16)) {
                    @Override
                    public void write(byte[] b, int off, int len) throws java.io.IOException {
                        out.write(b, off, len);
                        compressed[0] += len;
                    }
                };
                BundleWriter w = BundleWriter.builder().exportId(export).tenantId(tenant).createdAt(TestKeys.CREATED)
                        .signingKey(TestKeys.a()).compressionLevel(1).threads(2).open(out)) {
            long n = 0;
            while (compressed[0] < ONE_GIB + (4 << 20)) {
                random.nextBytes(raw);
                byte[] head = ("{\"id\":\"" + n + "\",\"content\":\"").getBytes(StandardCharsets.US_ASCII);
                byte[] body = Base64.getEncoder().encode(raw);
                byte[] tail = "\"}\n".getBytes(StandardCharsets.US_ASCII);
                long size = head.length + body.length + tail.length;
                w.addFile(String.format("documents/%08d.json", n++), new SequenceInputStream(
                        new SequenceInputStream(new ByteArrayInputStream(head), new ByteArrayInputStream(body)),
                        new ByteArrayInputStream(tail)), size);
            }
            summary = w.finish();
        }
        long size = Files.size(bundle);
        assertEquals(summary.bundleSize(), size);
        assertTrue(size >= ONE_GIB, "bundle is only " + size + " bytes");

        Path key = Files.writeString(dir.resolve("a.asc"), TestKeys.publicKey(TestKeys.a()));
        Path cwd = Files.createDirectory(dir.resolve("cwd"));
        Path tmp = Files.createDirectory(dir.resolve("tmp"));
        Cli.Run r = Cli.run(cwd, tmp, "256m", bundle.toString(), "--public-key", key.toString(), "--json");
        assertEquals(0, r.exit(), r.all());
        JsonNode report = new ObjectMapper().readTree(r.stdout());
        assertEquals(summary.documentCount(), report.get("files_checked").asInt());
        assertTrue(summary.documentCount() > 250);

        // On a terminal (a pty from script(1)) a progress line goes to stderr; the verdict is unchanged.
        io.frostbyte.export.testing.Gpg.requireCommand("script", "apt-get install bsdutils");
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        io.frostbyte.export.testing.Gpg.Result tty = io.frostbyte.export.testing.Gpg.exec(java.util.List.of("script", "-qec",
                javaBin + " -Xmx256m -jar " + Cli.jar() + " " + bundle + " --public-key " + key, "/dev/null"), cwd);
        assertEquals(0, tty.exit(), tty.stdout() + tty.stderr());
        assertTrue(tty.stdout().contains("verifying: ") && tty.stdout().contains("MiB"), tty.stdout());
        assertTrue(tty.stdout().contains("VALID"), tty.stdout());
        assertTrue(!r.stderr().contains("verifying: "), "no progress line when stderr is not a terminal");
        assertTrue(BundleFormat.isSha256Hex(summary.bundleSha256()));
    }
}
