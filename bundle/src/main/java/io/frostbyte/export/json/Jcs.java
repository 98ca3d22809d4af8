package io.frostbyte.export.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** RFC 8785 JSON Canonicalization Scheme over a tree produced by {@link StrictJson}. */
public final class Jcs {
    private Jcs() {}

    /** The canonical UTF-8 bytes of {@code node}. */
    public static byte[] canonicalize(JsonNode node) {
        StringBuilder out = new StringBuilder(256);
        write(node, out);
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void write(JsonNode node, StringBuilder out) {
        switch (node.getNodeType()) {
            case OBJECT -> {
                List<String> names = new ArrayList<>(node.size());
                Iterator<String> it = node.fieldNames();
                it.forEachRemaining(names::add);
                // String.compareTo orders by UTF-16 code units, exactly as RFC 8785 §3.2.3 asks.
                names.sort(String::compareTo);
                out.append('{');
                for (int i = 0; i < names.size(); i++) {
                    if (i > 0) out.append(',');
                    writeString(names.get(i), out);
                    out.append(':');
                    write(node.get(names.get(i)), out);
                }
                out.append('}');
            }
            case ARRAY -> {
                out.append('[');
                for (int i = 0; i < node.size(); i++) {
                    if (i > 0) out.append(',');
                    write(node.get(i), out);
                }
                out.append(']');
            }
            case STRING -> writeString(node.textValue(), out);
            case NUMBER -> out.append(node.isIntegralNumber()
                    ? node.bigIntegerValue().toString()
                    : formatDouble(node.decimalValue().doubleValue()));
            case BOOLEAN -> out.append(node.booleanValue() ? "true" : "false");
            case NULL -> out.append("null");
            default -> throw new IllegalArgumentException("not a JSON value: " + node.getNodeType());
        }
    }

    static void writeString(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append("\\u00").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xF, 16));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /** ECMAScript Number.prototype.toString for a finite double, as RFC 8785 §3.2.2.3 requires. */
    static String formatDouble(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw new IllegalArgumentException("not a finite number: " + d);
        }
        if (d == 0) return "0";
        String sign = d < 0 ? "-" : "";
        // Double.toString yields the shortest uniquely-identifying digits (JDK 19+), as ECMAScript does.
        double abs = Math.abs(d);
        BigDecimal bd = new BigDecimal(Double.toString(abs)).stripTrailingZeros();
        if (bd.precision() == 2) {
            // Java may print two digits where one already round-trips (4.9E-324); ECMAScript wants the
            // fewest digits, and of those the one closest to the exact value.
            BigDecimal exact = new BigDecimal(abs);
            BigDecimal best = null;
            for (java.math.RoundingMode mode : new java.math.RoundingMode[] {java.math.RoundingMode.FLOOR, java.math.RoundingMode.CEILING}) {
                BigDecimal candidate = bd.round(new java.math.MathContext(1, mode));
                if (candidate.doubleValue() == abs && (best == null
                        || candidate.subtract(exact).abs().compareTo(best.subtract(exact).abs()) < 0)) {
                    best = candidate;
                }
            }
            if (best != null) bd = best.stripTrailingZeros();
        }
        String digits = bd.unscaledValue().toString();
        int k = digits.length();
        int n = k - bd.scale();
        StringBuilder out = new StringBuilder(sign);
        if (k <= n && n <= 21) {
            out.append(digits).append("0".repeat(n - k));
        } else if (0 < n && n <= 21) {
            out.append(digits, 0, n).append('.').append(digits, n, k);
        } else if (-6 < n && n <= 0) {
            out.append("0.").append("0".repeat(-n)).append(digits);
        } else {
            out.append(digits.charAt(0));
            if (k > 1) out.append('.').append(digits, 1, k);
            int e = n - 1;
            out.append('e').append(e >= 0 ? '+' : '-').append(Math.abs(e));
        }
        return out.toString();
    }
}
