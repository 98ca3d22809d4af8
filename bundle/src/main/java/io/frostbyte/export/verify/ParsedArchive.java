package io.frostbyte.export.verify;

import io.frostbyte.export.bundle.BundleFormat;
import java.util.Optional;

/**
 * What one pass over a bundle's archive found, for the checks that follow.
 *
 * @param top the top-level directory name (the first one seen)
 * @param files the regular files under it, by name relative to it, with size and SHA-256
 * @param manifest the bytes of {@code top/manifest.json}, when there is one within the cap
 * @param manifestTooLarge a manifest was there but over the cap, so it was not read
 * @param complete the stream parsed to its end, so a file not seen is really missing
 */
record ParsedArchive(Optional<String> top, EntryTable files, Optional<byte[]> manifest, boolean manifestTooLarge,
        boolean complete) {

    Optional<String> manifestPath() {
        return top.map(t -> t + "/" + BundleFormat.MANIFEST);
    }
}
