package io.frostbyte.export.verify;

import java.io.IOException;
import java.io.InputStream;

/**
 * Receives the payload files of a bundle during the verifier's one pass, so that whoever loads a
 * bundle reads exactly the bytes the verifier hashed, from the verifier's own parse (no second
 * reader whose idea of the archive could differ). The verdict comes only after the last entry: a
 * consumer must hold what it takes back until {@link VerificationReport#isValid()} says so.
 */
@FunctionalInterface
public interface EntryConsumer {
    /**
     * One regular file other than the manifest, in archive order.
     *
     * @param path the name relative to the top-level directory, e.g. {@code documents/<uuid>.json}
     * @param size the size the tar header declares
     * @param content the file's bytes; what the consumer does not read the verifier drains and hashes.
     *     Closing it is not needed and does nothing; once this method returns it reads nothing more.
     * @throws IOException to abort verification: the consumer cannot go on (its store failed)
     */
    void file(String path, long size, InputStream content) throws IOException;
}
