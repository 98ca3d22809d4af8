package io.frostbyte.export.verify.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/** A progress line on stderr, only for big bundles and only when stderr is a terminal. */
final class Progress {
    private static final long BIG = 64L * 1024 * 1024;
    private final PrintWriter err;
    private final long total;
    private final boolean enabled;
    private boolean printed;

    private Progress(PrintWriter err, long total, boolean enabled) {
        this.err = err;
        this.total = total;
        this.enabled = enabled;
    }

    static Progress forBundle(Path bundle, PrintWriter err) {
        long size;
        try {
            size = Files.size(bundle);
        } catch (IOException | RuntimeException e) {
            size = -1;
        }
        return new Progress(err, size, size >= BIG && stderrIsTerminal());
    }

    /** Linux: fd 2 points at a tty or pty. Elsewhere: no progress line, which is always safe. */
    static boolean stderrIsTerminal() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    void update(long bytesRead) {
        if (!enabled) return;
        printed = true;
        err.printf("\rverifying: %,d / %,d MiB (%d%%)", bytesRead >> 20, total >> 20, total > 0 ? bytesRead * 100 / total : 0);
        err.flush();
    }

    void done() {
        if (printed) {
            err.print("\r\033[K");
            err.flush();
        }
    }
}
