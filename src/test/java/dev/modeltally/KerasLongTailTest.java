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
import dev.modeltally.analysis.NodeCompute;
import dev.modeltally.analysis.NodeParams;
import dev.modeltally.analysis.Report;
import dev.modeltally.format.Limits;
import dev.modeltally.ir.Dim;
import dev.modeltally.ir.Finding;
import dev.modeltally.ir.Shape;
import dev.modeltally.ir.Value;
import dev.modeltally.testing.Fixtures;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every fixture of testdata/expected-keras-longtail.json (Keras 3's less common layers, each saved as
 * .keras, legacy .h5 and .weights.h5): parameter totals and trainable split as Keras counts them, per
 * layer too; for graph formats the inputs' and outputs' shapes, every layer call's output shapes,
 * full coverage (a rule for every layer, every shape resolved) and FLOPs within the stated tolerance of
 * FlopCounterMode's (recurrent layers corrected to T steps), with FLOPs = 2 × MACs.
 */
class KerasLongTailTest {

    private static final Set<String> NEVER = Set.of("shape-rule-error", "declared-shape-mismatch",
            "shape-contradiction", "graph-cycle", "undefined-input", "compute-failed", "keras-weight-shape-mismatch",
            "keras-weight-missing", "keras-weight-extra");

    /**
     * Built-in classes without a rule (docs/counting.md says why): their calls must be reported as
     * such, the totals as lower bounds, and every other layer's FLOPs must still match.
     */
    private static final Set<String> WITHOUT_RULE = Set.of("STFTSpectrogram", "MelSpectrogram");

    @TempDir
    static Path tmp;

