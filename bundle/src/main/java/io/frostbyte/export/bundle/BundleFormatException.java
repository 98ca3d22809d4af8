package io.frostbyte.export.bundle;

import java.io.IOException;

/**
 * The gzip or tar layer of a bundle does not parse, or a tar header is one that extractors could
 * read differently (format §2). {@link #code()} names the problem, {@link #rule()} the §5 rule it
 * breaks: "1" for a stream that does not parse, "2" for a header the format does not allow.
 */
public final class BundleFormatException extends IOException {
    private final String rule;
    private final String code;

    public BundleFormatException(String code, String message) {
        this("1", code, message);
    }

    private BundleFormatException(String rule, String code, String message) {
        super(message);
        this.rule = rule;
        this.code = code;
    }

    /** A header that §2 does not allow; reading cannot go on, since extractors may disagree past it. */
    public static BundleFormatException header(String code, String message) {
        return new BundleFormatException("2", code, message);
    }

    public String rule() {
        return rule;
    }

    public String code() {
        return code;
    }
}
