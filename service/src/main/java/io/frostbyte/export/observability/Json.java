package io.frostbyte.export.observability;

/** JSON string escaping for log and metric lines (no library on the logging path: it must never fail). */
final class Json {
    private Json() {}

    static StringBuilder string(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    // Control characters and the two line separators JavaScript readers split on are escaped;
                    // a lone surrogate would make the line invalid UTF-8, so it becomes U+FFFD.
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else if (Character.isSurrogate(c)) {
                        if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                            out.append(c).append(s.charAt(++i));
                        } else {
                            out.append('\ufffd');
                        }
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"');
    }

    static StringBuilder field(StringBuilder out, String key, String value) {
        if (out.length() > 1) out.append(',');
        string(out, key).append(':');
        return string(out, value);
    }

    static StringBuilder field(StringBuilder out, String key, Number value) {
        if (out.length() > 1) out.append(',');
        string(out, key).append(':');
        double d = value.doubleValue();
        if (Double.isNaN(d) || Double.isInfinite(d)) return out.append("null");
        return out.append(value instanceof Double || value instanceof Float ? Double.toString(d) : value.toString());
    }
}
