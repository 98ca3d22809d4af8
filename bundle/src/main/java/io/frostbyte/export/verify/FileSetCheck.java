package io.frostbyte.export.verify;

import io.frostbyte.export.bundle.BundleFormat;
import java.util.List;
import java.util.OptionalInt;

/** Rules 6 and 7: the archive's files are exactly the listed ones, with their sizes and digests; the counts match. */
final class FileSetCheck {
    private FileSetCheck() {}

    /** Returns the number of files whose size (when {@code requireSize}) and SHA-256 matched. */
    static int check(List<ManifestSchema.Listed> listed, ParsedArchive archive, boolean requireSize, Findings findings) {
        String top = archive.top().orElse("");
        EntryTable files = archive.files();
        int checked = 0;
        for (ManifestSchema.Listed f : listed) {
            String full = top + "/" + f.path();
            int i = files.find(f.path());
            if (i < 0) {
                if (archive.complete()) findings.add(Rule.FILES, "file_missing", full, "listed file is not in the archive");
                continue;
            }
            boolean ok = true;
            if (f.size().isPresent() && files.fileSize(i) != f.size().getAsLong()) {
                findings.add(Rule.FILES, "size_mismatch", full,
                        "size is " + files.fileSize(i) + " bytes; the manifest says " + f.size().getAsLong());
                ok = false;
            } else if (requireSize && f.size().isEmpty()) {
                ok = false;
            }
            if (!hexEquals(files.sha256(i), f.sha256())) {
                findings.add(Rule.FILES, "hash_mismatch", full, "SHA-256 differs from the manifest");
                ok = false;
            }
            if (ok) checked++;
        }
        files.forEachUnmatched(n -> findings.add(Rule.FILES, "file_unlisted", top + "/" + n, "regular file is not listed in the manifest"));
        return checked;
    }

    /** Whether {@code hex} is exactly the lowercase hex of {@code digest}, without formatting a string per file. */
    static boolean hexEquals(byte[] digest, String hex) {
        if (hex.length() != digest.length * 2) return false;
        for (int i = 0; i < digest.length; i++) {
            if (hex.charAt(2 * i) != HEX[(digest[i] >> 4) & 0xf] || hex.charAt(2 * i + 1) != HEX[digest[i] & 0xf]) return false;
        }
        return true;
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    static void counts(List<ManifestSchema.Listed> listed, OptionalInt documentCount, OptionalInt chunkCount, String path,
            Findings findings) {
        long docs = listed.stream().filter(f -> f.path().startsWith(BundleFormat.DOCUMENTS + "/")).count();
        long chunks = listed.stream().filter(f -> f.path().startsWith(BundleFormat.CHUNKS + "/")).count();
        if (documentCount.isPresent() && documentCount.getAsInt() != docs) {
            findings.add(Rule.COUNTS, "count_mismatch", path, "document_count is " + documentCount.getAsInt() + " but files lists " + docs);
        }
        if (chunkCount.isPresent() && chunkCount.getAsInt() != chunks) {
            findings.add(Rule.COUNTS, "count_mismatch", path, "chunk_count is " + chunkCount.getAsInt() + " but files lists " + chunks);
        }
    }
}
