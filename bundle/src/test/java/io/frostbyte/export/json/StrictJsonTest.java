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
}
