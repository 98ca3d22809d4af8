package io.frostbyte.export.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The real extractors — GNU tar, bsdtar, Python's tarfile with and without {@code filter='data'} —
 * run by {@code differential/extract.py} on many bundles in one process, and what each wrote.
 * Fails with how to fix it when a tool is missing: these tests never skip.
 */
public final class Extractors {
    /** What one extractor wrote for one bundle. */
    public record Result(String bundle, String extractor, boolean ok, String error, Map<String, String> files,
            List<String> dirs, List<String> other) {

        /**
         * Why this extraction differs from {@code expected} (relative path to SHA-256), or empty when
         * it wrote exactly those files with exactly those bytes and no more than the allowed directories.
         */
        public Optional<String> differenceFrom(Map<String, String> expected, Set<String> allowedDirs) {
            if (!ok) return Optional.of(extractor + " failed: " + error);
            if (!other.isEmpty()) return Optional.of(extractor + " wrote non-regular entries " + other);
            for (String d : dirs) {
                if (!allowedDirs.contains(d)) return Optional.of(extractor + " wrote directory " + d);
            }
            if (!files.keySet().equals(expected.keySet())) {
                Map<String, String> extra = new TreeMap<>(files);
                extra.keySet().removeAll(expected.keySet());
                Map<String, String> missing = new TreeMap<>(expected);
                missing.keySet().removeAll(files.keySet());
                return Optional.of(extractor + " wrote another file set: extra " + extra.keySet() + ", missing " + missing.keySet());
            }
            for (var e : expected.entrySet()) {
                if (!e.getValue().equals(files.get(e.getKey()))) {
                    return Optional.of(extractor + " wrote other bytes for " + e.getKey());
                }
            }
            return Optional.empty();
        }
    }

    private final String python;
    private final Path script;

    private Extractors(String python, Path script) {
        this.python = python;
        this.script = script;
    }

    /** Finds a Python with tarfile filters and the tools; fails with instructions otherwise. */
    public static Extractors find(Path workDir) {
        List<String> candidates = new ArrayList<>();
        Optional.ofNullable(System.getenv("FROSTBYTE_PYTHON")).ifPresent(candidates::add);
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path venv = dir.resolve(".services/venv/bin/python3");
            if (Files.isExecutable(venv)) candidates.add(venv.toString());
        }
        candidates.add("python3");
        candidates.add("/usr/bin/python3");
        // pyenv-installed interpreters, newest first, when the system one predates tarfile filters.
        Path pyenv = Path.of(System.getProperty("user.home"), ".pyenv", "versions");
        if (Files.isDirectory(pyenv)) {
            try (var versions = Files.list(pyenv)) {
                versions.map(v -> v.resolve("bin/python3")).filter(Files::isExecutable).map(Path::toString)
                        .sorted(java.util.Comparator.reverseOrder()).forEach(candidates::add);
            } catch (IOException e) {
                // not a usable pyenv; the other candidates remain
            }
        }
        String python = candidates.stream().filter(Extractors::hasFilters).findFirst().orElseThrow(() -> new AssertionError(
                "no Python with tarfile extraction filters (3.11.4+) among " + candidates
                        + "; run scripts/services up (it makes .services/venv) or set FROSTBYTE_PYTHON"));
        for (String tool : List.of("tar", "bsdtar")) {
            if (!onPath(tool)) {
                throw new AssertionError(tool + " is not installed; run scripts/test, which installs it, or: apt-get install "
                        + (tool.equals("bsdtar") ? "libarchive-tools" : "tar"));
            }
        }
        try (InputStream in = Extractors.class.getResourceAsStream("/differential/extract.py")) {
            Path script = workDir.resolve("extract.py");
            Files.write(script, in.readAllBytes());
            return new Extractors(python, script);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean hasFilters(String python) {
        try {
            Process p = new ProcessBuilder(python, "-c", "import tarfile; tarfile.data_filter")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) return true;
        }
        return false;
    }

    /** Extracts every bundle with every extractor; results grouped by bundle path, in order. */
    public Map<String, List<Result>> extract(List<Path> bundles) {
        try {
            Path list = Files.createTempFile(script.getParent(), "bundles", ".txt");
            Files.write(list, bundles.stream().map(Path::toString).toList());
            Process p = new ProcessBuilder(python, script.toString(), "-")
                    .redirectInput(list.toFile())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            Map<String, List<Result>> out = new LinkedHashMap<>();
            try (var reader = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    Result r = parse(BundleForge.JSON.readTree(line));
                    out.computeIfAbsent(r.bundle(), k -> new ArrayList<>()).add(r);
                }
            }
            if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new AssertionError("extract.py failed with exit " + p.exitValue());
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static Result parse(JsonNode n) {
        Map<String, String> files = new TreeMap<>();
        n.get("files").fields().forEachRemaining(e -> files.put(e.getKey(), e.getValue().asText()));
        List<String> dirs = new ArrayList<>();
        n.get("dirs").forEach(d -> dirs.add(d.asText()));
        List<String> other = new ArrayList<>();
        n.get("other").forEach(d -> other.add(d.asText()));
        return new Result(n.get("bundle").asText(), n.get("extractor").asText(), n.get("ok").asBoolean(),
                n.get("error").asText(), files, dirs, other);
    }
}
