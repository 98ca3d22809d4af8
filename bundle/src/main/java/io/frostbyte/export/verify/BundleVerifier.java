package io.frostbyte.export.verify;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.frostbyte.export.bundle.BundleFormat;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.LongConsumer;

/**
 * Verifies a bundle against format v1 §5 (and §6 for legacy bundles) in one streaming pass, without
 * writing anything to disk: {@link ArchiveScan} (rules 1-2) reads the archive once, then
 * {@link ManifestSchema} (3-4), {@link SignatureCheck} (5), {@link FileSetCheck} (6-7),
 * {@link PinCheck} (8) and {@link LegacyCheck} (§6) judge what it found. It never throws for bad
 * input: every problem becomes an error in the report, and every rule is checked so that the
 * report names all failures, not only the first.
 */
public final class BundleVerifier {
    private BundleVerifier() {}

    /** Verifies the bundle file at {@code bundle}. */
    public static VerificationReport verify(Path bundle, VerificationPolicy policy) {
        return verify(bundle, policy, bytes -> {});
    }

    /** Verifies the bundle file, reporting compressed bytes read so far to {@code progress}. */
    public static VerificationReport verify(Path bundle, VerificationPolicy policy, LongConsumer progress) {
        if (!Files.isRegularFile(bundle)) {
            return unreadable(bundle, "bundle file does not exist or is not a regular file");
        }
        InputStream in;
        try {
            in = Files.newInputStream(bundle);
        } catch (IOException | RuntimeException e) {
            return unreadable(bundle, "cannot open the bundle: " + describe(e));
        }
        try (in) {
            return verify(in, policy, progress);
        } catch (IOException e) {
            return unreadable(bundle, "cannot close the bundle: " + describe(e));
        }
    }

    static VerificationReport unreadable(Path bundle, String message) {
        Findings findings = new Findings();
        findings.add(Rule.STREAM, "unreadable", bundle.toString(), message);
        return new Outcome().report(findings);
    }

    /** Verifies a bundle read from {@code in} (not closed here). */
    public static VerificationReport verify(InputStream in, VerificationPolicy policy, LongConsumer progress) {
        try {
            return verify(in, policy, progress, (path, size, content) -> {});
        } catch (EntryConsumerException e) {
            throw new IllegalStateException("the empty consumer never fails", e);
        }
    }

    /**
     * Verifies a bundle read from {@code in} (not closed here), handing every payload file to
     * {@code consumer} as the one pass reads it. The report decides whether what the consumer took
     * may be kept.
     *
     * @throws EntryConsumerException when the consumer itself failed (not for anything in the bundle)
     */
    public static VerificationReport verify(InputStream in, VerificationPolicy policy, LongConsumer progress,
            EntryConsumer consumer) throws EntryConsumerException {
        Findings findings = new Findings();
        Optional<ParsedArchive> archive;
        try {
            archive = scan(in, policy.maxManifestBytes(), progress, consumer, findings);
        } catch (ArchiveScan.ConsumerFailed e) {
            throw e.failure;
        }
        return judge(archive, policy, findings);
    }

    /**
     * Starts reading the bundle file at once, on a thread of its own, so that the caller can get the
     * policy ready meanwhile (parse its arguments, read the trusted keys);
     * {@link PendingVerification#finish} then judges what was read. The verdict is the one
     * {@link #verify(Path, VerificationPolicy, LongConsumer)} gives.
     */
    public static PendingVerification start(Path bundle, int maxManifestBytes, LongConsumer progress) {
        return PendingVerification.start(bundle, maxManifestBytes, progress);
    }

    /**
     * Rules 1-2: the one pass over the archive. Empty when it could not even start or ended in an
     * unforeseen failure, which is then in {@code findings}; a consumer's failure passes through.
     */
    static Optional<ParsedArchive> scan(InputStream in, int maxManifestBytes, LongConsumer progress, EntryConsumer consumer,
            Findings findings) {
        try {
            return Optional.of(ArchiveScan.read(new CountingInputStream(in, progress), maxManifestBytes, findings, consumer));
        } catch (ArchiveScan.ConsumerFailed e) {
            throw e;
        } catch (Throwable e) {
            failClosed(e, findings);
            return Optional.empty();
        }
    }

    /** Rules 3-8 over what the scan found, and the report. */
    static VerificationReport judge(Optional<ParsedArchive> archive, VerificationPolicy policy, Findings findings) {
        Outcome outcome = new Outcome();
        try {
            if (archive.isPresent()) {
                judge(archive.get(), policy, findings, outcome);
            } else if (findings.isEmpty()) {
                // No archive and no reason recorded: never a silent VALID.
                findings.add(Rule.STREAM, "internal", Optional.empty(), "verification aborted: the archive was not read");
            }
        } catch (Throwable e) {
            failClosed(e, findings);
        }
        return outcome.report(findings);
    }

    static void failClosed(Throwable e, Findings findings) {
        if (e instanceof OutOfMemoryError) {
            findings.add(Rule.STREAM, "out_of_memory", Optional.empty(), "verification aborted: the bundle needs more memory"
                    + " than this process has (raise -Xmx); it is not accepted");
        } else {
            // Fail closed on anything unforeseen, without a stack trace.
            findings.add(Rule.STREAM, "internal", Optional.empty(), "verification aborted: " + describe(e));
        }
    }

