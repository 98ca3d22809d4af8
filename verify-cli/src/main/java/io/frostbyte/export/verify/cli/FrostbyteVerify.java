package io.frostbyte.export.verify.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.frostbyte.export.bundle.BundleFormat;
import io.frostbyte.export.signing.Fingerprints;
import io.frostbyte.export.signing.KeyMaterialException;
import io.frostbyte.export.signing.TrustedKeys;
import io.frostbyte.export.verify.BundleVerifier;
import io.frostbyte.export.verify.PendingVerification;
import io.frostbyte.export.verify.VerificationPolicy;
import io.frostbyte.export.verify.VerificationReport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code frostbyte-verify}: proves offline that a bundle is complete, unmodified and authentic. */
@Command(
        name = "frostbyte-verify",
        mixinStandardHelpOptions = true,
        versionProvider = FrostbyteVerify.Version.class,
        sortOptions = false,
        exitCodeOnInvalidInput = FrostbyteVerify.EXIT_USAGE,
        description = {
            "Verifies a Frostbyte export bundle (format v1) against trusted OpenPGP public keys.",
            "Reads the bundle once as a stream; never extracts it."
        },
        footer = {
            "",
            "Exit codes: 0 valid and authentic, 1 invalid (any failed check, unreadable bundle or key),",
            "            2 legacy bundle rejected (use --legacy-accept), 64 usage error."
        })
public final class FrostbyteVerify implements Callable<Integer> {
    static final int EXIT_USAGE = 64;

    @Parameters(index = "0", paramLabel = "BUNDLE", description = "the .tar.gz bundle to verify")
    Path bundle;

    @Option(names = "--public-key", paramLabel = "KEY", required = true,
            description = "trusted public key file, armored or binary, any number of keys; repeatable")
    List<Path> publicKeys;

    @Option(names = "--fingerprint", paramLabel = "FPR", converter = FingerprintConverter.class,
            description = "require the signer to be exactly this key (40 hex digits)")
    String fingerprint;

    @Option(names = "--expect-tenant", paramLabel = "UUID", converter = UuidConverter.class, description = "require this tenant_id")
    UUID expectTenant;

    @Option(names = "--expect-export", paramLabel = "UUID", converter = UuidConverter.class, description = "require this export_id")
    UUID expectExport;

    @Option(names = "--legacy-accept", description = "accept legacy (PRD v0) clearsigned bundles under the legacy rules")
    boolean legacyAccept;

    @Option(names = "--json", description = "print one JSON report on stdout")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;


