package io.frostbyte.export.verify.cli;

import io.frostbyte.export.verify.VerificationError;
import io.frostbyte.export.verify.VerificationReport;
import java.io.PrintWriter;
import java.nio.file.Path;

/** The default, human-readable report: a verdict line, then one line per fact or failed check. */
final class HumanReport {
    private HumanReport() {}

    static void print(Path bundle, VerificationReport r, PrintWriter out) {
        switch (r.status()) {
            case VALID -> out.println("VALID: " + bundle + " is complete, unmodified and signed by a trusted key");
            case INVALID -> out.println("INVALID: " + bundle + " (" + r.errors().size() + " failed check"
                    + (r.errors().size() == 1 ? "" : "s") + ")");
            case LEGACY_REJECTED -> out.println("LEGACY REJECTED: " + bundle + " is a legacy (PRD v0) bundle");
        }
        r.format().ifPresent(f -> out.println("  format     " + f.json()));
        r.exportId().ifPresent(v -> out.println("  export     " + v));
        r.tenantId().ifPresent(v -> out.println("  tenant     " + v));
        r.signerFingerprint().ifPresent(v -> out.println("  signer     " + v));
        String counts = "";
        if (r.documentCount().isPresent() || r.chunkCount().isPresent()) {
            counts = " (" + (r.documentCount().isPresent() ? r.documentCount().getAsInt() : "?") + " documents, "
                    + (r.chunkCount().isPresent() ? r.chunkCount().getAsInt() : "?") + " chunks)";
        }
        out.println("  files      " + r.filesChecked() + " checked" + counts);
        for (VerificationError e : r.errors()) {
            out.println("  FAILED rule " + e.rule().id() + " [" + e.code() + "] "
                    + e.path().map(p -> p + ": ").orElse("") + e.message());
        }
    }
}