    private static void judge(ParsedArchive archive, VerificationPolicy policy, Findings findings, Outcome outcome) {
        if (archive.manifest().isEmpty()) {
            if (!archive.manifestTooLarge()) {
                findings.add(Rule.MANIFEST, "manifest_missing", archive.manifestPath().orElse(null),
                        "the bundle has no " + BundleFormat.MANIFEST);
            }
            return;
        }
        String top = archive.top().orElseThrow();
        String path = archive.manifestPath().orElseThrow();
        Optional<ObjectNode> parsed = ManifestSchema.parse(archive.manifest().get(), path, findings);
        if (parsed.isEmpty()) return;
        ObjectNode manifest = parsed.get();
        if (ManifestSchema.isLegacy(manifest)) {
            outcome.format = VerificationReport.Format.LEGACY;
            if (!policy.legacyAccept()) {
                outcome.legacyRejected = true;
                findings.add(Rule.LEGACY, "legacy_rejected", path, "legacy (PRD v0) bundle without signature_version;"
                        + " rerun with --legacy-accept to verify it under the legacy rules");
                return;
            }
            ManifestSchema.Fields fields = ManifestSchema.legacy(manifest, top, path, findings);
            outcome.fields(fields);
            outcome.signer = LegacyCheck.check(manifest, policy, path, findings);
            fields.files().ifPresent(list -> outcome.filesChecked = FileSetCheck.check(list, archive, false, findings));
            PinCheck.check(policy, fields.tenantId(), fields.exportId(), findings);
            return;
        }
        boolean hasVersion = manifest.get("signature_version") != null;
        if (hasVersion) outcome.format = VerificationReport.Format.V1;
        boolean versionOk = ManifestSchema.checkVersion(manifest, path, findings);
        // The signature (canonical form, digest, public-key check) is about half of what is left once
        // the archive is read; it runs on the second core while this one checks the listed files.
        // Its findings join the report where a sequential check would have put them.
        Optional<String> signer = ManifestSchema.signer(manifest);
        Optional<byte[]> signature = ManifestSchema.signature(manifest);
        Findings signatureFindings = new Findings();
        Concurrently signatureCheck = Concurrently.run(versionOk && signer.isPresent() && signature.isPresent(),
                () -> SignatureCheck.check(manifest, signer.get(), signature.get(), policy, path, signatureFindings));
        ManifestSchema.Fields fields = ManifestSchema.v1(manifest, top, path, findings);
        outcome.fields(fields);
        outcome.signer = fields.signer();
        signatureCheck.join();
        findings.addAll(signatureFindings);
        fields.files().ifPresent(list -> {
            outcome.filesChecked = FileSetCheck.check(list, archive, true, findings);
            FileSetCheck.counts(list, fields.documentCount(), fields.chunkCount(), path, findings);
        });
        PinCheck.check(policy, fields.tenantId(), fields.exportId(), findings);
    }

    /** A task on its own thread (or none), joined with whatever it threw rethrown here. */
    private static final class Concurrently {
        private final Thread thread;
        private volatile Throwable failure;

        private Concurrently(Runnable task) {
            this.thread = task == null ? null : Thread.ofPlatform().name("bundle-signature-check").daemon().unstarted(() -> {
                try {
                    task.run();
                } catch (Throwable e) {
                    failure = e;
                }
            });
        }

        static Concurrently run(boolean needed, Runnable task) {
            Concurrently c = new Concurrently(needed ? task : null);
            if (c.thread != null) c.thread.start();
            return c;
        }

        void join() {
            if (thread == null) return;
            joinUninterruptibly(thread);
            if (failure instanceof RuntimeException e) throw e;
            if (failure instanceof Error e) throw e;
            if (failure != null) throw new IllegalStateException("the signature check failed: " + failure, failure);
        }
    }

    /** Waits for {@code thread} to end even if interrupted meanwhile; the interrupt is kept for the caller. */
    static void joinUninterruptibly(Thread thread) {
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    static String describe(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** What the report states besides the errors. */
    private static final class Outcome {
        private VerificationReport.Format format;
        private Optional<String> exportId = Optional.empty();
        private Optional<String> tenantId = Optional.empty();
        private Optional<String> signer = Optional.empty();
        private OptionalInt documentCount = OptionalInt.empty();
        private OptionalInt chunkCount = OptionalInt.empty();
        private int filesChecked;
        private boolean legacyRejected;

        void fields(ManifestSchema.Fields f) {
            exportId = f.exportId();
            tenantId = f.tenantId();
            documentCount = f.documentCount();
            chunkCount = f.chunkCount();
        }

        VerificationReport report(Findings findings) {
            VerificationReport.Status status;
            if (findings.isEmpty()) status = VerificationReport.Status.VALID;
            else if (legacyRejected && !findings.any(Rule.STREAM, Rule.ENTRIES)) status = VerificationReport.Status.LEGACY_REJECTED;
            else status = VerificationReport.Status.INVALID;
            return new VerificationReport(status, Optional.ofNullable(format), exportId, tenantId, signer,
                    documentCount, chunkCount, filesChecked, findings.list());
        }
    }

    /** Counts bytes read and reports them every 8 MiB. */
    private static final class CountingInputStream extends FilterInputStream {
        private static final long STEP = 8L * 1024 * 1024;
        private final LongConsumer progress;
        private long count;
        private long nextReport = STEP;

        CountingInputStream(InputStream in, LongConsumer progress) {
            super(in);
            this.progress = progress;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) advance(1);
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) advance(n);
            return n;
        }

        private void advance(long n) {
            count += n;
            if (count >= nextReport) {
                progress.accept(count);
                nextReport = count + STEP;
            }
        }
    }
}
