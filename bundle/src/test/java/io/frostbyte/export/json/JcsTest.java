package io.frostbyte.export.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JcsTest {
    static String jcs(String json) throws JsonFormatException {
        return new String(Jcs.canonicalize(StrictJson.parse(json.getBytes(StandardCharsets.UTF_8))), StandardCharsets.UTF_8);
    }

    @Test
    void canonicalize_rfc8785Example_matches() throws Exception {
        // RFC 8785 §3.2.2 sample input and its canonical output.
        String input = "{\"numbers\": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],"
                + " \"string\": \"\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\\"\\/\","
                + " \"literals\": [null, true, false]}";
        String expected = "{\"literals\":[null,true,false],\"numbers\":[333333333.3333333,1e+30,4.5,0.002,1e-27],"
                + "\"string\":\"€$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}";
        assertEquals(expected, jcs(input));
    }

    @Test
    void canonicalize_nonAscii_utf8AsStringEncodes() throws Exception {
        String text = "caf\u00e9 \u20ac \ud83d\ude00 \u07ff \u0800 \uffff";
        byte[] out = Jcs.canonicalize(StrictJson.parse(("\"" + text + "\"").getBytes(StandardCharsets.UTF_8)));
        assertEquals("\"" + text + "\"", new String(out, StandardCharsets.UTF_8));
        org.junit.jupiter.api.Assertions.assertArrayEquals(("\"" + text + "\"").getBytes(StandardCharsets.UTF_8), out);
    }

    @Test
    void canonicalizeWithout_topLevelMember_likeACopyWithoutIt() throws Exception {
        String json = "{\"signature\":\"x\",\"b\":{\"signature\":1},\"a\":[{\"signature\":2}]}";
        com.fasterxml.jackson.databind.node.ObjectNode node =
                (com.fasterxml.jackson.databind.node.ObjectNode) StrictJson.parse(json.getBytes(StandardCharsets.UTF_8));
        com.fasterxml.jackson.databind.node.ObjectNode copy = node.deepCopy();
        copy.remove("signature");
        org.junit.jupiter.api.Assertions.assertArrayEquals(Jcs.canonicalize(copy), Jcs.canonicalizeWithout(node, "signature"));
        assertEquals("{\"a\":[{\"signature\":2}],\"b\":{\"signature\":1}}",
                new String(Jcs.canonicalizeWithout(node, "signature"), StandardCharsets.UTF_8));
        assertEquals(3, node.size(), "the tree itself is left as it was");
    }

    @Test
    void canonicalize_keys_sortedByUtf16CodeUnits() throws Exception {
        // RFC 8785 §3.2.3: "\r" < "1" < "\u0080" < "\u00f6" < "\u20ac" < "\ud83d\ude00" < "\ufb33"
        String input = "{\"\\u20ac\":\"Euro Sign\",\"\\r\":\"Carriage Return\",\"\\ufb33\":\"Hebrew Letter Dalet With Dagesh\","
                + "\"1\":\"One\",\"\\ud83d\\ude00\":\"Emoji: Grinning Face\",\"\\u0080\":\"Control\",\"\\u00f6\":\"Latin Small Letter O With Diaeresis\"}";
        String out = jcs(input);
        String[] order = {"\\r", "1", "\u0080", "ö", "€", "😀", "\ufb33"};
        int last = -1;
        for (String k : order) {
            int at = out.indexOf("\"" + k + "\"");
            assertEquals(true, at > last, k + " out of order in " + out);
            last = at;
        }
    }

    @ParameterizedTest
    @CsvSource({"1.0,1", "-0.0,0", "1e21,1e+21", "1e20,100000000000000000000", "0.000001,0.000001",
        "0.0000001,1e-7", "123.456,123.456", "-5e-324,-5e-324", "1.7976931348623157e308,1.7976931348623157e+308"})
    void formatDouble_ecmascriptRules(double in, String expected) {
        assertEquals(expected, Jcs.formatDouble(in));
    }

    @Test
    void canonicalize_whitespaceAndOrder_doNotMatter() throws Exception {
        assertEquals(jcs("{\"b\":1,\"a\":[true]}"), jcs("{ \"a\" : [ true ] ,\n\t\"b\" : 1 }"));
    }

    @Test
    void parse_duplicateMember_rejected() {
        assertThrows(JsonFormatException.class, () -> jcs("{\"a\":1,\"a\":2}"));
    }

    @Test
    void parse_loneSurrogate_rejected() {
        assertThrows(JsonFormatException.class, () -> jcs("{\"a\":\"\\ud800\"}"));
    }

    @Test
    void parse_integerBeyond2To53_rejected() {
        assertThrows(JsonFormatException.class, () -> jcs("{\"a\":9007199254740993}"));
        assertEquals("{\"a\":9007199254740992}", assertDoesNotThrow("{\"a\":9007199254740992}"));
    }

    @Test
    void parse_trailingContent_rejected() {
        assertThrows(JsonFormatException.class, () -> jcs("{} {}"));
    }

    private static String assertDoesNotThrow(String json) {
        try {
            return jcs(json);
        } catch (JsonFormatException e) {
            throw new AssertionError(e);
        }
    }
}
