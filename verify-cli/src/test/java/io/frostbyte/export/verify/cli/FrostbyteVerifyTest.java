package io.frostbyte.export.verify.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** {@link PlainArguments} reads a command line only when picocli would read it the same way. */
class FrostbyteVerifyTest {
    private static final String UUID_1 = "0b8f5d2c-7e4a-4f3b-8c9d-1a2b3c4d5e6f";
    private static final String FPR = "620B8581FAD1293F51A2D42199759EF25DD9A44C";

    private static Optional<FrostbyteVerify> picocli(String[] args) {
        FrostbyteVerify command = new FrostbyteVerify();
        try {
            CommandLine.ParseResult r = new CommandLine(command).parseArgs(args);
            if (r.isUsageHelpRequested() || r.isVersionHelpRequested()) return Optional.empty();
            return Optional.of(command);
        } catch (CommandLine.ParameterException e) {
            return Optional.empty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "b.tar.gz --public-key k.asc",
        "--public-key k.asc b.tar.gz --json",
        "--public-key=k.asc --public-key j.asc --legacy-accept b.tar.gz",
        "--public-key k.asc --expect-export " + UUID_1 + " --expect-tenant=" + UUID_1 + " --fingerprint " + FPR + " b.tar.gz",
        "--public-key k.asc --fingerprint=620b8581fad1293f51a2d42199759ef25dd9a44c b.tar.gz",
    })
    void plainArguments_usualForms_readAsPicocliReadsThem(String line) {
        String[] args = line.split(" ");
        PlainArguments plain = PlainArguments.parse(args).orElseThrow(() -> new AssertionError("not read: " + line));
        FrostbyteVerify parsed = picocli(args).orElseThrow(() -> new AssertionError("picocli refused: " + line));
        assertEquals(parsed.bundle, plain.bundle());
        assertEquals(parsed.publicKeys, plain.publicKeys());
        assertEquals(Optional.ofNullable(parsed.fingerprint), plain.fingerprint());
        assertEquals(Optional.ofNullable(parsed.expectTenant), plain.expectTenant());
        assertEquals(Optional.ofNullable(parsed.expectExport), plain.expectExport());
        assertEquals(parsed.legacyAccept, plain.legacyAccept());
        assertEquals(parsed.json, plain.json());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "b.tar.gz", "--public-key k.asc", "--help", "-h", "--version", "-V", "--public-key k.asc b.tar.gz --help",
        "--public-key k.asc a.tar.gz b.tar.gz", "--public-key k.asc -- b.tar.gz", "--public-key k.asc @args.txt",
        "--public-key k.asc --json --json b.tar.gz", "--public-key k.asc --json=true b.tar.gz",
        "--public-key k.asc --fingerprint " + FPR + " --fingerprint " + FPR + " b.tar.gz",
        "--public-key k.asc --fingerprint nothex b.tar.gz", "--public-key k.asc --expect-tenant not-a-uuid b.tar.gz",
        "--public-key k.asc --expect-export " + UUID_1 + " --expect-export " + UUID_1 + " b.tar.gz",
        "--public-key k.asc --unknown b.tar.gz", "--public-key k.asc -x b.tar.gz", "--public-key --json b.tar.gz",
        "--public-key= b.tar.gz", "b.tar.gz --public-key",
    })
    void plainArguments_anythingElse_leftToPicocli(String line) {
        assertEquals(Optional.empty(), PlainArguments.parse(line.split(" ")), line);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "b.tar.gz", "--public-key k.asc", "--public-key k.asc a.tar.gz b.tar.gz", "--public-key k.asc --json --json b.tar.gz",
        "--public-key k.asc --fingerprint nothex b.tar.gz", "--public-key k.asc --unknown b.tar.gz", "b.tar.gz --public-key",
    })
    void plainArguments_whatPicocliRefuses_neverRead(String line) {
        String[] args = line.split(" ");
        assertEquals(Optional.empty(), picocli(args), "picocli accepts " + line);
        assertTrue(PlainArguments.parse(args).isEmpty(), line);
    }

    @org.junit.jupiter.api.Test
    void plainArguments_keysKeepTheirOrder() {
        assertEquals(List.of(Path.of("a"), Path.of("b"), Path.of("c")),
                PlainArguments.parse("--public-key a x.tar.gz --public-key=b --public-key c".split(" ")).orElseThrow().publicKeys());
    }
}
