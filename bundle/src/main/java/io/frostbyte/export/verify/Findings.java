package io.frostbyte.export.verify;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The failed checks of one verification, capped so that a hostile bundle cannot grow the report without bound. */
final class Findings {
    private static final int MAX_ERRORS = 1000;

    private final List<VerificationError> errors = new ArrayList<>();
    private boolean truncated;

    void add(Rule rule, String code, Optional<String> path, String message) {
        if (errors.size() >= MAX_ERRORS) {
            truncated = true;
            return;
        }
        errors.add(new VerificationError(rule, code, path, message));
    }

    /** {@code path} may be null when there is none. */
    void add(Rule rule, String code, String path, String message) {
        add(rule, code, Optional.ofNullable(path), message);
    }

    /** Adds {@code other}'s errors after these, as if they had been added here in that order. */
    void addAll(Findings other) {
        for (VerificationError e : other.errors) add(e.rule(), e.code(), e.path(), e.message());
    }

    boolean any(Rule... rules) {
        for (VerificationError e : errors) {
            for (Rule r : rules) if (e.rule() == r) return true;
        }
        return false;
    }

    boolean isEmpty() {
        return errors.isEmpty();
    }

    List<VerificationError> list() {
        List<VerificationError> out = new ArrayList<>(errors);
        if (truncated) {
            out.set(out.size() - 1, new VerificationError(Rule.STREAM, "too_many_errors", Optional.empty(),
                    "more than " + MAX_ERRORS + " errors; the rest are not listed"));
        }
        return out;
    }
}
