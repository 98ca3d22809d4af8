package io.frostbyte.export.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.math.BigInteger;
import java.util.Iterator;
import java.util.Map;

/**
 * Parses JSON that must be I-JSON (RFC 7493): no duplicate member names, no lone surrogates,
 * integers within ±2^53, finite numbers, exactly one value. Anything else is rejected rather than
 * guessed at, because a signature over a canonical form is only meaningful when every reader sees
 * the same value.
 */
public final class StrictJson {
    static final BigInteger MAX_SAFE = BigInteger.TWO.pow(53);

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    static {
        MAPPER.getFactory().setStreamReadConstraints(
                StreamReadConstraints.builder().maxNestingDepth(64).maxNumberLength(400).build());
    }

    private StrictJson() {}

    /**
     * Parses UTF-8 bytes into a tree, enforcing I-JSON. The bytes are decoded as UTF-8 and nothing
     * else: Jackson would otherwise detect UTF-16 or UTF-32 on its own, and read a text that jq and
     * other peers refuse. A byte-order mark is refused for the same reason.
     */
    public static JsonNode parse(byte[] utf8) throws JsonFormatException {
        if (utf8.length >= 3 && (utf8[0] & 0xff) == 0xef && (utf8[1] & 0xff) == 0xbb && (utf8[2] & 0xff) == 0xbf) {
            throw new JsonFormatException("not valid JSON: starts with a byte-order mark");
        }
        JsonNode node;
        try {
            if (isAsciiWithoutNul(utf8)) {
                // What writers of the format emit. Jackson's byte parser is its fastest, and with no byte
                // over 0x7F and no NUL its encoding detection can only find UTF-8, which ASCII is.
                node = MAPPER.readTree(utf8);
            } else {
                // Decoded up front, strictly, so that nothing but well-formed UTF-8 reaches the parser.
                node = MAPPER.readTree(java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                        .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                        .decode(java.nio.ByteBuffer.wrap(utf8)).toString());
            }
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new JsonFormatException("not valid JSON: not UTF-8", e);
        } catch (RuntimeException e) {
            // Jackson reports some number overflows this way; still just bad input.
            throw new JsonFormatException("not valid JSON: " + sentence(e.getMessage(), null), e);
        } catch (JsonProcessingException e) {
            throw new JsonFormatException("not valid JSON: " + sentence(e.getOriginalMessage(), e.getLocation()), e);
        } catch (IOException e) {
            throw new JsonFormatException("not valid JSON: " + sentence(e.getMessage(), null), e);
        }
        if (node == null || node.isMissingNode()) {
            throw new JsonFormatException("not valid JSON: empty document");
        }
        check(node);
        return node;
    }

    private static boolean isAsciiWithoutNul(byte[] bytes) {
        for (byte b : bytes) if (b <= 0) return false;
        return true;
    }

    private static void check(JsonNode node) throws JsonFormatException {
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                checkString(field.getKey());
                check(field.getValue());
            }
        } else if (node.isArray()) {
            for (JsonNode element : node) {
                check(element);
            }
        } else if (node.isTextual()) {
            checkString(node.textValue());
        } else if (node.isIntegralNumber()) {
            if (node.bigIntegerValue().abs().compareTo(MAX_SAFE) > 0) {
                String digits = node.asText();
                throw new JsonFormatException("integer beyond 2^53 is not I-JSON: "
                        + (digits.length() > 24 ? digits.substring(0, 20) + "... (" + digits.length() + " digits)" : digits));
            }
        } else if (node.isNumber()) {
            double d = node.decimalValue().doubleValue();
            if (Double.isInfinite(d)) {
                throw new JsonFormatException("number out of IEEE 754 double range: " + node.asText());
            }
        }
    }

    private static void checkString(String s) throws JsonFormatException {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                    continue;
                }
                throw new JsonFormatException("lone surrogate in string is not I-JSON");
            }
            if (Character.isLowSurrogate(c)) {
                throw new JsonFormatException("lone surrogate in string is not I-JSON");
            }
        }
    }

    /**
     * A stable sentence for what the parser refused, and where: callers show it to tenants and put
     * it in reports, so it names no library class, setting or internal limit, and quotes input only
     * escaped and short. Anything not recognised is "malformed JSON".
     */
    static String sentence(String parserMessage, com.fasterxml.jackson.core.JsonLocation location) {
        String m = parserMessage == null ? "" : parserMessage;
        String what;
        java.util.regex.Matcher quoted;
        if (m.startsWith("Trailing token")) what = "content after the JSON value";
        else if (m.contains("nesting depth")) what = "nested more than 64 levels deep";
        else if (m.startsWith("Number value length")) what = "a number longer than 400 characters";
        else if ((quoted = QUOTED.matcher(m)).lookingAt() && m.startsWith("Duplicate field")) {
            what = "member name " + quote(quoted.group(1)) + " appears twice";
        } else if (m.startsWith("Unexpected end-of-input")) what = "the text ends before the JSON value does";
        else if (m.startsWith("Unexpected close marker")) what = "a closing bracket that does not match";
        else if (m.startsWith("Illegal unquoted character")) what = "a control character in a string (it must be escaped)";
        else if (m.startsWith("Non-standard token")) what = "NaN and Infinity are not JSON numbers";
        else if (m.startsWith("Invalid numeric value")) what = "a malformed number";
        else if (m.startsWith("Unrecognized character escape")) what = "a malformed escape in a string";
        else if (m.startsWith("Invalid UTF-8")) what = "not UTF-8";
        else if ((quoted = QUOTED.matcher(m)).lookingAt() && m.startsWith("Unrecognized token")) {
            what = "unrecognized token " + quote(quoted.group(1));
        } else if (m.startsWith("Unexpected character")) {
            java.util.regex.Matcher c = CHARACTER.matcher(m);
            int code = c.find() ? Integer.parseInt(c.group(1)) : -1;
            what = code >= 0 && code <= Character.MAX_CODE_POINT ? "unexpected character " + quote(new String(Character.toChars(code)))
                    : "an unexpected character";
        } else {
            what = "malformed JSON";
        }
        if (location != null && location.getLineNr() > 0 && location.getColumnNr() > 0) {
            what += " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
        }
        return what;
    }

    /** The first single-quoted text of a parser message (Jackson quotes names and tokens so). */
    private static final java.util.regex.Pattern QUOTED = java.util.regex.Pattern.compile("[^']*'([^']{0,200})'");
    private static final java.util.regex.Pattern CHARACTER = java.util.regex.Pattern.compile("\\(code (\\d{1,7})\\)");

    /** {@code text} in single quotes, at most 32 characters, control and non-ASCII characters as \\uXXXX. */
    private static String quote(String text) {
        StringBuilder b = new StringBuilder("'");
        int n = 0;
        for (int i = 0; i < text.length() && n < 32; i++, n++) {
            char c = text.charAt(i);
            if (c >= 0x20 && c < 0x7f && c != '\'') b.append(c);
            else b.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
        }
        if (text.length() > 32) b.append("...");
        return b.append('\'').toString();
    }
}
