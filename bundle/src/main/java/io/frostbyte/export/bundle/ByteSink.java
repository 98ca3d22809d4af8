package io.frostbyte.export.bundle;

import java.io.IOException;

/** Takes bytes lent for the duration of the call (a slice of a buffer that is reused afterwards). */
@FunctionalInterface
public interface ByteSink {
    void accept(byte[] bytes, int offset, int length) throws IOException;
}