    @TestFactory
    Stream<DynamicTest> everyLongTailFixture() throws Exception {
        JsonNode root = new ObjectMapper().readTree(new File("testdata/expected-keras-longtail.json"));
        List<DynamicTest> tests = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : root.get("fixtures").properties()) {
            if (!Files.exists(Fixtures.path(e.getKey())) && root.get("fixtures").has(e.getKey() + ".gz")) {
                continue; // an entry of the plain file beside its gzipped twin: only the .gz is committed
            }
            tests.add(DynamicTest.dynamicTest(e.getKey(), () -> check(e.getKey(), e.getValue())));
        }
        assertFalse(tests.isEmpty());
        return tests.stream();
    }

    private static void check(String name, JsonNode want) throws Exception {
        Path file = name.endsWith(".gz") ? Fixtures.gunzip(name, Files.createTempDirectory(tmp, "f"))
                : Fixtures.path(name);
        Report r = Analyzer.analyze(ModelTally.read(file, Limits.DEFAULT), name, new AnalysisOptions(Map.of(), 0));
        String why = r.findings().stream().filter(f -> f.severity().compareTo(dev.modeltally.ir.Severity.INFO) > 0)
                .map(f -> f.code() + ": " + f.message()).toList().toString();
        JsonNode p = want.get("parameters");
        assertEquals(want.get("format").asText(), r.format());
        assertEquals(p.get("total").asLong(), r.parameters().total(), "total; " + why);
        assertEquals(p.get("trainable").asLong(), r.parameters().trainable(), "trainable; " + why);
        assertEquals(p.get("non_trainable").asLong(), r.parameters().nonTrainable(), "non-trainable; " + why);
        assertEquals(p.get("bytes").asLong(), r.parameters().bytes(), "bytes");
        Set<String> codes = r.findings().stream().map(Finding::code).collect(Collectors.toSet());
        for (String never : NEVER) {
            assertFalse(codes.contains(never), never + ": " + why);
        }
        if (want.path("compute").isNull() || want.path("compute").isMissingNode()) {
            return;
        }
        layers(r, want.get("layers"));
        values("input", r.inputs(), want.get("inputs"));
        values("output", r.outputs(), want.get("outputs"));
        Compute c = r.compute();
        assertNotNull(c, "compute not estimated: " + why);
        String cov = "coverage " + c.coverage() + ", notes " + c.notes() + ", " + perLayer(c, want.get("layers"));
        Set<String> gaps = new java.util.TreeSet<>();
        want.get("layers").forEach(l -> {
            if (WITHOUT_RULE.contains(l.get("class").asText())) {
                gaps.add("keras:" + l.get("class").asText());
            }
        });
        if (!gaps.isEmpty()) {
            assertEquals(gaps, new java.util.TreeSet<>(c.coverage().opsWithoutRule().keySet()), cov);
            assertTrue(c.lowerBound(), "totals are lower bounds: " + cov);
            for (JsonNode l : want.get("layers")) {
                if (!WITHOUT_RULE.contains(l.get("class").asText())) {
                    long ours = layerFlops(c, l.get("name").asText());
                    long theirs = l.path("flops").asLong();
                    assertTrue(Math.abs(ours - theirs) <= 0.01 * theirs, l.get("name") + ": " + cov);
                }
            }
            return;
        }
        assertTrue(c.coverage().opsWithoutRule().isEmpty(), "ops without rule: " + cov);
        assertEquals(c.coverage().nodes(), c.coverage().shapesResolved(), "unresolved shapes: " + cov);
        assertTrue(c.coverage().complete(), cov);
        long flops = want.get("compute").get("flops").asLong();
        double tol = want.get("compute").path("tolerance").asDouble(0.01);
        assertTrue(Math.abs(c.flops() - flops) <= tol * flops, "FLOPs " + c.flops() + " vs " + flops + "; " + cov);
        assertEquals(2 * c.macs(), c.flops(), "FLOPs = 2 x MACs");
    }

    /** Per layer: parameters, split and the shapes of every call's outputs (batch 1 stands for "batch"). */
    private static void layers(Report r, JsonNode layers) {
        for (JsonNode l : layers) {
            String n = l.get("name").asText();
            long params = r.nodes().stream().filter(x -> x.name().equals(n)).mapToLong(NodeParams::parameters)
                    .findFirst().orElse(0);
            if (!Set.of("Sequential", "Functional", "Model").contains(l.get("class").asText())) {
                assertEquals(l.get("params").asLong(), params, "parameters of layer " + n); // a model's are its layers'
            }
            List<NodeCompute> calls = r.compute().nodes().stream()
                    .filter(x -> x.graph().isEmpty() && (x.name().equals(n) || x.name().startsWith(n + ":"))).toList();
            List<Shape> got = new ArrayList<>();
            calls.forEach(x -> x.outputs().forEach(v -> got.add(v.shape())));
            JsonNode shapes = l.get("output_shapes");
            assertEquals(shapes.size(), got.size(), "outputs of layer " + n + ": " + got);
            for (int i = 0; i < shapes.size(); i++) {
                assertTrue(fits(shapes.get(i), got.get(i), true), "layer " + n + " output " + i + ": " + got.get(i)
                        + " vs " + shapes.get(i));
            }
        }
    }

    private static void values(String what, List<Value> got, JsonNode want) {
        assertEquals(want.size(), got.size(), what + "s " + got);
        for (int i = 0; i < want.size(); i++) {
            JsonNode w = want.get(i);
            // a shared layer's later call is named layer:call:tensor here; Keras names it after the layer
            int at = i;
            Value v = got.stream().filter(x -> x.name().equals(w.get("name").asText())).findFirst()
                    .orElse(got.get(at).name().startsWith(w.get("name").asText() + ":") ? got.get(at) : null);
            assertNotNull(v, what + " " + w.get("name") + " in " + got);
            assertTrue(fits(w.get("shape"), v.shape(), false), what + " " + v.name() + ": " + v.shape() + " vs "
                    + w.get("shape"));
        }
    }

    /** Keras's shape: ints, "batch" (1 when {@code bound}, else the symbol), null (any size). */
    private static boolean fits(JsonNode want, Shape got, boolean bound) {
        if (!got.rankKnown() || got.rank() != want.size()) {
            return false;
        }
        for (int i = 0; i < want.size(); i++) {
            JsonNode d = want.get(i);
            Dim g = got.dim(i);
            boolean ok = d.isNull() ? !bound || g.isFixed()
                    : d.isTextual() ? (bound ? g.equals(Dim.of(1)) : g instanceof Dim.Symbolic)
                    : g.equals(Dim.of(d.asLong()));
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static long layerFlops(Compute c, String n) {
        return c.nodes().stream().filter(x -> x.graph().isEmpty() && (x.name().equals(n)
                || x.name().startsWith(n + ":"))).mapToLong(x -> x.macs().known() ? 2 * x.macs().value() : -1).sum();
    }

    private static String perLayer(Compute c, JsonNode layers) {
        StringBuilder b = new StringBuilder("per layer (ours vs FlopCounterMode):");
        for (JsonNode l : layers) {
            String n = l.get("name").asText();
            long ours = layerFlops(c, n);
            b.append(' ').append(n).append('=').append(ours).append('/').append(l.path("flops").asLong());
        }
        return b.toString();
    }
}
