package io.frostbyte.export.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class BundleFormatTest {
    @ParameterizedTest
    @ValueSource(strings = {"documents/a.json", "a", "a/", "a/b/c.json", "chunks/x-y_z.json", "d\u00e9j\u00e0/vu.json", "..a/b..", ".a"})
    void unsafeNameReason_safeName_empty(String name) {
        assertEquals(Optional.empty(), BundleFormat.unsafeNameReason(name));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''|empty name",
        "/a|absolute path",
        "a//b|empty path segment",
        "a//|empty path segment",
        "a/./b|'.' path segment",
        ".|'.' path segment",
        "a/..|'..' path segment",
        "../a|'..' path segment",
        "a\\b|name contains a backslash",
        "a\tb|name contains a control character",
        "a\u202eb|name contains a control or bidirectional-format character",
        "e\u0301.json|name is not in Unicode normal form C (NFC)",
    })
    void unsafeNameReason_unsafeName_names(String name, String reason) {
        assertEquals(Optional.of(reason), BundleFormat.unsafeNameReason(name));
    }

    @org.junit.jupiter.api.Test
    void unsafeNameReason_lengths_countUtf8Bytes() {
        assertEquals(Optional.empty(), BundleFormat.unsafeNameReason("a".repeat(255) + "/b"));
        assertEquals(Optional.of("path segment longer than 255 bytes"), BundleFormat.unsafeNameReason("a".repeat(256) + "/b"));
        // 128 two-byte characters: 256 UTF-8 bytes in 128 chars.
        assertEquals(Optional.of("path segment longer than 255 bytes"), BundleFormat.unsafeNameReason("\u00e9".repeat(128)));
        assertEquals(Optional.of("name longer than 1024 bytes"), BundleFormat.unsafeNameReason("abcd/".repeat(205)));
        assertEquals(Optional.of("name longer than 1024 bytes"), BundleFormat.unsafeNameReason("\u00e9\u00e9/".repeat(205)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"})
    void isSha256Hex_lowercase64_true(String s) {
        assertTrue(BundleFormat.isSha256Hex(s));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef",
        "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde", "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdeg",
        "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0"})
    void isSha256Hex_otherText_false(String s) {
        assertFalse(BundleFormat.isSha256Hex(s));
    }

    @ParameterizedTest
    @CsvSource({"3f1c2a4e-8b7d-4e21-9a6f-0c5d7e8f9a10,true", "3F1C2A4E-8B7D-4E21-9A6F-0C5D7E8F9A10,false",
        "3f1c2a4e8b7d-4e21-9a6f-0c5d7e8f9a10-,false", "3f1c2a4e-8b7d-4e21-9a6f-0c5d7e8f9a1,false", "3f1c2a4e-8b7d-4e21-9a6f-0c5d7e8f9a1g,false"})
    void isCanonicalUuid_text_matchesLowercaseCanonicalForm(String s, boolean expected) {
        assertEquals(expected, BundleFormat.isCanonicalUuid(s));
    }
}
