package io.frostbyte.export.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StrictJsonTest {
    @Test
    void parse_asciiAndUtf8_sameTree() throws Exception {
        assertEquals("b", StrictJson.parse("{\"a\":\"b\"}".getBytes(StandardCharsets.US_ASCII)).get("a").textValue());
        assertEquals("caf\u00e9", StrictJson.parse("{\"a\":\"caf\u00e9\"}".getBytes(StandardCharsets.UTF_8)).get("a").textValue());
        assertEquals("caf\u00e9", StrictJson.parse("{\"a\":\"caf\\u00e9\"}".getBytes(StandardCharsets.US_ASCII)).get("a").textValue());
    }

    @ParameterizedTest
    @ValueSource(strings = {"UTF-16LE", "UTF-16BE", "UTF-32LE", "UTF-32BE"})
    void parse_otherEncodingsOfValidJson_refused(String charset) {
        // Jackson alone would detect these from their NUL bytes and read them; jq and other peers would not.
        byte[] text = "{\"a\":1}".getBytes(java.nio.charset.Charset.forName(charset));
        assertThrows(JsonFormatException.class, () -> StrictJson.parse(text));
    }

    @Test
    void parse_nulOrMalformedUtf8_refused() {
        assertThrows(JsonFormatException.class, () -> StrictJson.parse(new byte[] {'{', 0, '}'}));
        JsonFormatException e = assertThrows(JsonFormatException.class,
                () -> StrictJson.parse(new byte[] {'"', (byte) 0xc3, (byte) 0x28, '"'}));
        assertTrue(e.getMessage().contains("not UTF-8"), e.getMessage());
        assertThrows(JsonFormatException.class, () -> StrictJson.parse(new byte[] {'"', (byte) 0xc0, (byte) 0xaf, '"'}));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"a\":1,\"a\":2}", "{\"a\":1} x", "[1,]", "{\"a\":NaN}", "\"\\ud800\"", "9007199254740993", ""})
    void parse_notIJson_refused(String text) {
        assertThrows(JsonFormatException.class, () -> StrictJson.parse(text.getBytes(StandardCharsets.US_ASCII)));
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
        "{\"a\":1}{}|content after the JSON value",
        "/*c*/{}|unexpected character '/'",
        "{|the text ends before the JSON value does",
        "{\"reason\":1,\"reason\":2}|member name 'reason' appears twice",
        "{\"a\":NaN}|NaN and Infinity are not JSON numbers",
        "[1]]|a closing bracket that does not match",
        "{\"a\":01}|a malformed number",
        "{\"a\":tru}|unrecognized token 'tru'",
    })
    void parse_malformed_stableSentenceWithoutLibraryNames(String text, String expected) {
        JsonFormatException e = assertThrows(JsonFormatException.class, () -> StrictJson.parse(text.getBytes(StandardCharsets.US_ASCII)));
        assertTrue(e.reason().startsWith(expected), e.getMessage());
        assertTrue(e.getMessage().startsWith("not valid JSON: " + expected), e.getMessage());
        for (String leak : java.util.List.of("`", "Feature", "Source", "jackson", "Constraints", "])")) {
            assertTrue(!e.getMessage().contains(leak), e.getMessage());
        }
    }

    @org.junit.jupiter.api.Test
    void parse_deepNestingAndLongNumbers_sayTheLimitOnly() {
        JsonFormatException deep = assertThrows(JsonFormatException.class,
                () -> StrictJson.parse(("{\"a\":" + "[".repeat(2000) + "}").getBytes(StandardCharsets.US_ASCII)));
        assertTrue(deep.reason().startsWith("nested more than 64 levels deep"), deep.getMessage());
        JsonFormatException longNumber = assertThrows(JsonFormatException.class,
                () -> StrictJson.parse(("{\"a\":" + "1".repeat(401) + "}").getBytes(StandardCharsets.US_ASCII)));
        assertTrue(longNumber.reason().startsWith("a number longer than 400 characters"), longNumber.getMessage());
    }
}
