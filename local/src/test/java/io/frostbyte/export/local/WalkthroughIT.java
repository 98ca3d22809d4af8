package io.frostbyte.export.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.frostbyte.export.testing.Gpg;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's run command prints a walkthrough that, pasted as is, ends with frostbyte-verify exiting 0. */
class WalkthroughIT {
    @TempDir Path home;

    @Test
    void scriptsRun_printedWalkthrough_endsWithVerifiedBundle() throws Exception {
        Path root = LocalStack.root();
        String port = String.valueOf(LocalStack.freePort());
        List<String> env = List.of("env", "FROSTBYTE_LOCAL_PORT=" + port, "FROSTBYTE_LOCAL_HOME=" + home);
        try {
            Gpg.Result run = Gpg.exec(concat(env, List.of("bash", root.resolve("scripts/run").toString(), "--detach")), root);
            assertEquals(0, run.exit(), run.stdout() + run.stderr());
            String out = run.stdout();
            int start = out.indexOf("# --- walkthrough ---");
            int end = out.indexOf("# --- end of walkthrough ---");
            assertTrue(start >= 0 && end > start, "no walkthrough printed:\n" + out);
            String walkthrough = out.substring(start, end);
            Gpg.Result pasted = Gpg.exec(List.of("bash", "-c", walkthrough), home);
            assertEquals(0, pasted.exit(), pasted.stdout() + pasted.stderr());
            assertTrue(pasted.stdout().contains("VALID: "), pasted.stdout());
            assertTrue(pasted.stdout().contains("\"status\": \"completed\""), pasted.stdout());
            assertTrue(pasted.stdout().contains("\"import_status\": \"completed\""), pasted.stdout());
            assertTrue(pasted.stdout().contains("\"everything_status\": \"completed\""), pasted.stdout());
            assertTrue(pasted.stdout().contains("\"documents\": 3"), pasted.stdout());
        } finally {
            Gpg.exec(concat(env, List.of("bash", root.resolve("scripts/run").toString(), "--stop")), root);
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new java.util.ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
