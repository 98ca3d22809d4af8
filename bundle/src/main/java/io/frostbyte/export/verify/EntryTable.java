package io.frostbyte.export.verify;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.function.Consumer;

/**
 * The regular files of one archive, kept compactly so that a bundle at the entry cap fits a small
 * heap: names (relative to the top-level directory) in UTF-8 in 1 MiB chunks, SHA-256 digests in
 * 1 MiB chunks, sizes in one array. About 100 bytes per file for bundle-shaped names, against ~300
 * for a map of strings. Lookups go through an index sorted by name, built once after the archive.
 */
final class EntryTable {
    private static final int CHUNK = 1 << 20;
    private static final int SHA_BYTES = 32;
    private static final int SHAS_PER_CHUNK = CHUNK / SHA_BYTES;

    private final List<byte[]> nameChunks = new ArrayList<>();
    private final List<byte[]> shaChunks = new ArrayList<>();
    private int nameChunkUsed = CHUNK;
    /** Per file: chunk index (high 32 bits), offset in chunk (20 bits), name length (11 bits). */
    private long[] nameRefs = new long[1024];
    private long[] sizes = new long[1024];
    private int count;
    private int[] sorted;
    private BitSet matched;

    int size() {
        return count;
    }

    /** Adds a file; names are at most 1,024 UTF-8 bytes (the caller has checked them). */
    void add(String relativeName, long size, byte[] sha256) {
        byte[] name = relativeName.getBytes(StandardCharsets.UTF_8);
        if (name.length > 1024) throw new IllegalArgumentException("name too long for the table");
        if (count == nameRefs.length) {
            int grown = count + (count >> 1);
            nameRefs = Arrays.copyOf(nameRefs, grown);
            sizes = Arrays.copyOf(sizes, grown);
        }
        if (nameChunkUsed + name.length > CHUNK) {
            nameChunks.add(new byte[CHUNK]);
            nameChunkUsed = 0;
        }
        byte[] chunk = nameChunks.get(nameChunks.size() - 1);
        System.arraycopy(name, 0, chunk, nameChunkUsed, name.length);
        nameRefs[count] = ((long) (nameChunks.size() - 1) << 32) | ((long) nameChunkUsed << 11) | name.length;
        nameChunkUsed += name.length;
        if (count % SHAS_PER_CHUNK == 0) shaChunks.add(new byte[CHUNK]);
        System.arraycopy(sha256, 0, shaChunks.get(count / SHAS_PER_CHUNK), (count % SHAS_PER_CHUNK) * SHA_BYTES, SHA_BYTES);
        sizes[count] = size;
        count++;
        sorted = null;
    }

    String name(int i) {
        long ref = nameRefs[i];
        return new String(nameChunks.get((int) (ref >>> 32)), (int) ((ref >>> 11) & (CHUNK - 1)), (int) (ref & 0x7ff),
                StandardCharsets.UTF_8);
    }

    long fileSize(int i) {
        return sizes[i];
    }

    byte[] sha256(int i) {
        int off = (i % SHAS_PER_CHUNK) * SHA_BYTES;
        return Arrays.copyOfRange(shaChunks.get(i / SHAS_PER_CHUNK), off, off + SHA_BYTES);
    }

    /** Calls {@code action} with every name, in the order added. */
    void forEachName(Consumer<String> action) {
        for (int i = 0; i < count; i++) action.accept(name(i));
    }

    /** Calls {@code duplicate} once for every name that occurs more than once. */
    void forEachDuplicate(Consumer<String> duplicate) {
        int[] order = order();
        for (int k = 1; k < order.length; k++) {
            if (compare(order[k - 1], order[k]) == 0 && (k < 2 || compare(order[k - 2], order[k]) != 0)) {
                duplicate.accept(name(order[k]));
            }
        }
    }

    boolean contains(String relativeName) {
        return indexOf(relativeName) >= 0;
    }

    /** The index of a file named {@code relativeName}, or -1; marks it as matched. */
    int find(String relativeName) {
        int i = indexOf(relativeName);
        if (i >= 0) matched.set(i);
        return i;
    }

    private int indexOf(String relativeName) {
        byte[] key = relativeName.getBytes(StandardCharsets.UTF_8);
        int[] order = order();
        int lo = 0;
        int hi = order.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = compare(order[mid], key);
            if (c < 0) lo = mid + 1;
            else if (c > 0) hi = mid - 1;
            else return order[mid];
        }
        return -1;
    }

    /** Calls {@code unmatched} with every name {@link #find} never returned, in name order. */
    void forEachUnmatched(Consumer<String> unmatched) {
        int[] order = order();
        for (int k = 0; k < order.length; k++) {
            if (!matched.get(order[k]) && (k == 0 || compare(order[k - 1], order[k]) != 0)) unmatched.accept(name(order[k]));
        }
    }

    private int[] order() {
        if (sorted == null) {
            int[] idx = new int[count];
            for (int i = 0; i < count; i++) idx[i] = i;
            int[] scratch = new int[count];
            mergeSort(idx, scratch, 0, count);
            sorted = idx;
            matched = new BitSet(count);
        }
        return sorted;
    }

    private void mergeSort(int[] a, int[] tmp, int from, int to) {
        if (to - from < 2) return;
        int mid = (from + to) >>> 1;
        mergeSort(a, tmp, from, mid);
        mergeSort(a, tmp, mid, to);
        if (compare(a[mid - 1], a[mid]) <= 0) return;
        System.arraycopy(a, from, tmp, from, to - from);
        int i = from;
        int j = mid;
        for (int k = from; k < to; k++) {
            if (j >= to || (i < mid && compare(tmp[i], tmp[j]) <= 0)) a[k] = tmp[i++];
            else a[k] = tmp[j++];
        }
    }

    private int compare(int a, int b) {
        long ra = nameRefs[a];
        long rb = nameRefs[b];
        return Arrays.compareUnsigned(
                nameChunks.get((int) (ra >>> 32)), (int) ((ra >>> 11) & (CHUNK - 1)), (int) ((ra >>> 11) & (CHUNK - 1)) + (int) (ra & 0x7ff),
                nameChunks.get((int) (rb >>> 32)), (int) ((rb >>> 11) & (CHUNK - 1)), (int) ((rb >>> 11) & (CHUNK - 1)) + (int) (rb & 0x7ff));
    }

    private int compare(int a, byte[] key) {
        long ra = nameRefs[a];
        int off = (int) ((ra >>> 11) & (CHUNK - 1));
        return Arrays.compareUnsigned(nameChunks.get((int) (ra >>> 32)), off, off + (int) (ra & 0x7ff), key, 0, key.length);
    }
}
