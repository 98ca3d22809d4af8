package io.frostbyte.export.verify;

import io.frostbyte.export.bundle.BundleFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * One failed check. Path and message may quote text from the bundle, so both are stored with
 * control and bidirectional-format characters escaped (format §5): no report, human or JSON, can
 * carry a terminal escape sequence out of a hostile bundle.
 *
 * @param rule the rule of bundle format §5 or §6 it breaks
 * @param code a stable machine name, e.g. {@code hash_mismatch}
 * @param path the offending entry or manifest path, when there is one
 * @param message one readable sentence
 */
public record VerificationError(Rule rule, String code, Optional<String> path, String message) {
    private static final int MAX_PATH_CHARS = 300;
    private static final int MAX_MESSAGE_CHARS = 1000;

    public VerificationError {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(message, "message");
        path = path.map(p -> BundleFormat.escapeControls(p, MAX_PATH_CHARS));
        message = BundleFormat.escapeControls(message, MAX_MESSAGE_CHARS);
    }
}
