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
import dev.modeltally.testing.Fixtures;
import dev.modeltally.testing.Graphs;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every Keras fixture with a graph in testdata/expected-keras-compute.json: MACs as
 * testdata/generate/keras_compute_expected.py derived them from Keras's own layer shapes and the
 * reference per-layer formulas, at batch 1; full coverage (a rule for every layer, every shape
 * resolved). Each runs as stored and with its declared intermediate shapes removed.
 */
class KerasComputeFixtureTest {

    private static final Set<String> NEVER = Set.of("shape-rule-error", "declared-shape-mismatch",
            "shape-contradiction", "graph-cycle", "undefined-input", "compute-failed");

    private static final List<String> REQUIRED = List.of("vgg16", "unet", "unet_bn", "cnn_seed", "conv_pool_dense",
            "mnist_mlp", "conv1d", "conv2d", "conv3d", "grouped_conv", "depthwise_conv2d", "separable_conv2d",
            "conv2d_transpose", "embedding", "lstm", "gru", "simple_rnn", "bidirectional", "layer_norm",
            "multi_head_attention", "batch_norm", "nested_model", "shared_layer");

    private static JsonNode fixtures() throws Exception {
        return new ObjectMapper().readTree(new File("testdata/expected-keras-compute.json")).get("fixtures");
    }

    @TestFactory
    Stream<DynamicTest> everyKerasFixture() throws Exception {
        JsonNode fixtures = fixtures();
        List<DynamicTest> tests = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : fixtures.properties()) {
            tests.add(DynamicTest.dynamicTest(e.getKey(), () -> check(e.getKey(), e.getValue(), false)));
            tests.add(DynamicTest.dynamicTest(e.getKey() + " without declared shapes",
                    () -> check(e.getKey(), e.getValue(), true)));
        }
        for (String name : REQUIRED) {
            assertTrue(fixtures.has("keras/" + name + ".h5") && fixtures.has("keras/" + name + ".keras"),
                    "expected-keras-compute.json lacks " + name);
        }
        return tests.stream();
    }

    /** Every Keras file with a graph is either in the expected figures or deliberately skipped. */
    @Test
    void everyGraphFixtureIsListed() throws Exception {
        JsonNode root = new ObjectMapper().readTree(new File("testdata/expected-keras-compute.json"));
        Set<String> skipped = new TreeSet<>();
        root.get("skipped").forEach(s -> skipped.add(s.asText()));
        Set<String> missing = new TreeSet<>();
        try (Stream<Path> files = Files.list(Fixtures.path("keras"))) {
            for (Path p : files.toList()) {
                String f = p.getFileName().toString();
                if (f.endsWith(".weights.h5") || !(f.endsWith(".h5") || f.endsWith(".keras"))) {
                    continue;
                }
                String stem = f.substring(0, f.lastIndexOf('.'));
                if (!root.get("fixtures").has("keras/" + f) && !skipped.contains(stem)) {
                    missing.add(f);
                }
            }
        }
        assertTrue(missing.isEmpty(), "Keras fixtures without expected compute: " + missing);
    }

    /** Python code (Lambda, custom layers) has no rule: the totals say they are lower bounds. */
    @Test
    void lambdaAndCustomLayersStayWithoutRule() throws Exception {
        for (String f : List.of("keras/lambda_layer.h5", "keras/lambda_layer.keras", "keras/custom_layer.h5",
                "keras/custom_layer.keras")) {
            Report r = Analyzer.analyze(ModelTally.read(Fixtures.path(f), Limits.DEFAULT), f, new AnalysisOptions(
                    Map.of(), 0));
            Compute c = r.compute();
            assertNotNull(c, f);
            assertFalse(c.coverage().complete(), f + " " + c.coverage());
            assertTrue(c.lowerBound(), f);
            assertEquals(1, c.coverage().opsWithoutRule().size(), f + " " + c.coverage());
            assertEquals(144, c.macs(), f + ": the two Dense layers are still counted");
        }
    }

    private static void check(String name, JsonNode want, boolean stripDeclared) throws Exception {
        Path file = Fixtures.path(name);
        assertTrue(Files.exists(file), "fixture file missing: " + file);
        Model model = ModelTally.read(file, Limits.DEFAULT);
        if (stripDeclared) {
            model = Graphs.withoutDeclaredShapes(model);
        }
        Report r = Analyzer.analyze(model, name, new AnalysisOptions(Map.of(), 0));
        Compute c = r.compute();
        assertNotNull(c, "compute not estimated: " + r.findings());
        String cov = "coverage " + c.coverage() + ", notes " + c.notes();
        long macs = want.get("macs").asLong();
        double tolerance = want.path("tolerance").asDouble(0);
        if (tolerance == 0) {
            assertEquals(macs, c.macs(), "MACs (" + cov + ")");
            assertEquals(want.get("flops").asLong(), c.flops(), "FLOPs");
        } else {
            assertTrue(Math.abs(c.macs() - macs) <= tolerance * macs, "MACs " + c.macs() + " vs " + macs);
        }
        assertEquals(2 * c.macs(), c.flops(), "FLOPs = 2 x MACs");
        assertTrue(c.coverage().opsWithoutRule().isEmpty(), "ops without rule: " + cov);
        assertEquals(c.coverage().nodes(), c.coverage().shapesResolved(), "unresolved shapes: " + cov);
        assertTrue(c.coverage().complete(), cov);
        assertFalse(c.lowerBound());
        Set<String> codes = r.findings().stream().map(Finding::code).collect(Collectors.toSet());
        for (String never : NEVER) {
            assertFalse(codes.contains(never), never + ": " + r.findings().stream()
                    .filter(f -> f.code().equals(never)).map(Finding::message).toList());
        }
        c.outputs().forEach(v -> assertTrue(v.shape().isFullyKnown(), "output " + v.name() + " " + v.shape()));
    }
}