    public static void main(String[] args) {
        PrintWriter err = new PrintWriter(System.err, true);
        // A failure on any other thread is one line too, never a stack trace.
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> {
            try {
                err.println("frostbyte-verify: " + oneLine(e));
            } catch (Throwable ignored) {
                // out of memory even for one line: the exit code still says INVALID
            }
        });
        System.exit(run(args, new PrintWriter(System.out, true), err));
    }

    /** Runs the command; returns the exit code. Never throws. */
    static int run(String[] args, PrintWriter out, PrintWriter err) {
        Optional<PlainArguments> plain = PlainArguments.parse(args);
        if (plain.isEmpty()) return run(new FrostbyteVerify(), args, out, err);
        FrostbyteVerify command = new FrostbyteVerify();
        PlainArguments a = plain.get();
        command.bundle = a.bundle();
        command.publicKeys = a.publicKeys();
        command.fingerprint = a.fingerprint().orElse(null);
        command.expectTenant = a.expectTenant().orElse(null);
        command.expectExport = a.expectExport().orElse(null);
        command.legacyAccept = a.legacyAccept();
        command.json = a.json();
        try {
            return command.verify(out, err);
        } catch (Throwable e) {
            // As picocli's handlers below: only a bug or an Error gets here; one line, fail closed.
            err.println("frostbyte-verify: " + oneLine(e));
            return 1;
        }
    }

    private static int run(FrostbyteVerify command, String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cmd = new CommandLine(command);
        cmd.setOut(out);
        cmd.setErr(err);
        cmd.setParameterExceptionHandler((ex, a) -> {
            err.println("frostbyte-verify: " + ex.getMessage());
            err.println("Try 'frostbyte-verify --help' for usage.");
            return EXIT_USAGE;
        });
        cmd.setExecutionExceptionHandler((ex, c, parsed) -> {
            // Only a bug gets here; still one line, no stack trace, and fail closed.
            err.println("frostbyte-verify: " + oneLine(ex));
            return 1;
        });
        try {
            return cmd.execute(args);
        } catch (Throwable e) {
            // Errors (out of memory, stack overflow) pass through picocli: fail closed, one line.
            err.println("frostbyte-verify: " + oneLine(e));
            return 1;
        }
    }

    /** One line for an unexpected failure: what it was, never a stack trace. */
    static String oneLine(Throwable e) {
        if (e instanceof OutOfMemoryError) {
            return "out of memory; the bundle was not verified (INVALID). Give the JVM more memory, e.g. FROSTBYTE_VERIFY_JAVA_OPTS=-Xmx1g";
        }
        String message = e.getMessage() == null ? "" : ": " + e.getMessage().lines().findFirst().orElse("");
        return "internal error (" + e.getClass().getSimpleName() + message + "); the bundle was not verified (INVALID)";
    }

    @Override
    public Integer call() {
        return verify(spec.commandLine().getOut(), spec.commandLine().getErr());
    }

    private int verify(PrintWriter out, PrintWriter err) {
        // The bundle is read on other cores while the keys are parsed here.
        Progress progress = Progress.forBundle(bundle, err);
        PendingVerification pending = BundleVerifier.start(bundle, BundleFormat.MAX_MANIFEST_BYTES, progress::update);
        TrustedKeys keys;
        try {
            keys = TrustedKeys.fromFiles(publicKeys);
        } catch (KeyMaterialException e) {
            pending.close();
            if (json) {
                ObjectNode report = new ObjectMapper().createObjectNode();
                report.put("status", "invalid");
                report.putNull("format");
                report.putNull("export_id");
                report.putNull("tenant_id");
                report.putNull("signer_fingerprint");
                report.put("files_checked", 0);
                report.putNull("document_count"); // the members every report has, as VerificationReport writes them
                report.putNull("chunk_count");
                report.putArray("errors").addObject()
                        .put("code", "key_unreadable").putNull("path").put("message", e.getMessage()).put("rule", "5");
                out.println(report.toString());
            } else {
                err.println("frostbyte-verify: " + e.getMessage());
            }
            return 1;
        }
        VerificationPolicy policy = VerificationPolicy.of(keys)
                .withLegacyAccept(legacyAccept);
        if (fingerprint != null) policy = policy.withFingerprintPin(fingerprint);
        if (expectTenant != null) policy = policy.withExpectTenant(expectTenant);
        if (expectExport != null) policy = policy.withExpectExport(expectExport);

        VerificationReport report = pending.finish(policy);
        progress.done();
        if (json) {
            out.println(report.toJson().toString());
        } else {
            HumanReport.print(bundle, report, out);
        }
        return report.status().exitCode();
    }

    /** Rejects a malformed --fingerprint as a usage error. */
    static final class FingerprintConverter implements CommandLine.ITypeConverter<String> {
        @Override
        public String convert(String value) {
            try {
                return Fingerprints.normalize(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a 40-hex-digit fingerprint");
            }
        }
    }

    /** Rejects a malformed UUID as a usage error, with a message that names the value only. */
    static final class UuidConverter implements CommandLine.ITypeConverter<UUID> {
        private static final java.util.regex.Pattern UUID_TEXT =
                java.util.regex.Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

        @Override
        public UUID convert(String value) {
            if (!UUID_TEXT.matcher(value).matches()) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a UUID");
            }
            return UUID.fromString(value);
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Optional.ofNullable(FrostbyteVerify.class.getPackage().getImplementationVersion()).orElse("dev");
            return new String[] {"frostbyte-verify " + v + " (bundle format v1)"};
        }
    }
}
