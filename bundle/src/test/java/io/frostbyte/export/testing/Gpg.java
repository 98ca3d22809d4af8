package io.frostbyte.export.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Real GnuPG in a throw-away home directory: the independent peer for signatures. Fails, never
 * skips, when gpg is missing.
 */
public final class Gpg implements AutoCloseable {
    public record Result(int exit, String stdout, String stderr) {}

    private final Path home;

    public Gpg() throws IOException {
        requireCommand("gpg", "apt-get install gnupg (scripts/test installs it)");
        // Short path: gpg-agent's socket path must fit in 108 bytes.
        home = Files.createTempDirectory(Path.of("/tmp"), "fbg");
        Files.setPosixFilePermissions(home, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    }

    public static void requireCommand(String command, String howToInstall) {
        try {
            Process p = new ProcessBuilder("sh", "-c", "command -v " + command).redirectErrorStream(true).start();
            if (p.waitFor() != 0) {
                throw new AssertionError(command + " is not installed; " + howToInstall);
            }
        } catch (IOException | InterruptedException e) {
            throw new AssertionError("cannot look for " + command + ": " + e);
        }
    }

    public Path home() {
        return home;
    }

    public Result run(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("gpg", "--homedir", home.toString(), "--batch", "--no-tty",
                "--pinentry-mode", "loopback", "--passphrase", ""));
        cmd.addAll(List.of(args));
        return exec(cmd, home);
    }

    public static Result exec(List<String> cmd, Path dir) throws IOException, InterruptedException {
        Path out = Files.createTempFile("fb-out", ".txt");
        Path err = Files.createTempFile("fb-err", ".txt");
        try {
            Process p = new ProcessBuilder(cmd).directory(dir.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out: " + cmd);
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    public Result ok(String... args) throws IOException, InterruptedException {
        Result r = run(args);
        if (r.exit() != 0) throw new AssertionError("gpg " + String.join(" ", args) + " failed: " + r.stderr());
        return r;
    }

    /** Generates a key with gpg itself; returns its fingerprint. */
    public String generateKey(String algo, String uid) throws IOException, InterruptedException {
        ok("--quick-gen-key", uid, algo, "sign", "never");
        String colons = ok("--with-colons", "--list-keys", uid).stdout();
        for (String line : colons.split("\n")) {
            if (line.startsWith("fpr:")) return line.split(":")[9];
        }
        throw new AssertionError("no fingerprint in gpg output: " + colons);
    }

    public String exportPublic(String fingerprint) throws IOException, InterruptedException {
        return ok("--armor", "--export", fingerprint).stdout();
    }

    public void importKey(String armored) throws IOException, InterruptedException {
        Path f = Files.createTempFile(home, "key", ".asc");
        Files.writeString(f, armored);
        ok("--import", f.toString());
    }

    @Override
    public void close() throws IOException {
        try {
            exec(List.of("gpgconf", "--homedir", home.toString(), "--kill", "all"), Path.of("/tmp"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (var walk = Files.walk(home)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
