package io.frostbyte.export.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class RuleTest {
    private static Path docs() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("docs/bundle-format.md"))) return dir.resolve("docs/bundle-format.md");
        }
        throw new AssertionError("docs/bundle-format.md not found above " + Path.of("").toAbsolutePath());
    }

    @Test
    void ids_everyNumberedRule_isARowOfTheDocsTable() throws Exception {
        String doc = Files.readString(docs());
        for (Rule r : Rule.values()) {
            if (r == Rule.LEGACY) continue;
            assertTrue(doc.contains("\n| " + r.id() + " | "), "docs/bundle-format.md has no row for rule " + r.id());
        }
    }

    @Test
    void of_eachId_roundTrips() {
        for (Rule r : Rule.values()) assertEquals(r, Rule.of(r.id()));
    }
}
