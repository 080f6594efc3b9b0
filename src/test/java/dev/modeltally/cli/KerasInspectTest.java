package dev.modeltally.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modeltally.testing.Cli;
import dev.modeltally.testing.Fixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** {@code inspect} (table and --json) on every Keras fixture, in-process. */
class KerasInspectTest {

    @TestFactory
    Stream<DynamicTest> inspectEveryKerasFixture() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : Fixtures.expected().get("fixtures").properties()) {
            if (e.getKey().startsWith("keras/")) {
                tests.add(DynamicTest.dynamicTest(e.getKey(), () -> check(e.getKey(), e.getValue())));
            }
        }
        return tests.stream();
    }

    private static void check(String name, JsonNode want) throws Exception {
        String file = Fixtures.path(name).toString();
        long total = want.get("parameters").get("total").asLong();

        Cli table = Cli.run("inspect", file);
        assertEquals(0, table.exitCode(), table.err());
        assertTrue(table.err().isEmpty(), table.err());
        assertTrue(table.out().contains(want.get("format").asText()), table.out());
        assertTrue(table.out().contains(String.format("%,d", total)), table.out());

        Cli json = Cli.run("inspect", "--json", file);
        assertEquals(0, json.exitCode(), json.err());
        JsonNode r = new ObjectMapper().readTree(json.out());
        assertEquals(want.get("format").asText(), r.get("format").asText());
        assertEquals(total, r.get("parameters").get("total").asLong());
        assertEquals(want.get("parameters").get("trainable").asLong(), r.get("parameters").get("trainable").asLong());
        assertTrue(r.get("error").isNull());
        assertEquals(!want.path("weights_only").asBoolean(false), r.get("has_graph").asBoolean());
    }
}
