package io.frostbyte.export.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * A floor for the whole-process benchmark: a JVM that only starts and inflates a gzip file with the
 * JDK's zlib, one thread, output discarded. No verifier run can be faster than this on the same
 * JDK, since inflating is the one step of a verification that cannot be split across cores.
 * Usage: {@code java -cp bundle/target/test-classes io.frostbyte.export.bench.InflateOnly FILE}.
 */
public final class InflateOnly {
    private InflateOnly() {}

    public static void main(String[] args) throws IOException {
        byte[] buffer = new byte[256 * 1024];
        long total = 0;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(Path.of(args[0])), 64 * 1024)) {
            for (int n; (n = in.read(buffer)) > 0; ) total += n;
        }
        if (total < 0) throw new IllegalStateException("unreachable; keeps the loop from being optimised away");
    }
}
