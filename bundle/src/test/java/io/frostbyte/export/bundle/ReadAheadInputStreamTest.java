package io.frostbyte.export.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ReadAheadInputStreamTest {
    /** A source that hands out {@code good} bytes and then throws {@code failure}. */
    private static InputStream failingAfter(int good, Throwable failure) {
        return new InputStream() {
            int left = good;

            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left == 0) {
                    if (failure instanceof Error e) throw e;
                    throw (RuntimeException) failure;
                }
                int n = Math.min(len, left);
                left -= n;
                return n;
            }
        };
    }

    @Test
    void read_sourceThrowsError_readerGetsIOExceptionInsteadOfWaitingForever() {
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            try (ReadAheadInputStream in = new ReadAheadInputStream(failingAfter(100_000, new OutOfMemoryError("test")), 4096, 2)) {
                IOException e = assertThrows(IOException.class, in::readAllBytes);
                assertInstanceOf(OutOfMemoryError.class, e.getCause());
            }
        });
    }

    @Test
    void read_sourceThrowsRuntimeException_readerGetsIOException() {
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            try (ReadAheadInputStream in = new ReadAheadInputStream(failingAfter(10, new IllegalStateException("x")), 4096, 2)) {
                assertThrows(IOException.class, in::readAllBytes);
            }
        });
    }

    @Test
    void read_wholeSource_sameBytes() throws Exception {
        byte[] data = new byte[1_000_003];
        new Random(1).nextBytes(data);
        try (ReadAheadInputStream in = new ReadAheadInputStream(new ByteArrayInputStream(data), 4096, 3)) {
            assertArrayEquals(data, in.readAllBytes());
        }
    }

    @Test
    void readIntoSink_mixedWithCopyingReads_everyByteOnceInOrder() throws IOException {
        byte[] data = new byte[1_000_003];
        new Random(2).nextBytes(data);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (ReadAheadInputStream in = new ReadAheadInputStream(new ByteArrayInputStream(data), 4096, 2)) {
            byte[] small = new byte[777];
            for (int round = 0; ; round++) {
                int n = round % 2 == 0 ? in.read(5000, out::write) : in.read(small, 0, small.length);
                if (n < 0) break;
                if (round % 2 == 1) out.write(small, 0, n);
            }
        }
        // Buffers are handed back and refilled as the reader moves on: a reused buffer must not change lent bytes.
        assertArrayEquals(data, out.toByteArray());
    }

    @Test
    void drain_tarThroughReadAheadOrPlainStream_sameBytes() throws IOException {
        byte[] first = new byte[70_001];
        byte[] second = new byte[3];
        new Random(3).nextBytes(first);
        new Random(4).nextBytes(second);
        java.io.ByteArrayOutputStream tar = new java.io.ByteArrayOutputStream();
        try (org.apache.commons.compress.archivers.tar.TarArchiveOutputStream t =
                new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(tar)) {
            for (byte[] data : new byte[][] {first, second}) {
                org.apache.commons.compress.archivers.tar.TarArchiveEntry e =
                        new org.apache.commons.compress.archivers.tar.TarArchiveEntry("x/f" + data.length);
                e.setSize(data.length);
                t.putArchiveEntry(e);
                t.write(data);
                t.closeArchiveEntry();
            }
        }
        for (boolean readAhead : new boolean[] {true, false}) {
            InputStream source = new ByteArrayInputStream(tar.toByteArray());
            StrictTarReader reader = new StrictTarReader(readAhead ? new ReadAheadInputStream(source, 1000, 2) : source);
            for (byte[] expected : new byte[][] {first, second}) {
                reader.next().orElseThrow();
                java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
                got.write(reader.content().readNBytes(10)); // part read as a stream, the rest drained
                assertArrayEquals(new long[] {expected.length - Math.min(10, expected.length)}, new long[] {reader.drain(got::write)});
                assertArrayEquals(expected, got.toByteArray(), "read-ahead " + readAhead);
            }
            org.junit.jupiter.api.Assertions.assertTrue(reader.next().isEmpty());
        }
    }
}
