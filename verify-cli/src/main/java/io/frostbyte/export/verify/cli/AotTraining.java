package io.frostbyte.export.verify.cli;

import io.frostbyte.export.bundle.BundleWriter;
import io.frostbyte.export.signing.KeyAlgorithm;
import io.frostbyte.export.signing.TenantSigningKey;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The training run behind the start-up cache that {@code bin/frostbyte-verify} keeps (an AOT cache on
 * JDK 25+, a CDS archive on 21-24): writes a small bundle with a throwaway key in a temporary
 * directory and verifies it the way a user does, once as text and once as JSON, so that the cache
 * holds the classes and method profiles of a real run. It never sees a user's bundle or key; the
 * cache only changes how fast classes load and code compiles, never what they compute.
 */
public final class AotTraining {
    private static final int DOCUMENTS = 3_000;

    private AotTraining() {}

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("frostbyte-verify-training");
        try {
            UUID export = UUID.randomUUID();
            Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
            TenantSigningKey key = TenantSigningKey.generate(KeyAlgorithm.ED25519, "Training <training@frostbyte.invalid>", now);
            Path publicKey = dir.resolve("key.asc");
            Files.writeString(publicKey, key.armoredPublicKey());
            Path bundle = dir.resolve("training.tar.gz");
            try (OutputStream out = Files.newOutputStream(bundle);
                    BundleWriter writer = BundleWriter.builder().exportId(export).tenantId(UUID.randomUUID())
                            .createdAt(now).signingKey(key).includeChunks(false).open(out)) {
                StringBuilder text = new StringBuilder();
                for (int i = 0; i < DOCUMENTS; i++) {
                    text.setLength(0);
                    text.append("{\"id\":\"").append(new UUID(0, i)).append("\",\"title\":\"Training document ").append(i)
                            .append("\",\"body\":\"");
                    for (int w = 0; w < 200 + (i % 7) * 100; w++) text.append("word").append(w % 97).append(' ');
                    text.append("\"}");
                    writer.addDocument(new UUID(0, i), text.toString().getBytes(StandardCharsets.UTF_8));
                }
                writer.finish();
            }
            PrintWriter discard = new PrintWriter(OutputStream.nullOutputStream());
            String[] common = {"--public-key", publicKey.toString(), "--expect-export", export.toString(), bundle.toString()};
            int text = FrostbyteVerify.run(common, discard, discard);
            String[] json = Stream.concat(Stream.of("--json"), Stream.of(common)).toArray(String[]::new);
            int report = FrostbyteVerify.run(json, discard, discard);
            if (text != 0 || report != 0) throw new IllegalStateException("the training bundle did not verify");
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
        }
    }
}
