package io.frostbyte.export.verify;

import java.util.Objects;
import java.util.Optional;

/**
 * One failed check.
 *
 * @param rule the rule of bundle format §5 (1-8) or §6 ("legacy") it breaks
 * @param code a stable machine name, e.g. {@code hash_mismatch}
 * @param path the offending entry or manifest path, when there is one
 * @param message one readable sentence
 */
public record VerificationError(String rule, String code, Optional<String> path, String message) {
    public VerificationError {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(message, "message");
    }
}
