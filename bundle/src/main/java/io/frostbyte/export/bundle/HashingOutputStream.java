package io.frostbyte.export.bundle;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Passes bytes through while counting them and hashing them with SHA-256. */
final class HashingOutputStream extends FilterOutputStream {
    private final MessageDigest sha256 = newSha256();
    private long count;

    HashingOutputStream(OutputStream out) {
        super(out);
    }

    static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    @Override
    public void write(int b) throws IOException {
        out.write(b);
        sha256.update((byte) b);
        count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        sha256.update(b, off, len);
        count += len;
    }

    long count() {
        return count;
    }

    String hex() {
        return HexFormat.of().formatHex(sha256.digest());
    }
}
