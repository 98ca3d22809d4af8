package io.frostbyte.export.bundle;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * One gzip member whose deflate stream is compressed in independent blocks on several threads, as
 * pigz does: each block is primed with the previous block's last 32 KiB as dictionary and ends on a
 * sync flush, so the pieces concatenate into one valid stream that any gzip reader accepts.
 *
 * <p>Compression always runs on {@code threads} pool threads, so even with one thread the caller's
 * work (tar, hashing, I/O) overlaps with deflate. The output depends on the level and block size
 * only, never on the thread count, so bundles stay reproducible. Memory is bounded: at most
 * {@code threads + 2} blocks are in flight.
 *
 * <p>The header carries mtime 0, no file name and OS 255 (unknown), for reproducible bytes.
 */
public final class ParallelGzipOutputStream extends OutputStream {
    /**
     * 1 MiB: each block costs a dictionary load and a sync flush, which at pigz's 128 KiB cost ~8% of
     * level-1 throughput here; at 1 MiB it is ~1%, and the ratio is a little better.
     */
    public static final int DEFAULT_BLOCK_SIZE = 1024 * 1024;
    private static final int DICTIONARY = 32 * 1024;
    private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};
    /** A final, empty fixed-Huffman block: ends the deflate stream after the last sync-flushed block. */
    private static final byte[] FINAL_BLOCK = {0x03, 0x00};

    private final OutputStream out;
    private final int level;
    private final int blockSize;
    private final ExecutorService pool;
    private final int maxInFlight;
    private final ArrayDeque<Future<byte[]>> inFlight = new ArrayDeque<>();
    private final CRC32 crc = new CRC32();
    private byte[] block;
    private int fill;
    private byte[] previous;
    private long totalIn;
    private boolean closed;

    /**
     * @param level deflate level 1..9
     * @param threads compression threads
     */
    public ParallelGzipOutputStream(OutputStream out, int level, int threads) throws IOException {
        this(out, level, threads, DEFAULT_BLOCK_SIZE);
    }

    public ParallelGzipOutputStream(OutputStream out, int level, int threads, int blockSize) throws IOException {
        if (level < 1 || level > 9) throw new IllegalArgumentException("deflate level must be 1..9, got " + level);
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        if (blockSize < DICTIONARY) throw new IllegalArgumentException("block size must be >= 32 KiB");
        this.out = out;
        this.level = level;
        this.blockSize = blockSize;
        this.block = new byte[blockSize];
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "gzip-deflate");
            t.setDaemon(true);
            return t;
        });
        this.maxInFlight = threads + 2;
        out.write(HEADER);
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (closed) throw new IOException("stream closed");
        crc.update(b, off, len);
        totalIn += len;
        while (len > 0) {
            int n = Math.min(len, blockSize - fill);
            System.arraycopy(b, off, block, fill, n);
            fill += n;
            off += n;
            len -= n;
            if (fill == blockSize) submitBlock();
        }
    }

    private void submitBlock() throws IOException {
        if (fill == 0) return;
        byte[] data = block;
        int length = fill;
        byte[] dictionary = previous == null ? null
                : Arrays.copyOfRange(previous, previous.length - DICTIONARY, previous.length);
        if (length >= DICTIONARY) {
            previous = data;
            block = new byte[blockSize];
        } else {
            // A short block (only ever the last) keeps its own array; nothing follows it.
            previous = null;
        }
        fill = 0;
        inFlight.add(pool.submit(() -> deflate(threadDeflater(), data, length, dictionary)));
        while (inFlight.size() >= maxInFlight) drainOne();
    }

    /** One deflater per pool thread of this stream, so the level never changes under it. */
    private final ThreadLocal<Deflater> deflaters = new ThreadLocal<>();

    private Deflater threadDeflater() {
        Deflater d = deflaters.get();
        if (d == null) {
            // Freed by the Deflater's cleaner once the pool thread is gone.
            d = new Deflater(level, true);
            deflaters.set(d);
        }
        return d;
    }

    static byte[] deflate(Deflater deflater, byte[] data, int length, byte[] dictionary) {
        deflater.reset();
        if (dictionary != null) deflater.setDictionary(dictionary);
        deflater.setInput(data, 0, length);
        ByteArrayOutputStream result = new ByteArrayOutputStream(length / 2 + 64);
        byte[] buf = new byte[Math.max(1024, length / 2)];
        while (true) {
            int n = deflater.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH);
            result.write(buf, 0, n);
            if (n < buf.length && deflater.needsInput()) break;
        }
        return result.toByteArray();
    }

    private void drainOne() throws IOException {
        Future<byte[]> next = inFlight.poll();
        try {
            out.write(next.get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while compressing", e);
        } catch (ExecutionException e) {
            throw new IOException("compression failed", e.getCause());
        }
    }

    /** Writes out everything compressed so far; the member stays open. */
    @Override
    public void flush() throws IOException {
        out.flush();
    }

    /** Ends the gzip member (final block, CRC-32, size) without closing the underlying stream. */
    public void finish() throws IOException {
        if (closed) return;
        closed = true;
        try {
            submitBlock();
            while (!inFlight.isEmpty()) drainOne();
            out.write(FINAL_BLOCK);
            long c = crc.getValue();
            out.write(new byte[] {
                (byte) c, (byte) (c >> 8), (byte) (c >> 16), (byte) (c >> 24),
                (byte) totalIn, (byte) (totalIn >> 8), (byte) (totalIn >> 16), (byte) (totalIn >> 24)});
            out.flush();
        } finally {
            release();
        }
    }

    private void release() {
        pool.shutdownNow();
        inFlight.clear();
    }

    @Override
    public void close() throws IOException {
        try {
            finish();
        } finally {
            out.close();
        }
    }

    /** Releases threads without writing a trailer: for a write that has failed. */
    public void abort() {
        closed = true;
        release();
    }
}
