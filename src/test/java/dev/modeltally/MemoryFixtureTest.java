package dev.modeltally;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modeltally.analysis.Analyzer;
import dev.modeltally.analysis.Memory;
import dev.modeltally.analysis.Report;
import dev.modeltally.format.Limits;
import dev.modeltally.ir.Model;
import dev.modeltally.testing.Fixtures;
import dev.modeltally.testing.Graphs;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every case of testdata/expected-memory.json: activation, peak, input and output bytes and the KV
 * cache as onnxruntime's real tensors (ONNX) or Keras's own layer output shapes (Keras) give them
 * under the lifetime rule, at the case's --input-shape / --batch. ONNX cases also run with every
 * declared intermediate shape removed.
 */
class MemoryFixtureTest {

    @TestFactory
    Stream<DynamicTest> everyMemoryFixture() throws Exception {
        JsonNode doc = new ObjectMapper().readTree(new File("testdata/expected-memory.json"));
        List<DynamicTest> tests = new ArrayList<>();
        for (String part : new String[] {"onnx", "keras"}) {
            for (JsonNode c : doc.get(part)) {
                String name = c.get("file").asText() + " " + c.path("input_shapes") + " batch " + c.path("batch");
                tests.add(DynamicTest.dynamicTest(name, () -> check(c, false)));
                if (part.equals("onnx")) {
                    tests.add(DynamicTest.dynamicTest(name + " without declared shapes", () -> check(c, true)));
                }
            }
        }
        assertTrue(doc.get("onnx").size() >= 10 && doc.get("keras").size() >= 5, "too few memory fixtures");
        return tests.stream();
    }

    private static void check(JsonNode want, boolean stripDeclared) throws Exception {
        String file = want.get("file").asText();
        Model model = ModelTally.read(Fixtures.path(file), Limits.DEFAULT);
        if (stripDeclared) {
            model = Graphs.withoutDeclaredShapes(model);
        }
        Report r = Analyzer.analyze(model, file, ComputeFixtureTest.options(want));
        Memory m = r.memory();
        assertNotNull(m, "memory not estimated: " + r.findings());
        assertFalse(m.lowerBound(), m.unknownTensors() + " tensors of unknown size");
        assertEquals(want.get("activations_bytes").asLong(), m.activationsBytes(), "activations_bytes");
        assertEquals(want.get("peak_bytes").asLong(), m.peakBytes(), "peak_bytes");
        assertEquals(want.get("peak_at").asText(), m.peakAt(), "peak_at");
        assertEquals(want.get("inputs_bytes").asLong(), m.inputsBytes(), "inputs_bytes");
        assertEquals(want.get("outputs_bytes").asLong(), m.outputsBytes(), "outputs_bytes");
        assertEquals(r.parameters().bytes(), m.weightsBytes(), "weights_bytes = parameters.bytes");
        JsonNode kv = want.get("kv_cache");
        if (kv == null) {
            assertEquals(null, m.kvCache(), "no KV cache");
            return;
        }
        assertNotNull(m.kvCache(), "KV cache not recognised");
        assertEquals(kv.get("bytes").asLong(), m.kvCache().bytes(), "kv_cache.bytes");
        assertEquals(kv.get("tokens").asLong(), m.kvCache().tokens(), "kv_cache.tokens");
        assertEquals(kv.get("bytes_per_token").asLong(), m.kvCache().bytesPerToken(), "kv_cache.bytes_per_token");
    }
}
