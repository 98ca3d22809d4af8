package io.frostbyte.export.verify;

import io.frostbyte.export.bundle.BundleFormat;
import io.frostbyte.export.bundle.BundleFormatException;
import io.frostbyte.export.bundle.ReadAheadInputStream;
import io.frostbyte.export.bundle.StrictGzipInputStream;
import io.frostbyte.export.bundle.StrictTarReader;
import io.frostbyte.export.bundle.TarEntry;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Rules 1 and 2: reads the gzip and tar streams once, hashing every regular file and keeping the
 * manifest's bytes, and checks every entry's name and place. Header-level rules are the strict
 * reader's; a header it refuses ends the scan (nobody knows where the next header starts).
 */
final class ArchiveScan {

    private final int maxManifestBytes;
    private final Findings findings;
    private final EntryConsumer consumer;
    private final EntryTable files = new EntryTable();
    private final MessageDigest sha = sha256();
    /** Allowed directory entries seen (at most the three of §2), normalised without '/'. */
    private final Set<String> directories = new HashSet<>();
    private String top;
    private boolean secondTopReported;
    private byte[] manifest;
    private boolean manifestSeen;
    private boolean manifestTooLarge;
    /** UTF-8 bytes of all file names kept; more than a manifest within its cap could list is refused. */
    private long nameBytes;

    private ArchiveScan(int maxManifestBytes, Findings findings, EntryConsumer consumer) {
        this.maxManifestBytes = maxManifestBytes;
        this.findings = findings;
        this.consumer = consumer;
    }

    /** Thrown through the scan when the consumer fails; {@link BundleVerifier} turns it into its checked form. */
    static final class ConsumerFailed extends RuntimeException {
        final EntryConsumerException failure;

        ConsumerFailed(EntryConsumerException failure) {
            super(failure.getMessage(), failure, false, false);
            this.failure = failure;
        }
    }

    static ParsedArchive read(InputStream raw, int maxManifestBytes, Findings findings, EntryConsumer consumer) {
        ArchiveScan scan = new ArchiveScan(maxManifestBytes, findings, consumer);
        boolean complete = scan.readAll(raw);
        scan.checkDuplicates();
        return new ParsedArchive(Optional.ofNullable(scan.top), scan.files, Optional.ofNullable(scan.manifest),
                scan.manifestTooLarge, complete);
    }

    private boolean readAll(InputStream raw) {
        // Inflate on a second core while this thread parses tar and hashes.
        try (ReadAheadInputStream inflated = new ReadAheadInputStream(new StrictGzipInputStream(raw), 256 * 1024, 8)) {
            StrictTarReader tar = new StrictTarReader(inflated);
            Optional<TarEntry> next;
            while ((next = tar.next()).isPresent()) {
                entry(next.get(), tar);
            }
            return true;
        } catch (BundleFormatException e) {
            findings.add(Rule.of(e.rule()), e.code(), Optional.empty(), e.getMessage());
        } catch (IOException e) {
            if (e.getCause() instanceof OutOfMemoryError oom) throw oom;
            findings.add(Rule.STREAM, "unreadable", Optional.empty(), "cannot read the bundle: " + BundleVerifier.describe(e));
        }
        return false;
    }

