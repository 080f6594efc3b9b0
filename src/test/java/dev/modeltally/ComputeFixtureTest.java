package dev.modeltally;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modeltally.analysis.AnalysisOptions;
import dev.modeltally.analysis.Analyzer;
import dev.modeltally.analysis.Compute;
import dev.modeltally.analysis.Report;
import dev.modeltally.format.Limits;
import dev.modeltally.ir.Finding;
import dev.modeltally.ir.Model;
import dev.modeltally.ir.Shape;
import dev.modeltally.ir.Value;
import dev.modeltally.report.JsonReport;
import dev.modeltally.testing.Fixtures;
import dev.modeltally.testing.Graphs;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every fixture in testdata/expected-compute.json: MACs/FLOPs as torch's FlopCounterMode counted
 * them at generation time, and every graph output's shape as onnxruntime produced it. Each fixture
 * runs twice: as stored, and with every declared intermediate/output shape removed, so the figures
 * must come from the rules and value propagation alone.
 */
class ComputeFixtureTest {

    /** Findings that mean a rule or the engine is wrong: never expected on a fixture. */
    private static final Set<String> NEVER = Set.of("shape-rule-error", "declared-shape-mismatch",
            "shape-contradiction", "graph-cycle", "undefined-input", "compute-failed", "input-shape-unmatched");

    @TestFactory
    Stream<DynamicTest> everyComputeFixture() throws Exception {
        JsonNode fixtures = new ObjectMapper().readTree(new File("testdata/expected-compute.json")).get("fixtures");
        List<DynamicTest> tests = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : fixtures.properties()) {
            tests.add(DynamicTest.dynamicTest(e.getKey(), () -> {
                check(e.getKey(), e.getValue(), false);
            }));
            tests.add(DynamicTest.dynamicTest(e.getKey() + " without declared shapes", () -> {
                check(e.getKey(), e.getValue(), true);
            }));
        }
        assertTrue(tests.size() >= 14, "expected-compute.json lists too few fixtures");
        assertTrue(fixtures.properties().stream().filter(e -> e.getKey().startsWith("compute/torchvision/")).count()
                >= 80, "every torchvision classification model");
        return tests.stream();
    }

    static AnalysisOptions options(JsonNode want) {
        Map<String, Shape> shapes = new LinkedHashMap<>();
        JsonNode given = want.get("input_shapes");
        if (given != null) {
            given.properties().forEach(f -> {
                long[] dims = new long[f.getValue().size()];
                for (int i = 0; i < dims.length; i++) {
                    dims[i] = f.getValue().get(i).asLong();
                }
                shapes.put(f.getKey(), Shape.of(dims));
            });
        }
        Map<String, List<Number>> values = new LinkedHashMap<>();
        JsonNode givenValues = want.get("input_values");
        if (givenValues != null) {
            givenValues.properties().forEach(f -> {
                List<Number> v = new ArrayList<>();
                f.getValue().forEach(x -> v.add(x.isIntegralNumber() ? (Number) x.asLong() : (Number) x.asDouble()));
                values.put(f.getKey(), v);
            });
        }
        return new AnalysisOptions(shapes, want.has("batch") ? want.get("batch").asLong() : 0, values);
    }

    /** Checks one fixture entry; returns the report (ExporterOpsFixtureTest checks more of it). */
    static Report check(String name, JsonNode want, boolean stripDeclared) throws Exception {
        Path file = Fixtures.path(name);
        assertTrue(Files.exists(file), "fixture file missing: " + file);
        Model model;
        if (name.endsWith(".gz")) { // the torchvision zoo: gzipped graphs, unzipped to a temporary folder
            Path dir = Files.createTempDirectory("modeltally-fixture");
            Path plain = null;
            try {
                plain = Fixtures.gunzip(name, dir);
                model = ModelTally.read(plain, Limits.DEFAULT);
            } finally {
                if (plain != null) {
                    Files.deleteIfExists(plain);
                }
                Files.deleteIfExists(dir);
            }
        } else {
            model = ModelTally.read(file, Limits.DEFAULT);
        }
        if (stripDeclared) {
            model = Graphs.withoutDeclaredShapes(model);
        }
        Report r = Analyzer.analyze(model, name, options(want));
        Compute c = r.compute();
        assertNotNull(c, "compute not estimated: " + r.findings());
        String cov = "coverage " + c.coverage() + ", notes " + c.notes();
        if (!want.path("macs").isNull()) { // null: the generator had no independent count (shapes only)
            long macs = want.get("macs").asLong();
            double tolerance = want.path("tolerance").asDouble(0);
            if (tolerance == 0) {
                assertEquals(macs, c.macs(), "MACs (" + cov + ")");
            } else {
                assertTrue(Math.abs(c.macs() - macs) <= tolerance * macs, "MACs " + c.macs() + " vs " + macs);
            }
            assertEquals(want.get("flops").asLong(), c.flops(), "FLOPs");
        }
        assertEquals(2 * c.macs(), c.flops(), "FLOPs = 2 x MACs");
        if (want.path("complete").asBoolean(false)) {
            assertTrue(c.coverage().complete(), cov);
            assertFalse(c.lowerBound());
        }
        JsonNode outputs = JsonReport.toJson(r).get("compute").get("outputs");
        for (JsonNode w : want.get("outputs")) {
            JsonNode got = null;
            for (JsonNode g : outputs) {
                if (g.get("name").asText().equals(w.get("name").asText())) {
                    got = g;
                }
            }
            assertNotNull(got, "output " + w.get("name") + " not reported: " + outputs);
            assertEquals(w.get("shape").toString(), got.get("shape").toString(), "output " + w.get("name").asText());
        }
        assertEquals(want.get("outputs").size(), c.outputs().size(), "number of outputs");
        Set<String> codes = r.findings().stream().map(Finding::code).collect(Collectors.toSet());
        for (String never : NEVER) {
            assertFalse(codes.contains(never), never + ": " + r.findings().stream()
                    .filter(f -> f.code().equals(never)).map(Finding::message).toList());
        }
        for (JsonNode code : iterable(want.get("findings"))) {
            assertTrue(codes.contains(code.asText()), "finding " + code.asText() + " expected; got " + codes);
        }
        JsonNode messages = want.get("finding_messages");
        if (messages != null) {
            for (Map.Entry<String, JsonNode> m : messages.properties()) {
                for (JsonNode part : m.getValue()) {
                    assertTrue(r.findings().stream().anyMatch(f -> f.code().equals(m.getKey())
                            && f.message().contains(part.asText())), m.getKey() + " should say " + part);
                }
            }
        }
        if (want.has("assumed")) {
            List<String> assumed = new ArrayList<>();
            want.get("assumed").forEach(a -> assumed.add(a.asText()));
            assertEquals(assumed, c.assumed(), "assumed");
        }
        if (want.has("stored_parameters")) {
            assertEquals(want.get("stored_parameters").asLong(), r.parameters().total(), "stored parameters");
        }
        for (JsonNode code : iterable(want.get("absent_findings"))) {
            assertFalse(codes.contains(code.asText()), "finding " + code.asText() + " not expected");
        }
        for (Value v : c.inputs()) {
            assertTrue(v.shape().isFullyKnown(), "input " + v.name() + " " + v.shape());
        }
        return r;
    }

    private static Iterable<JsonNode> iterable(JsonNode n) {
        return n == null ? List.of() : n::elements;
    }
}
