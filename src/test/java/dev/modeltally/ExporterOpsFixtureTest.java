package dev.modeltally;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modeltally.analysis.Analyzer;
import dev.modeltally.analysis.Compute;
import dev.modeltally.analysis.NodeCompute;
import dev.modeltally.analysis.ParameterCount;
import dev.modeltally.analysis.Report;
import dev.modeltally.format.Limits;
import dev.modeltally.ir.Model;
import dev.modeltally.report.JsonReport;
import dev.modeltally.testing.Fixtures;
import dev.modeltally.ops.Count;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * testdata/expected-exporter-ops.json (testdata/generate/exporter_ops_fixtures.py): ai.onnx.ml models,
 * sequence graphs, an If on a scalar input, a Loop on an input trip count, old-opset ops. Each entry
 * is checked as ComputeFixtureTest checks its fixtures (MACs, outputs as onnxruntime gave them, every
 * node with a rule and its shapes), plus other FLOPs, output types, attribute-held parameters, and for
 * the If fixture each --input-value case and the range when the value is not given.
 */
class ExporterOpsFixtureTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TestFactory
    Stream<DynamicTest> everyExporterOpsFixture() throws Exception {
        JsonNode fixtures = JSON.readTree(new File("testdata/expected-exporter-ops.json")).get("fixtures");
        List<DynamicTest> tests = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : fixtures.properties()) {
            JsonNode want = e.getValue();
            if (want.has("cases")) {
                for (Map.Entry<String, JsonNode> k : want.get("cases").properties()) {
                    ObjectNode merged = ((ObjectNode) want.deepCopy()).setAll((ObjectNode) k.getValue());
                    tests.add(DynamicTest.dynamicTest(e.getKey() + " " + k.getKey(), () -> check(e.getKey(), merged)));
                }
                tests.add(DynamicTest.dynamicTest(e.getKey() + " undecided", () -> undecided(e.getKey(), want)));
            } else {
                tests.add(DynamicTest.dynamicTest(e.getKey(), () -> check(e.getKey(), want)));
            }
        }
        assertTrue(tests.size() >= 10, "too few exporter-ops fixtures");
        return tests.stream();
    }

    private static void check(String name, JsonNode want) throws Exception {
        for (boolean strip : new boolean[] {false, true}) {
            Report r = ComputeFixtureTest.check(name, want, strip);
            Compute c = r.compute();
            assertNull(c.range(), "decided: no range");
            if (want.has("other_flops")) {
                assertEquals(want.get("other_flops").asLong(), c.otherFlops(), "other FLOPs");
            }
            for (NodeCompute n : c.nodes()) {
                if (!n.runs().isZero()) {
                    assertTrue(n.hasRule(), n.name() + " has a rule");
                    n.outputs().forEach(v -> assertTrue(v.type() != null || v.shape().isFullyKnown(),
                            n.name() + " output " + v.name() + " " + v.shape()));
                }
            }
            JsonNode outputs = JsonReport.toJson(r).get("compute").get("outputs");
            for (JsonNode w : want.get("outputs")) {
                JsonNode got = find(outputs, w.get("name").asText());
                if (w.has("length")) {
                    assertEquals(w.get("length").asLong(), got.get("length").asLong(), "sequence length " + w);
                }
            }
            want.path("output_types").properties().forEach(t ->
                    assertEquals(t.getValue().asText(), find(outputs, t.getKey()).get("type").asText(), t.getKey()));
            want.path("output_dtypes").properties().forEach(t ->
                    assertEquals(t.getValue().asText(), find(outputs, t.getKey()).get("dtype").asText(), t.getKey()));
            if (want.has("undecided_notes_contain")) { // without --input-value: a note names what decides it
                Model m = ModelTally.read(Fixtures.path(name), Limits.DEFAULT);
                Compute bare = Analyzer.analyze(m, name, ComputeFixtureTest.options(JSON.createObjectNode())).compute();
                assertTrue(bare.lowerBound());
                for (JsonNode part : want.get("undecided_notes_contain")) {
                    assertTrue(bare.notes().stream().anyMatch(n -> n.contains(part.asText())), part + " in "
                            + bare.notes());
                }
            }
            if (want.has("parameters_by_attribute")) {
                Model m = ModelTally.read(Fixtures.path(name), Limits.DEFAULT);
                assertEquals(want.get("parameters_by_attribute").asLong(), ParameterCount.attributeElements(m));
            }
        }
    }

    /** No --input-value: the If stays undecided, the estimate is the range over its branches, and a note says why. */
    private static void undecided(String name, JsonNode want) throws Exception {
        Model m = ModelTally.read(Fixtures.path(name), Limits.DEFAULT);
        Report r = Analyzer.analyze(m, name, ComputeFixtureTest.options(JSON.createObjectNode()));
        Compute c = r.compute();
        assertNotNull(c.range(), "range");
        JsonNode range = want.get("undecided").get("range").get("macs");
        assertEquals(range.get(0).asLong(), c.range().macsMin());
        assertEquals(range.get(1).isNull() ? Count.UNKNOWN : Count.of(range.get(1).asLong()), c.range().macsMax());
        assertEquals(c.range().macsMin(), c.macs(), "the totals count the cheapest branch");
        assertTrue(c.lowerBound());
        JsonNode json = JsonReport.toJson(r).get("compute").get("range");
        assertEquals(range.toString(), json.get("macs").toString());
        for (JsonNode part : want.get("undecided").get("notes_contain")) {
            assertTrue(c.notes().stream().anyMatch(n -> n.contains(part.asText())), part + " in " + c.notes());
        }
        assertFalse(dev.modeltally.report.TextReport.render(r, 10).contains("at least 0"));
    }

    private static JsonNode find(JsonNode values, String name) {
        for (JsonNode v : values) {
            if (v.get("name").asText().equals(name)) {
                return v;
            }
        }
        throw new AssertionError(name + " not in " + values);
    }
}
