package io.frostbyte.export.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EntryTableTest {
    private static byte[] sha(int i) {
        byte[] b = new byte[32];
        b[0] = (byte) i;
        b[31] = (byte) (i >> 8);
        return b;
    }

    @Test
    void find_manyNamesAcrossChunks_returnsEachWithItsSizeAndDigest() {
        EntryTable t = new EntryTable();
        int n = 40_000; // > 1 MiB of names and of digests: several chunks each
        for (int i = n - 1; i >= 0; i--) t.add("documents/" + "x".repeat(20) + i + ".json", i, sha(i));
        for (int i = 0; i < n; i += 997) {
            int at = t.find("documents/" + "x".repeat(20) + i + ".json");
            assertEquals(i, t.fileSize(at));
            assertArrayEquals(sha(i), t.sha256(at));
        }
        assertEquals(-1, t.find("documents/absent.json"));
    }

    @Test
    void forEachDuplicate_nameAddedThreeTimes_reportedOnce() {
        EntryTable t = new EntryTable();
        t.add("b", 1, sha(1));
        t.add("a", 1, sha(1));
        t.add("b", 2, sha(2));
        t.add("b", 3, sha(3));
        List<String> dups = new ArrayList<>();
        t.forEachDuplicate(dups::add);
        assertEquals(List.of("b"), dups);
    }

    @Test
    void forEachUnmatched_afterFinds_namesTheRestInOrder() {
        EntryTable t = new EntryTable();
        for (String s : List.of("d", "ä", "a", "c", "b")) t.add(s, 0, sha(0));
        t.find("b");
        t.find("d");
        List<String> rest = new ArrayList<>();
        t.forEachUnmatched(rest::add);
        assertEquals(List.of("a", "c", "ä"), rest);
    }
}
