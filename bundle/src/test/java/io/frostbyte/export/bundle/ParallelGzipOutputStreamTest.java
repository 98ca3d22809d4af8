package io.frostbyte.export.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.frostbyte.export.testing.Corpus;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ParallelGzipOutputStreamTest {
    static byte[] compress(byte[] data, int level, int threads, int writeSize) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ParallelGzipOutputStream gz = new ParallelGzipOutputStream(out, level, threads, 64 * 1024)) {
            for (int off = 0; off < data.length; off += writeSize) {
                gz.write(data, off, Math.min(writeSize, data.length - off));
            }
        }
        return out.toByteArray();
    }

    static byte[] text(int size) {
        return new Corpus(3).text(size).getBytes(StandardCharsets.US_ASCII);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 100, 64 * 1024 - 1, 64 * 1024, 64 * 1024 + 1, 1_000_003})
    void write_anySize_roundTripsThroughJdkAndStrictReaders(int size) throws Exception {
        byte[] data = text(size);
        byte[] gz = compress(data, 6, 2, 7919);
        assertArrayEquals(data, new GZIPInputStream(new ByteArrayInputStream(gz)).readAllBytes());
        assertArrayEquals(data, new StrictGzipInputStream(new ByteArrayInputStream(gz)).readAllBytes());
    }

    @Test
    void write_threadsAndWriteSizes_doNotChangeTheBytes() throws Exception {
        byte[] data = text(900_000);
        byte[] reference = compress(data, 6, 1, 100_000);
        assertArrayEquals(reference, compress(data, 6, 2, 1));
        assertArrayEquals(reference, compress(data, 6, 4, 65_536));
    }

    @Test
    void write_textAtLevel6_compressesLikeGzip() throws Exception {
        byte[] data = text(2_000_000);
        double ratio = (double) data.length / compress(data, 6, 2, 65536).length;
        // English-like text reaches ~3x with gzip -6; block splitting costs well under 1%.
        assertEquals(3.0, ratio, 0.8);
    }

    @Test
    void constructor_badLevel_rejected() {
        assertThrows(IllegalArgumentException.class, () -> new ParallelGzipOutputStream(new ByteArrayOutputStream(), 0, 1));
    }

    @Test
    void strictReader_concatenatedMembers_readAsOneStream() throws Exception {
        byte[] a = text(100_000);
        byte[] b = text(50_000);
        ByteArrayOutputStream both = new ByteArrayOutputStream();
        both.writeBytes(compress(a, 1, 1, 4096));
        both.writeBytes(compress(b, 9, 2, 4096));
        byte[] expected = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, expected, a.length, b.length);
        assertArrayEquals(expected, new StrictGzipInputStream(new ByteArrayInputStream(both.toByteArray())).readAllBytes());
    }

    @Test
    void strictReader_badCrc_fails() throws Exception {
        byte[] gz = compress(text(10_000), 6, 1, 4096);
        gz[gz.length - 6] ^= 1;
        BundleFormatException e = assertThrows(BundleFormatException.class,
                () -> new StrictGzipInputStream(new ByteArrayInputStream(gz)).readAllBytes());
        assertEquals("corrupt_gzip", e.code());
    }

    @Test
    void strictReader_trailingZeros_fail() throws Exception {
        byte[] gz = compress(text(10_000), 6, 1, 4096);
        byte[] padded = Arrays.copyOf(gz, gz.length + 512);
        BundleFormatException e = assertThrows(BundleFormatException.class,
                () -> new StrictGzipInputStream(new ByteArrayInputStream(padded)).readAllBytes());
        assertEquals("trailing_garbage", e.code());
    }
}
