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
}
