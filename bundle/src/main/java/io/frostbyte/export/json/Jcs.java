package io.frostbyte.export.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/** RFC 8785 JSON Canonicalization Scheme over a tree produced by {@link StrictJson}. */
public final class Jcs {
    private Jcs() {}

    /** The canonical UTF-8 bytes of {@code node}. */
    public static byte[] canonicalize(JsonNode node) {
        Sink out = new Sink();
        write(node, null, out);
        return out.bytes();
    }

    /**
     * The canonical UTF-8 bytes of {@code object} without its member {@code omitted}: what a
     * signature over "the manifest with the signature member removed" covers, without copying the tree.
     */
    public static byte[] canonicalizeWithout(ObjectNode object, String omitted) {
        Sink out = new Sink();
        write(object, omitted, out);
        return out.bytes();
    }

    private static void write(JsonNode node, String omitted, Sink out) {
        switch (node.getNodeType()) {
            case OBJECT -> {
                List<String> names = new ArrayList<>(node.size());
                Iterator<String> it = node.fieldNames();
                while (it.hasNext()) {
                    String name = it.next();
                    if (!name.equals(omitted)) names.add(name);
                }
                // String.compareTo orders by UTF-16 code units, exactly as RFC 8785 §3.2.3 asks.
                names.sort(String::compareTo);
                out.ascii('{');
                for (int i = 0; i < names.size(); i++) {
                    if (i > 0) out.ascii(',');
                    writeString(names.get(i), out);
                    out.ascii(':');
                    write(node.get(names.get(i)), null, out);
                }
                out.ascii('}');
            }
            case ARRAY -> {
                out.ascii('[');
                for (int i = 0; i < node.size(); i++) {
                    if (i > 0) out.ascii(',');
                    write(node.get(i), null, out);
                }
                out.ascii(']');
            }
            case STRING -> writeString(node.textValue(), out);
            case NUMBER -> out.text(node.isIntegralNumber()
                    ? node.bigIntegerValue().toString()
                    : formatDouble(node.decimalValue().doubleValue()));
            case BOOLEAN -> out.text(node.booleanValue() ? "true" : "false");
            case NULL -> out.text("null");
            default -> throw new IllegalArgumentException("not a JSON value: " + node.getNodeType());
        }
    }

    private static void writeString(String s, Sink out) {
        out.ascii('"');
        int length = s.length();
        int i = 0;
        while (i < length) {
            // Runs of printable ASCII other than '"' and '\\' (nearly all of any document) are copied at once.
            int run = i;
            while (run < length && isPlain(s.charAt(run))) run++;
            if (run > i) {
                out.asciiRun(s, i, run);
                i = run;
                if (i == length) break;
            }
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.text("\\\"");
                case '\\' -> out.text("\\\\");
                case '\b' -> out.text("\\b");
                case '\f' -> out.text("\\f");
                case '\n' -> out.text("\\n");
                case '\r' -> out.text("\\r");
                case '\t' -> out.text("\\t");
                default -> {
                    if (c < 0x20) {
                        out.text("\\u00");
                        out.ascii(Character.forDigit(c >> 4, 16));
                        out.ascii(Character.forDigit(c & 0xF, 16));
                    } else if (c < 0x80) {
                        out.ascii(c); // DEL: printable for JCS, not for isPlain
                    } else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(s.charAt(i + 1))) {
                        out.codePoint(Character.toCodePoint(c, s.charAt(++i)));
                    } else if (Character.isSurrogate(c)) {
                        out.ascii('?'); // as String.getBytes(UTF_8) encodes a lone surrogate; StrictJson admits none
                    } else {
                        out.codePoint(c);
                    }
                }
            }
            i++;
        }
        out.ascii('"');
    }

    private static boolean isPlain(char c) {
        return c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
    }

    /** A growing UTF-8 byte buffer: canonical output goes straight to bytes, never through a String. */
    private static final class Sink {
        private byte[] buf = new byte[256];
        private int size;

        void ascii(int c) {
            if (size == buf.length) buf = Arrays.copyOf(buf, buf.length * 2);
            buf[size++] = (byte) c;
        }

        /** Characters {@code from..to} of {@code s}, all printable ASCII. */
        @SuppressWarnings("deprecation") // String.getBytes(int, int, byte[], int) copies the low bytes: exact for ASCII
        void asciiRun(String s, int from, int to) {
            int n = to - from;
            if (size + n > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + n));
            s.getBytes(from, to, buf, size);
            size += n;
        }

        void text(String ascii) {
            for (int i = 0; i < ascii.length(); i++) ascii(ascii.charAt(i));
        }

        void codePoint(int cp) {
            if (cp < 0x800) {
                ascii(0xc0 | (cp >> 6));
            } else if (cp < 0x10000) {
                ascii(0xe0 | (cp >> 12));
                ascii(0x80 | ((cp >> 6) & 0x3f));
            } else {
                ascii(0xf0 | (cp >> 18));
                ascii(0x80 | ((cp >> 12) & 0x3f));
                ascii(0x80 | ((cp >> 6) & 0x3f));
            }
            ascii(0x80 | (cp & 0x3f));
        }

        byte[] bytes() {
            return Arrays.copyOf(buf, size);
        }
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
