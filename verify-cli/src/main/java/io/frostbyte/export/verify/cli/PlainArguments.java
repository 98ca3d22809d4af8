package io.frostbyte.export.verify.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The usual command line, read without building picocli's model, which costs ~0.1 s of a fresh JVM
 * whose whole run is about one second: a bundle, long options each given once (--public-key any
 * number of times) as "--name value" or "--name=value", values that pass the same converters. Any
 * other form (help, version, "--", "@file", a short or unknown option, a repeated option, a value
 * that fails conversion, a missing --public-key) is not read here: picocli reads it and reports on
 * it, as it always has. {@code FrostbyteVerifyTest} holds the two readers to the same result.
 */
record PlainArguments(Path bundle, List<Path> publicKeys, Optional<String> fingerprint, Optional<UUID> expectTenant,
        Optional<UUID> expectExport, boolean legacyAccept, boolean json) {

    static Optional<PlainArguments> parse(String[] args) {
        try {
            return Optional.ofNullable(read(args));
        } catch (RuntimeException e) {
            return Optional.empty(); // a converter refused a value, or a path is invalid: picocli says why
        }
    }

    private static PlainArguments read(String[] args) {
        String bundle = null;
        List<Path> keys = new ArrayList<>();
        String fingerprint = null;
        UUID tenant = null;
        UUID export = null;
        boolean legacy = false;
        boolean json = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.isEmpty() || a.startsWith("@")) return null;
            if (!a.startsWith("-")) {
                if (bundle != null) return null;
                bundle = a;
                continue;
            }
            if (!a.startsWith("--") || a.equals("--")) return null;
            String name = a;
            String value = null;
            int eq = a.indexOf('=');
            if (eq > 0) {
                name = a.substring(0, eq);
                value = a.substring(eq + 1);
            }
            switch (name) {
                case "--json", "--legacy-accept" -> {
                    if (value != null) return null;
                    if (name.equals("--json")) {
                        if (json) return null;
                        json = true;
                    } else {
                        if (legacy) return null;
                        legacy = true;
                    }
                }
                case "--public-key", "--fingerprint", "--expect-tenant", "--expect-export" -> {
                    if (value == null) {
                        if (i + 1 >= args.length) return null;
                        value = args[++i];
                    }
                    if (value.isEmpty() || value.startsWith("-") || value.startsWith("@")) return null;
                    switch (name) {
                        case "--public-key" -> keys.add(Path.of(value));
                        case "--fingerprint" -> {
                            if (fingerprint != null) return null;
                            fingerprint = new FrostbyteVerify.FingerprintConverter().convert(value);
                        }
                        case "--expect-tenant" -> {
                            if (tenant != null) return null;
                            tenant = new FrostbyteVerify.UuidConverter().convert(value);
                        }
                        default -> {
                            if (export != null) return null;
                            export = new FrostbyteVerify.UuidConverter().convert(value);
                        }
                    }
                }
                default -> {
                    return null;
                }
            }
        }
        if (bundle == null || keys.isEmpty()) return null;
        return new PlainArguments(Path.of(bundle), List.copyOf(keys), Optional.ofNullable(fingerprint), Optional.ofNullable(tenant),
                Optional.ofNullable(export), legacy, json);
    }
}
