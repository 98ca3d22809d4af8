package io.frostbyte.export.verify.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

class FrostbyteVerifyTest {
    @Test
    void optionsWithValue_equalTheCommandModel() {
        CommandLine.Model.CommandSpec spec = new CommandLine(new FrostbyteVerify()).getCommandSpec();
        Set<String> withValue = spec.options().stream()
                .filter(o -> o.arity().max() > 0)
                .flatMap(o -> Set.of(o.names()).stream())
                .collect(Collectors.toSet());
        assertEquals(withValue, FrostbyteVerify.OPTIONS_WITH_VALUE);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "-none-", value = {
        "--public-key k.asc b.tar.gz|b.tar.gz",
        "b.tar.gz --public-key k.asc --json|b.tar.gz",
        "--public-key k.asc --expect-export 3f1c2a4e-8b7d-4e21-9a6f-0c5d7e8f9a10 --fingerprint F b.tar.gz|b.tar.gz",
        "--public-key=k.asc --legacy-accept b.tar.gz|b.tar.gz",
        "--public-key k.asc -- --odd-name.tar.gz|--odd-name.tar.gz",
        "--public-key k.asc|-none-",
        "--public-key k.asc a.tar.gz b.tar.gz|-none-",
        "--help b.tar.gz|-none-",
        "-V|-none-",
    })
    void likelyBundle_arguments_theOnePositional(String args, String expected) {
        assertEquals(Optional.ofNullable(expected).map(Path::of), FrostbyteVerify.likelyBundle(args.split(" ")));
    }

    /** The early read must agree with picocli: where it finds one bundle, the parsed command has that same one. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--public-key k.asc b.tar.gz",
        "b.tar.gz --public-key k.asc --json",
        "--public-key=k.asc --legacy-accept b.tar.gz",
        "--public-key k.asc -- --odd-name.tar.gz",
        "--expect-tenant 0b8f5d2c-7e4a-4f3b-8c9d-1a2b3c4d5e6f --public-key k.asc b.tar.gz",
    })
    void likelyBundle_whenFound_isWhatPicocliParses(String args) {
        FrostbyteVerify command = new FrostbyteVerify();
        new CommandLine(command).parseArgs(args.split(" "));
        assertEquals(Optional.of(command.bundle), FrostbyteVerify.likelyBundle(args.split(" ")));
    }
}
