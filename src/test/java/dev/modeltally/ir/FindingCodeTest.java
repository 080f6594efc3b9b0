package dev.modeltally.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The finding codes in the code and in docs/findings.md are the same set, with the same severities. */
class FindingCodeTest {

    private static final Pattern ROW = Pattern.compile("^\\| `([a-z0-9-]+)` \\| (info|warning|error) \\|");

    @Test
    void docsAndEnumAgree() throws IOException {
        Map<String, String> documented = new TreeMap<>();
        for (String line : Files.readAllLines(Path.of("docs/findings.md"))) {
            Matcher m = ROW.matcher(line);
            if (m.find()) {
                documented.put(m.group(1), m.group(2));
            }
        }
        Map<String, String> declared = new TreeMap<>();
        for (FindingCode c : FindingCode.values()) {
            declared.put(c.code(), c.severity().label());
            assertTrue(!c.summary().isBlank(), c.code());
        }
        assertEquals(documented, declared, "docs/findings.md and ir/FindingCode disagree");
    }

    @Test
    void findingWithUnknownCodeFails() {
        assertThrows(AssertionError.class, () -> Finding.warning("no-such-code", "m", null));
        assertThrows(AssertionError.class, () -> Finding.info("graph-cycle", "wrong severity", null));
        assertEquals("graph-cycle", Finding.of(FindingCode.GRAPH_CYCLE, "m", null).code());
        assertEquals(FindingCode.GRAPH_CYCLE, FindingCode.of("graph-cycle"));
    }
}