    private void entry(TarEntry e, StrictTarReader tar) throws IOException {
        InputStream content = tar.content();
        if (!e.nameValid()) {
            findings.add(Rule.ENTRIES, "unsafe_name", e.name(), "entry name is not valid UTF-8 or contains NUL");
            return;
        }
        String name = e.name();
        Optional<String> unsafe = BundleFormat.unsafeNameReason(name);
        if (unsafe.isPresent()) {
            findings.add(Rule.ENTRIES, "unsafe_name", name, "unsafe entry name: " + unsafe.get());
            return;
        }
        String normalized = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
        int slash = normalized.indexOf('/');
        String entryTop = slash < 0 ? normalized : normalized.substring(0, slash);
        if (top == null) top = entryTop;
        if (!top.equals(entryTop)) {
            if (!secondTopReported) {
                secondTopReported = true;
                findings.add(Rule.ENTRIES, "multiple_top_level", entryTop,
                        "a second top-level name; every entry must live under one directory");
            }
            return;
        }
        if (e.isDirectory()) {
            if (!(slash < 0 || normalized.equals(top + "/" + BundleFormat.DOCUMENTS)
                    || normalized.equals(top + "/" + BundleFormat.CHUNKS))) {
                findings.add(Rule.ENTRIES, "directory_not_allowed", normalized,
                        "only the top-level, documents/ and chunks/ directories may appear");
            } else if (!directories.add(normalized)) {
                findings.add(Rule.ENTRIES, "duplicate_entry", normalized, "entry appears more than once");
            }
            return;
        }
        if (slash < 0) {
            findings.add(Rule.ENTRIES, "not_in_directory", normalized, "regular file outside the top-level directory");
            return;
        }
        if (normalized.equals(top + "/" + BundleFormat.MANIFEST)) {
            readManifest(normalized, e.size(), content);
            return;
        }
        MessageDigest sha = this.sha; // reset by the digest() of the previous file
        String relative = normalized.substring(top.length() + 1);
        HashingContent hashed = new HashingContent(content, sha);
        try {
            consumer.file(relative, e.size(), hashed);
        } catch (IOException | RuntimeException failure) {
            // A read error of the archive itself, surfacing through the consumer, stays an archive error.
            if (hashed.sourceFailure != null) throw hashed.sourceFailure;
            throw new ConsumerFailed(new EntryConsumerException(normalized, failure));
        }
        // What the consumer left is hashed where the read-ahead buffers hold it, without a copy.
        hashed.count += tar.drain((bytes, off, len) -> sha.update(bytes, off, len));
        hashed.ended = true;
        long total = hashed.count;
        nameBytes += relative.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        if (nameBytes > maxManifestBytes) {
            // Every file must be listed in the manifest, whose size is capped: this archive cannot be valid.
            throw BundleFormatException.header("too_many_entries", "file names add up to more than the "
                    + maxManifestBytes + " bytes a manifest may hold");
        }
        files.add(relative, total, sha.digest());
    }

    private void readManifest(String name, long size, InputStream content) throws IOException {
        if (manifestSeen) {
            findings.add(Rule.ENTRIES, "duplicate_entry", name, "entry appears more than once");
            findings.add(Rule.MANIFEST, "manifest_duplicate", name, "more than one manifest.json");
            return;
        }
        manifestSeen = true;
        if (size > maxManifestBytes) {
            manifestTooLarge = true;
            findings.add(Rule.MANIFEST, "manifest_too_large", name, "manifest is " + size + " bytes, over the cap of "
                    + maxManifestBytes + " bytes; not parsed");
            return;
        }
        manifest = content.readNBytes((int) size);
    }

    /** Names that occur twice among files and directories (§2: unique after normalisation). */
    private void checkDuplicates() {
        if (top == null) return;
        files.forEachDuplicate(n -> findings.add(Rule.ENTRIES, "duplicate_entry", top + "/" + n, "entry appears more than once"));
        for (String dir : directories) {
            if (dir.length() > top.length() && files.contains(dir.substring(top.length() + 1))) {
                findings.add(Rule.ENTRIES, "duplicate_entry", dir, "entry appears more than once");
            }
        }
        // A file cannot also be a directory that holds others: every extractor fails on one or the other.
        Set<String> reported = new HashSet<>();
        files.forEachName(name -> {
            for (int slash = name.indexOf('/'); slash > 0; slash = name.indexOf('/', slash + 1)) {
                String parent = name.substring(0, slash);
                if ((files.contains(parent) || (manifestSeen && parent.equals(BundleFormat.MANIFEST))) && reported.add(parent)) {
                    findings.add(Rule.ENTRIES, "path_conflict", top + "/" + parent,
                            "a regular file with the name of a directory that other entries need");
                }
            }
        });
    }

    /** The entry's bytes as the consumer reads them, hashed and counted on the way; never closes the archive. */
    private static final class HashingContent extends InputStream {
        private final InputStream in;
        private final MessageDigest sha;
        private long count;
        private IOException sourceFailure;
        /** Set once the entry is over: a consumer that kept the stream must not read the next entry's bytes through it. */
        private boolean ended;

        HashingContent(InputStream in, MessageDigest sha) {
            this.in = in;
            this.sha = sha;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (ended) return -1;
            int n;
            try {
                n = in.read(b, off, len);
            } catch (IOException e) {
                sourceFailure = e;
                throw e;
            }
            if (n > 0) {
                sha.update(b, off, n);
                count += n;
            }
            return n;
        }

        @Override
        public void close() {
            // The scan drains and owns the archive stream.
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
