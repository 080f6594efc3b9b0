package dev.modeltally.format.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modeltally.ModelTally;
import dev.modeltally.analysis.NodeParams;
import dev.modeltally.analysis.Report;
import dev.modeltally.testing.Fixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Per-layer parameters equal Keras's {@code layer.count_params()} (the "layers" of expected.json):
 * each weight-bearing top-level layer is one node (its first call) with exactly its variables. A
 * nested model is a node with a subgraph, so its count is the sum of its inner layers' nodes.
 */
class KerasLayerAttributionTest {

    @TestFactory
    Stream<DynamicTest> perLayerCountsMatchKeras() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : Fixtures.expected().get("fixtures").properties()) {
            if (e.getKey().startsWith("keras/") && e.getValue().has("layers")) {
                tests.add(DynamicTest.dynamicTest(e.getKey(), () -> check(e.getKey(), e.getValue().get("layers"))));
            }
        }
        return tests.stream();
    }

    private static void check(String name, JsonNode layers) throws Exception {
        Report r = ModelTally.analyze(Fixtures.path(name), ModelTally.Options.DEFAULT);
        Map<String, Long> want = new TreeMap<>();
        for (Map.Entry<String, JsonNode> l : layers.properties()) {
            if (l.getValue().asLong() > 0) {
                want.put(l.getKey(), l.getValue().asLong());
            }
        }
        Map<String, Long> got = new TreeMap<>();
        long nested = 0;
        for (NodeParams n : r.nodes()) {
            if (n.name().matches(".*:\\d+$")) {
                continue; // a later call of a shared layer
            }
            if (want.containsKey(n.name())) {
                got.put(n.name(), n.parameters());
            } else {
                nested += n.parameters(); // inner layers of a nested model
            }
        }
        for (Map.Entry<String, Long> w : want.entrySet()) {
            if (!got.containsKey(w.getKey())) {
                got.put(w.getKey(), nested); // the one nested model of the fixture
                nested = 0;
            }
        }
        assertEquals(0, nested, "parameters on nodes Keras does not list: " + r.nodes());
        assertEquals(want, got);
    }
}
