package io.frostbyte.export.bundle;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Reads its source on a background thread, a bounded number of buffers ahead, so that producing
 * the bytes (inflating) and consuming them (tar parsing, hashing) run on two cores at once. An
 * IOException from the source is rethrown, as is, to the reader; any other Throwable (an Error
 * included) is handed over wrapped in one, and a background thread that dies without a word is
 * noticed too, so the reader never waits forever. Buffers are recycled once read, so a stream of
 * gigabytes allocates at most {@code depth + 2} of them: memory {@code (depth + 2) × bufferSize}.
 */
public final class ReadAheadInputStream extends InputStream {
    private static final Chunk END = new Chunk(new byte[0], 0);
    private static final IOException OUT_OF_MEMORY =
            new IOException("reading the bundle failed: out of memory", new OutOfMemoryError("read-ahead"));

    private final BlockingQueue<Object> queue;
    /** Buffers the reader has finished with, for the pump to fill again. */
    private final BlockingQueue<byte[]> free;
    private final Thread thread;
    private volatile boolean closed;
    private static final Chunk EMPTY = new Chunk(new byte[0], 0);
    private Chunk current = EMPTY;
    private int pos;

    private record Chunk(byte[] data, int length) {}
    private boolean ended;

    public ReadAheadInputStream(InputStream source, int bufferSize, int depth) {
        this.queue = new ArrayBlockingQueue<>(depth);
        this.free = new ArrayBlockingQueue<>(depth + 2);
        this.thread = new Thread(() -> pump(source, bufferSize), "bundle-read-ahead");
        thread.setDaemon(true);
        thread.start();
    }

    private void pump(InputStream source, int bufferSize) {
        try {
            while (!closed) {
                byte[] buf = free.poll();
                if (buf == null) buf = new byte[bufferSize];
                int n = source.readNBytes(buf, 0, bufferSize);
                if (n > 0) put(new Chunk(buf, n));
                if (n < bufferSize) {
                    put(END);
                    return;
                }
            }
        } catch (IOException e) {
            put(e);
        } catch (OutOfMemoryError e) {
            put(OUT_OF_MEMORY); // allocated up front: there may be no memory left to build a new one
        } catch (Throwable e) {
            put(new IOException("reading the bundle failed: " + e, e));
        }
    }

    private void put(Object item) {
        try {
            while (!closed && !queue.offer(item, 100, TimeUnit.MILLISECONDS)) {
                // The reader is slower; wait for room unless it has gone away.
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) return 0;
        if (!ensureCurrent()) return -1;
        int n = Math.min(len, current.length() - pos);
        System.arraycopy(current.data(), pos, b, off, n);
        pos += n;
        return n;
    }

    /**
     * Lends up to {@code max} bytes to {@code sink} straight from the read-ahead buffer, without
     * copying them; returns how many, or -1 at the end of the stream.
     */
    public int read(int max, ByteSink sink) throws IOException {
        if (max == 0) return 0;
        if (!ensureCurrent()) return -1;
        int n = Math.min(max, current.length() - pos);
        sink.accept(current.data(), pos, n);
        pos += n;
        return n;
    }

    /** Makes {@code current} hold unread bytes, waiting for the pump; false at the end of the stream. */
    private boolean ensureCurrent() throws IOException {
        if (pos < current.length()) return true;
        if (ended) return false;
        if (current.length() > 0) {
            free.offer(current.data());
            current = EMPTY; // handed back once only, even if the wait below is interrupted
        }
        Object next;
        try {
            while ((next = queue.poll(200, TimeUnit.MILLISECONDS)) == null) {
                if (!thread.isAlive() && queue.isEmpty()) {
                    ended = true;
                    throw new IOException("reading the bundle failed: the read-ahead thread ended without a result");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading the bundle");
        }
        if (next instanceof IOException e) {
            ended = true;
            throw e;
        }
        current = (Chunk) next;
        pos = 0;
        if (current == END) {
            ended = true;
            return false;
        }
        return true;
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        queue.clear();
        // Give the pump a moment to stop touching the source, which the caller may read on (it has always
        // stopped when the stream was read to its end). Not longer: a stalled sender must not hold close().
        try {
            thread.join(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
