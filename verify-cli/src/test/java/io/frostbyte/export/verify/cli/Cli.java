package io.frostbyte.export.verify.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;

import io.frostbyte.export.testing.Gpg;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs the built frostbyte-verify jar as a separate process, as a user would. */
final class Cli {
    record Run(int exit, String stdout, String stderr) {
        String all() {
            return stdout + stderr;
        }
    }

    private Cli() {}

    static Path jar() {
        String jar = System.getProperty("frostbyte.verify.jar");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new AssertionError("frostbyte-verify.jar not built; run: mvn -pl verify-cli -am verify");
        }
        return Path.of(jar);
    }

    /** Runs the CLI in {@code cwd} with its temp directory set to {@code tmp}. */
    static Run run(Path cwd, Path tmp, String heap, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap, "-Djava.io.tmpdir=" + tmp, "-jar", jar().toString()));
        cmd.addAll(List.of(args));
        Gpg.Result r = Gpg.exec(cmd, cwd);
        assertFalse(r.stderr().contains("\tat ") || r.stdout().contains("\tat "), "stack trace printed:\n" + r.stderr());
        assertFalse(r.stderr().contains("Exception") || r.stdout().contains("Exception"), "exception printed:\n" + r.stderr());
        return new Run(r.exit(), r.stdout(), r.stderr());
    }
}
