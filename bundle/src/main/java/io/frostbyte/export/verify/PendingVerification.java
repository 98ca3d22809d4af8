package io.frostbyte.export.verify;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.LongConsumer;

/**
 * A bundle file whose archive is being read on a background thread while the caller prepares the
 * policy; see {@link BundleVerifier#start}. {@link #finish} waits for the read and judges it with
 * the policy; {@link #close} abandons a read nobody will finish.
 */
public final class PendingVerification implements AutoCloseable {
    private final Path bundle;
    private final int maxManifestBytes;
    private final Findings findings = new Findings();
    private final Thread thread;
    private volatile InputStream in;
    private volatile boolean abandoned;
    private boolean finished;
    private Optional<ParsedArchive> archive = Optional.empty();
    private Optional<VerificationReport> unreadable = Optional.empty();

    private PendingVerification(Path bundle, int maxManifestBytes, LongConsumer progress) {
        this.bundle = bundle;
        this.maxManifestBytes = maxManifestBytes;
        this.thread = Thread.ofPlatform().name("bundle-scan").daemon().unstarted(() -> read(progress));
    }

    static PendingVerification start(Path bundle, int maxManifestBytes, LongConsumer progress) {
        if (maxManifestBytes <= 0) throw new IllegalArgumentException("maxManifestBytes must be positive");
        PendingVerification pending = new PendingVerification(bundle, maxManifestBytes, progress);
        pending.thread.start();
        return pending;
    }

    private void read(LongConsumer progress) {
        try {
            readArchive(progress);
        } catch (Throwable e) {
            // Whatever ended the read early (an Error included) must end up in the report, never as silence.
            BundleVerifier.failClosed(e, findings);
        }
    }

    private void readArchive(LongConsumer progress) {
        if (!Files.isRegularFile(bundle)) {
            unreadable = Optional.of(BundleVerifier.unreadable(bundle, "bundle file does not exist or is not a regular file"));
            return;
        }
        if (abandoned) return;
        try {
            in = Files.newInputStream(bundle);
        } catch (IOException | RuntimeException e) {
            unreadable = Optional.of(BundleVerifier.unreadable(bundle, "cannot open the bundle: " + BundleVerifier.describe(e)));
            return;
        }
        try (InputStream stream = in) {
            archive = BundleVerifier.scan(stream, maxManifestBytes, progress, (path, size, content) -> {}, findings);
        } catch (IOException e) {
            unreadable = Optional.of(BundleVerifier.unreadable(bundle, "cannot close the bundle: " + BundleVerifier.describe(e)));
        }
    }

    /**
     * Waits for the read to end and judges it against {@code policy}, whose manifest cap must be the
     * one the read used.
     */
    public VerificationReport finish(VerificationPolicy policy) {
        if (policy.maxManifestBytes() != maxManifestBytes) {
            throw new IllegalArgumentException("the read used a manifest cap of " + maxManifestBytes
                    + " bytes, the policy has " + policy.maxManifestBytes());
        }
        if (abandoned) throw new IllegalStateException("this verification was closed");
        if (finished) throw new IllegalStateException("this verification was already finished");
        finished = true;
        BundleVerifier.joinUninterruptibly(thread);
        return unreadable.orElseGet(() -> BundleVerifier.judge(archive, policy, findings));
    }

    /** Abandons the read if {@link #finish} was not called: the file is closed, so the thread ends. */
    @Override
    public void close() {
        if (!thread.isAlive()) return;
        abandoned = true;
        InputStream stream = in;
        try {
            if (stream != null) stream.close();
        } catch (IOException ignored) {
            // Closing only hurries the abandoned read; nobody reads its result.
        }
    }
}
