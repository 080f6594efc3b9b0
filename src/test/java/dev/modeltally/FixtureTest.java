package dev.modeltally;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modeltally.analysis.Report;
import dev.modeltally.format.ModelFormat;
import dev.modeltally.format.registry.ModelFormats;
import dev.modeltally.ir.Finding;
import dev.modeltally.report.JsonReport;
import dev.modeltally.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Every fixture in testdata/expected.json, checked against the counts its framework reported. */
class FixtureTest {

    @TestFactory
    Stream<DynamicTest> everyFixture() {
        Assumptions.assumeTrue(Files.exists(Fixtures.path("expected.json")),
                "testdata/expected.json is not generated on this branch yet");
        JsonNode fixtures = Fixtures.expected().get("fixtures");
        List<DynamicTest> tests = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> it = fixtures.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            tests.add(DynamicTest.dynamicTest(e.getKey(), () -> check(e.getKey(), e.getValue())));
        }
        assertFalse(tests.isEmpty(), "expected.json lists no fixtures");
        return tests.stream();
    }

    private static void check(String name, JsonNode want) throws Exception {
        Path file = Fixtures.path(name);
        assertTrue(Files.exists(file), "fixture file missing: " + file);
        Set<String> readable = ModelFormats.all().stream().flatMap(f -> f.ids().stream()).collect(Collectors.toSet());
        Assumptions.assumeTrue(readable.contains(want.get("format").asText()),
                "no reader for format " + want.get("format").asText() + " yet");

        Report r = ModelTally.analyze(file, ModelTally.Options.DEFAULT);
        assertNull(r.error());
        assertEquals(want.get("format").asText(), r.format(), "format");
        JsonNode p = want.get("parameters");
        assertEquals(p.get("total").asLong(), r.parameters().total(), "parameters.total");
        assertEquals(p.get("trainable").asLong(), r.parameters().trainable(), "parameters.trainable");
        assertEquals(p.get("non_trainable").asLong(), r.parameters().nonTrainable(), "parameters.non_trainable");
        if (p.has("bytes")) {
            assertEquals(p.get("bytes").asLong(), r.parameters().bytes(), "parameters.bytes");
        }
        if (p.has("by_dtype")) {
            Map<String, Long> byDtype = new TreeMap<>();
            p.get("by_dtype").fields().forEachRemaining(f -> byDtype.put(f.getKey(), f.getValue().asLong()));
            assertEquals(byDtype, new TreeMap<>(r.parameters().byDtype()), "parameters.by_dtype");
        }
        if (want.has("constants") && want.get("constants").has("elements")) {
            assertEquals(want.get("constants").get("elements").asLong(), r.constants().elements(),
                    "constants.elements");
        }
        Set<String> codes = r.findings().stream().map(Finding::code).collect(Collectors.toSet());
        for (JsonNode code : iterable(want.get("findings"))) {
            assertTrue(codes.contains(code.asText()), "finding " + code.asText() + " expected; got " + codes);
        }
        for (JsonNode code : iterable(want.get("absent_findings"))) {
            assertFalse(codes.contains(code.asText()), "finding " + code.asText() + " not expected");
        }
        JsonNode json = JsonReport.toJson(r);
        checkValues(want.get("inputs"), json.get("inputs"), "inputs");
        checkValues(want.get("outputs"), json.get("outputs"), "outputs");
    }

    /** Every input/output the fixture lists must be reported with the same shape. */
    private static void checkValues(JsonNode want, JsonNode got, String what) {
        if (want == null || !want.isArray()) {
            return;
        }
        for (JsonNode w : want) {
            JsonNode match = null;
            for (JsonNode g : got) {
                if (g.get("name").asText().equals(w.get("name").asText())) {
                    match = g;
                }
            }
            assertTrue(match != null, what + " " + w.get("name") + " not reported; got " + got);
            if (w.has("shape")) {
                assertEquals(w.get("shape").toString(), match.get("shape").toString(), what + " " + w.get("name") + " shape");
            }
        }
    }

    private static Iterable<JsonNode> iterable(JsonNode n) {
        return n == null ? List.of() : n::elements;
    }
}
